package pot.login.app.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.alwaysTrue;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.onionArchitecture;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import pot.login.app.architecture.fixture.adapters.http.GreetingPage;
import pot.login.app.architecture.fixture.adapters.portal.Greetings;
import pot.login.app.architecture.fixture.adapters.store.GreetingsImpl;
import pot.login.app.architecture.fixture.domain.DomainCallingTheApp;
import pot.login.app.architecture.fixture.domain.DomainReachingOut;
import pot.login.app.architecture.fixture.domain.FrameworkInTheDomain;
import pot.login.app.architecture.fixture.domain.port.in.GreetUseCase;
import pot.login.app.architecture.fixture.sandbox.FakePortal;

/**
 * The rings, checked. Maven already stops a module from importing one it does not depend on; these rules catch what
 * Maven cannot (the app's test classpath holds every module) and say what a ring is. ArchUnit's
 * {@code failOnEmptyShould} is on (its default), so a rule whose subject matches no class fails instead of passing.
 *
 * <p>A ring is a package under a root in {@code pot.login} ({@code pot.login..domain} is {@code pot.login.domain}
 * here), so that the fixture, a miniature of the rings under {@code pot.login.app.architecture.fixture}, is checked
 * by these very rules: {@link #every_rule_catches_the_fixture_class_that_breaks_it()}. Each fixture class says which
 * rule it breaks; test sources are never part of the real analysis ({@code ImportOption.DoNotIncludeTests}), nor
 * are the test classes other modules share through their test-jars ({@link DoNotIncludeTestJars}).
 */
@AnalyzeClasses(packages = "pot.login",
        importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.DoNotIncludeTestJars.class})
class ArchitectureTest {

    /**
     * The domain's MovableClock and the Redis adapter's RedisServer reach this classpath as {@code *-tests.jar}: test
     * code, which may use AssertJ or Mockito, and which DoNotIncludeTests knows only as {@code test-classes} folders.
     */
    static final class DoNotIncludeTestJars implements ImportOption {
        @Override
        public boolean includes(com.tngtech.archunit.core.importer.Location location) {
            return !location.contains("-tests.jar");
        }
    }

    static final String DOMAIN = "pot.login..domain..";
    static final String DRIVEN_PORTS = "pot.login..domain.port.out";
    static final String USE_CASES = "pot.login..domain.port.in";
    static final String ADAPTERS = "pot.login..adapters..";
    /** The composition root: {@code main} and the wiring. Only its own package, not the tests' packages under it. */
    static final String APP = "pot.login..app";
    static final String SANDBOX = "pot.login..sandbox..";

    /**
     * Values at the centre; the state format and the driven ports around them; the use cases and the flow that
     * performs them; one adapter per technology outside. Dependencies point inwards, and no adapter uses another.
     * The app wires every ring to the others, which is its job, so its own dependencies are not counted. A new
     * adapter package fails this rule until it is named here.
     */
    @ArchTest
    static final ArchRule the_rings_form_an_onion = onionArchitecture()
            .domainModels("pot.login..domain")
            .domainServices("pot.login..domain.state..", DRIVEN_PORTS + "..")
            .applicationServices(USE_CASES + "..", "pot.login..domain.flow..", "pot.login..domain.session..")
            .adapter("http", "pot.login..adapters.http..")
            .adapter("portal", "pot.login..adapters.portal..")
            .adapter("store", "pot.login..adapters.store..")
            .adapter("redis", "pot.login..adapters.redis..")
            .ignoreDependency(resideInAPackage(APP), alwaysTrue())
            .ensureAllClassesAreContainedInArchitectureIgnoring(APP, SANDBOX)
            .because("the flow must be readable, testable and replaceable without any adapter (docs/adr)");

    /**
     * Plain Java only. {@code javax.crypto} is the JDK's own HMAC (module java.base); there is no {@code java.*} API
     * for it, and writing HMAC by hand would be worse.
     */
    @ArchTest
    static final ArchRule the_domain_depends_on_nothing_but_the_jdk = classes()
            .that().resideInAPackage(DOMAIN)
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax.crypto..", DOMAIN)
            .because("the domain is the flow itself, free of any framework");

    @ArchTest
    static final ArchRule no_ring_depends_on_the_app = noClasses()
            .that().resideInAnyPackage(DOMAIN, ADAPTERS)
            .should().dependOnClassesThat().resideInAPackage(APP)
            .because("only the composition root sees every module");

