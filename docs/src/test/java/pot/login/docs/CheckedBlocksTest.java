package pot.login.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pot.login.docs.CheckedBlocks.KnownSettings;
import pot.login.docs.MarkdownExamples.Example;

class CheckedBlocksTest {

    private static final String RECIPE = "# A recipe.\npot-login.discovery=true\npot-login.issuer=<issuer>\n";

    @TempDir
    static Path recipes;
    private static CheckedBlocks checks;

    @BeforeAll
    static void oneRecipe() throws IOException {
        Files.writeString(recipes.resolve("generic.properties"), RECIPE);
        checks = new CheckedBlocks(recipes, KnownSettings.fromTheClasspath());
    }

    private static List<String> problems(String language, String code) {
        return checks.problems(new Example(Path.of("docs/page.md"), 12, language, code, Optional.empty(), List.of()));
    }

    @Test
    void a_json_value_passes_and_one_that_does_not_parse_fails_naming_its_file_and_line() {
        assertThat(problems("json", "{\"code\": \"not_signed_in\",\n \"status\": 401}\n")).isEmpty();

        assertThat(problems("json", "{\"code\": \"not_signed_in\",\n \"status\": 401,}\n")).singleElement().asString()
                .startsWith("docs/page.md:12 (json): does not parse as JSON: ").contains("at line 2");
    }

    @Test
    void two_json_values_in_one_block_fail() {
        assertThat(problems("json", "{\"a\": 1}\n{\"a\": 2}\n")).singleElement().asString()
                .contains("more than one JSON value");
    }

    @Test
    void a_yaml_block_that_does_not_parse_fails() {
        assertThat(problems("yaml", "ports:\n  - name: http\n   containerPort: 8080\n")).singleElement().asString()
                .startsWith("docs/page.md:12 (yaml): does not parse as YAML: ");
    }

    @Test
    void a_yaml_block_under_pot_login_with_the_apps_settings_passes() {
        assertThat(problems("yaml", """
                pot-login:
                  api-root: http://localhost:<port>
                  authorize-extra-parameters:
                    scope: openid
                  state:
                    keys:
                      prod-2: <secret>
                  session:
                    max-lifetime: 12h
                micronaut:
                  server:
                    port: 8080
                """)).isEmpty();
    }

    @Test
    void a_yaml_block_with_a_setting_the_app_does_not_know_fails_naming_it() {
        assertThat(problems("yaml", """
                pot-login:
                  issuer: https://idp.example
                  session:
                    max-lifetimes: 12h
                micronaut:
                  server:
                    prot: 8080
                """)).containsExactly(
                "docs/page.md:12 (yaml): names a setting the app does not know: pot-login.session.max-lifetimes",
                "docs/page.md:12 (yaml): names a setting the app does not know: micronaut.server.prot");
    }

    @Test
    void a_yaml_block_of_another_tool_is_only_parsed() {
        assertThat(problems("yaml", "livenessProbe:\n  httpGet: {path: /health/liveness, port: management}\n"))
                .isEmpty();
    }

    @Test
    void a_properties_block_must_be_a_recipe_verbatim() {
        assertThat(problems("properties", RECIPE)).isEmpty();

        assertThat(problems("properties", RECIPE.replace("true", "false"))).singleElement().asString()
                .startsWith("docs/page.md:12 (properties): is not verbatim one of the recipes [generic.properties]");
    }
}
