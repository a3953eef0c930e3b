package pot.login.app.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;
import pot.login.app.architecture.fixture.LeakyDomainClass;
import pot.login.app.architecture.fixture.TokenExchangeImpl;

/**
 * The module rings, checked. Maven already stops a module from importing one it does not depend on; these rules
 * catch what Maven cannot (the app's test classpath holds every module). ArchUnit's {@code failOnEmptyShould} is on
 * (its default), so a rule whose subject matches no class fails instead of passing.
 */
@AnalyzeClasses(packages = "pot.login", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    static final String DOMAIN = "pot.login.domain..";
    static final String SANDBOX = "pot.login.sandbox..";

    /**
     * Plain Java only. {@code javax.crypto} is the JDK's own HMAC (module java.base); there is no {@code java.*} API
     * for it, and writing HMAC by hand would be worse.
     */
    @ArchTest
    static final ArchRule the_domain_depends_on_nothing_but_the_jdk = classes()
            .that().resideInAPackage(DOMAIN)
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax.crypto..", DOMAIN)
            .because("the domain is the flow itself, free of any framework (DESIGN.md §2)");

    @ArchTest
    static final ArchRule adapters_never_depend_on_each_other = slices()
            .matching("pot.login.adapters.(*)..")
            .should().notDependOnEachOther();

    @ArchTest
    static final ArchRule nothing_but_the_app_depends_on_the_sandbox_portal = noClasses()
            .that().resideOutsideOfPackages("pot.login.app..", SANDBOX)
            .should().dependOnClassesThat().resideInAPackage(SANDBOX);

    @ArchTest
    static final ArchRule the_sandbox_depends_on_no_project_module = noClasses()
            .that().resideInAPackage(SANDBOX)
            .should().dependOnClassesThat().resideInAnyPackage(DOMAIN, "pot.login.adapters..", "pot.login.app..");

    @ArchTest
    static final ArchRule only_the_app_sees_every_module = noClasses()
            .that().resideInAnyPackage(DOMAIN, "pot.login.adapters..")
            .should().dependOnClassesThat().resideInAPackage("pot.login.app..");

    @ArchTest
    static final ArchRule use_cases_are_interfaces_named_for_what_the_user_does = classes()
            .that().resideInAPackage("pot.login.domain.port.in")
            .and().areInterfaces()
            .and().areNotAssignableTo(pot.login.domain.port.in.LoginOutcome.class)
            .and().areNotAssignableTo(pot.login.domain.port.in.Identity.class)
            .should().haveSimpleNameNotEndingWith("UseCase")
            .andShould().haveSimpleNameNotEndingWith("Service");

    @ArchTest
    static final ArchRule adapters_of_driven_ports_are_named_after_their_technology = classes()
            .that().resideInAPackage("pot.login.adapters..")
            .and(implementADrivenPort())
            .should().haveSimpleNameStartingWith("Micronaut")
            .orShould().haveSimpleNameStartingWith("Nimbus")
            .orShould().haveSimpleNameStartingWith("Caffeine")
            .orShould().haveSimpleNameStartingWith("Redis");

    @ArchTest
    static final ArchRule no_class_hides_behind_a_vague_suffix = noClasses()
            .should().haveSimpleNameEndingWith("Impl")
            .orShould().haveSimpleNameEndingWith("Manager")
            .orShould().haveSimpleNameEndingWith("Dto")
            .orShould().haveSimpleNameEndingWith("DTO");

    @Test
    void the_rules_fail_on_classes_that_break_them() {
        JavaClasses offenders = new ClassFileImporter().importClasses(LeakyDomainClass.class, TokenExchangeImpl.class);
        ArchRule domainRule = classes().that().haveSimpleName("LeakyDomainClass")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax.crypto..",
                        "pot.login.app.architecture.fixture..");

        assertThat(domainRule.evaluate(offenders).hasViolation()).isTrue();
        assertThat(no_class_hides_behind_a_vague_suffix.evaluate(offenders).hasViolation()).isTrue();
    }

    private static DescribedPredicate<JavaClass> implementADrivenPort() {
        return DescribedPredicate.describe("implement a driven port (pot.login.domain.port.out)",
                javaClass -> javaClass.getAllRawInterfaces().stream()
                        .anyMatch(port -> port.getPackageName().equals("pot.login.domain.port.out")));
    }
}