    /**
     * The meters are decorators of the ports that the app wires (MeteredPorts): the flow and its adapters do not know
     * they are counted, and a second adapter of a port is measured without writing a meter into it.
     */
    @ArchTest
    static final ArchRule only_the_app_knows_micrometer = noClasses()
            .that().resideInAnyPackage(DOMAIN, ADAPTERS)
            .should().dependOnClassesThat().resideInAPackage("io.micrometer..")
            .because("metrics are wired around the ports in the composition root");

    /** The sandbox is a stand-in for the real portal: a test dependency of the app, shipped only in the demo's jar. */
    @ArchTest
    static final ArchRule no_production_class_depends_on_the_sandbox_portal = noClasses()
            .that().resideOutsideOfPackage(SANDBOX)
            .should().dependOnClassesThat().resideInAPackage(SANDBOX);

    /** It stands in for a portal written by others, so it must not share code with the client it tests. */
    @ArchTest
    static final ArchRule the_sandbox_depends_on_no_project_module = noClasses()
            .that().resideInAPackage(SANDBOX)
            .should().dependOnClassesThat().resideInAnyPackage(DOMAIN, ADAPTERS, APP);

    /** Sealed outcomes ({@code LoginOutcome}, {@code Identity}) live there too, and are named for what happened. */
    @ArchTest
    static final ArchRule use_cases_are_interfaces_named_for_what_the_user_does = classes()
            .that().resideInAPackage(USE_CASES)
            .and().areInterfaces()
            .and(areNotSealed())
            .should().haveSimpleNameNotEndingWith("UseCase")
            .andShould().haveSimpleNameNotEndingWith("Service");

    /** {@code CaffeineUsedStates}, {@code MicronautHttpTokenExchange}, {@code RedisUsedStates}: any technology. */
    @ArchTest
    static final ArchRule adapters_of_driven_ports_are_named_technology_then_port = classes()
            .that().resideInAPackage(ADAPTERS)
            .and(implementADrivenPort())
            .should(beNamedTheirTechnologyFollowedByThePortTheyImplement());

    @ArchTest
    static final ArchRule no_class_hides_behind_a_vague_suffix = noClasses()
            .should().haveSimpleNameEndingWith("Impl")
            .orShould().haveSimpleNameEndingWith("Manager")
            .orShould().haveSimpleNameEndingWith("Dto")
            .orShould().haveSimpleNameEndingWith("DTO");

    /**
     * A name read in a stack trace, a log line or a review must say which class it is. The cases of a sealed type
     * ({@code Identity.Unavailable}, {@code ExchangeResult.Unavailable}) are always written with their type, so they
     * are exempt.
     */
    @ArchTest
    static final ArchRule no_two_classes_share_a_simple_name = classes()
            .that(areNamedClassesOfTheirOwn())
            .should(haveASimpleNameNoOtherClassHas());

    @Test
    void every_rule_catches_the_fixture_class_that_breaks_it() {
        JavaClasses fixture = new ClassFileImporter().importPackages("pot.login.app.architecture.fixture");

        assertViolatedExactlyBy(the_rings_form_an_onion, fixture, DomainReachingOut.class, GreetingPage.class,
                FakePortal.class);
        // Depending on an adapter or on the app is also depending on more than the JDK.
        assertViolatedExactlyBy(the_domain_depends_on_nothing_but_the_jdk, fixture,
                FrameworkInTheDomain.class, DomainReachingOut.class, DomainCallingTheApp.class);
        assertViolatedExactlyBy(no_ring_depends_on_the_app, fixture, DomainCallingTheApp.class);
        assertViolatedExactlyBy(no_production_class_depends_on_the_sandbox_portal, fixture, GreetingPage.class);
        assertViolatedExactlyBy(the_sandbox_depends_on_no_project_module, fixture, FakePortal.class);
        assertViolatedExactlyBy(use_cases_are_interfaces_named_for_what_the_user_does, fixture, GreetUseCase.class);
        assertViolatedExactlyBy(adapters_of_driven_ports_are_named_technology_then_port, fixture,
                GreetingsImpl.class, Greetings.class);
        assertViolatedExactlyBy(no_class_hides_behind_a_vague_suffix, fixture, GreetingsImpl.class);
        assertViolatedExactlyBy(no_two_classes_share_a_simple_name, fixture,
                Greetings.class, pot.login.app.architecture.fixture.domain.port.out.Greetings.class);
    }

