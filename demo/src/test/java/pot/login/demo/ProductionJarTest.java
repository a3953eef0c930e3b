package pot.login.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The production artifact is app's fat jar. A sandbox portal in it would be one setting away from signing anyone in
 * as the demo user, so it must not be there: only this module's jar carries the sandbox.
 */
class ProductionJarTest {

    @Test
    void the_production_jar_holds_the_app_and_no_sandbox_demo_or_balancer_class() throws IOException {
        Path jar = Path.of(System.getProperty("pot-login.production-jar", "../app/target/app-all.jar"));
        assertThat(jar).as("app's fat jar, built by the reactor before this module (mvn verify from the root)")
                .isRegularFile();

        List<String> classes;
        try (JarFile file = new JarFile(jar.toFile())) {
            classes = file.stream().map(ZipEntry::getName).filter(name -> name.endsWith(".class")).toList();
        }

        assertThat(classes).contains("pot/login/app/Application.class", "pot/login/adapters/http/LoginController.class");
        assertThat(classes).noneMatch(name -> name.startsWith("pot/login/sandbox/"))
                .noneMatch(name -> name.startsWith("pot/login/demo/"))
                .noneMatch(name -> name.startsWith("pot/login/cluster/"));
    }
}