    /** Every violation names one of the offenders (by their full names), and every offender is named. */
    private static void assertViolatedExactlyBy(ArchRule rule, JavaClasses fixture, Class<?>... offenders) {
        List<String> violations = rule.evaluate(fixture).getFailureReport().getDetails();
        List<String> names = java.util.Arrays.stream(offenders).map(Class::getName).toList();

        assertThat(violations).as(rule.getDescription())
                .allSatisfy(violation -> assertThat(names).anySatisfy(name -> assertThat(violation)
                        .containsPattern(java.util.regex.Pattern.quote(name) + "(?![\\w$])")));
        for (String name : names) {
            assertThat(violations).as(rule.getDescription() + " names " + name)
                    .anySatisfy(violation -> assertThat(violation)
                            .containsPattern(java.util.regex.Pattern.quote(name) + "(?![\\w$])"));
        }
    }

    private static DescribedPredicate<JavaClass> areNotSealed() {
        return DescribedPredicate.describe("are not sealed (outcomes)", javaClass -> !javaClass.reflect().isSealed());
    }

    private static DescribedPredicate<JavaClass> implementADrivenPort() {
        return DescribedPredicate.describe("implement a driven port (" + DRIVEN_PORTS + ")",
                javaClass -> !drivenPortsOf(javaClass).isEmpty());
    }

    private static List<JavaClass> drivenPortsOf(JavaClass javaClass) {
        return javaClass.getAllRawInterfaces().stream().filter(resideInAPackage(DRIVEN_PORTS)).toList();
    }

    private static ArchCondition<JavaClass> beNamedTheirTechnologyFollowedByThePortTheyImplement() {
        return new ArchCondition<>("be named <Technology><Port>, after the driven port they implement") {
            @Override
            public void check(JavaClass adapter, ConditionEvents events) {
                String name = adapter.getSimpleName();
                for (JavaClass port : drivenPortsOf(adapter)) {
                    String portName = port.getSimpleName();
                    String technology = name.endsWith(portName)
                            ? name.substring(0, name.length() - portName.length()) : "";
                    if (technology.isEmpty() || !Character.isUpperCase(technology.charAt(0))) {
                        events.add(SimpleConditionEvent.violated(adapter, "%s implements %s, so its name must be a technology followed by %s (e.g. Caffeine%s), not %s"
                                .formatted(adapter.getName(), port.getName(), portName, portName, name)));
                    }
                }
            }
        };
    }

    private static DescribedPredicate<JavaClass> areNamedClassesOfTheirOwn() {
        return DescribedPredicate.describe("are top-level or member classes, not cases of a sealed type",
                javaClass -> !javaClass.getSimpleName().equals("package-info") && !isGenerated(javaClass)
                        && (javaClass.isTopLevelClass() || javaClass.isMemberClass() && !isCaseOfASealedType(javaClass)));
    }

    /** Micronaut's annotation processor writes {@code $LoginController$Definition} and the like; nobody names them. */
    private static boolean isGenerated(JavaClass javaClass) {
        return javaClass.getName().substring(javaClass.getPackageName().length() + 1).startsWith("$");
    }

    private static boolean isCaseOfASealedType(JavaClass javaClass) {
        Class<?> type = javaClass.reflect();
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(type.getSuperclass()),
                        java.util.Arrays.stream(type.getInterfaces()))
                .anyMatch(supertype -> supertype != null && supertype.isSealed());
    }

    private static ArchCondition<JavaClass> haveASimpleNameNoOtherClassHas() {
        return new ArchCondition<>("have a simple name no other class has") {
            private Map<String, List<String>> namesakes = Map.of();

            @Override
            public void init(Collection<JavaClass> all) {
                namesakes = all.stream().collect(Collectors.groupingBy(JavaClass::getSimpleName,
                        Collectors.mapping(JavaClass::getName, Collectors.toList())));
            }

            @Override
            public void check(JavaClass javaClass, ConditionEvents events) {
                List<String> others = namesakes.getOrDefault(javaClass.getSimpleName(), List.of()).stream()
                        .filter(other -> !other.equals(javaClass.getName())).toList();
                if (!others.isEmpty()) {
                    events.add(SimpleConditionEvent.violated(javaClass, "%s has the simple name of %s"
                            .formatted(javaClass.getName(), String.join(", ", others))));
                }
            }
        };
    }
}
