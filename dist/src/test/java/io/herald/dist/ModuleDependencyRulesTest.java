package io.herald.dist;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import io.herald.dist.cli.HeraldCli;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module dependency direction of DESIGN.md, checked on the compiled classes of every module (the main classes of
 * all modules are on this module's test classpath, since dist depends on all of them):
 *
 * <pre>
 *  log-engine    (io.herald.log..)      nothing of ours; no org.apache.kafka classes
 *  security      (io.herald.security..) nothing of ours
 *  jms-selector  (io.herald.selector..) nothing of ours; nothing at all but the JDK (applications load it)
 *  server        (io.herald.server..)   log-engine, security, jms-selector
 *  jms-adapter   (io.herald.jms..)      never server, log-engine or admin-console
 *  admin-console (io.herald.console..)  server's admin API only (io.herald.server.api.., io.herald.server.metrics..)
 *  dist          (io.herald.dist..)     everything; nothing depends on it
 * </pre>
 *
 * and no package cycles inside the log engine. Maven's module graph already prevents most wrong edges (a module
 * cannot import what it does not depend on); these rules also catch a dependency added to a pom against the design,
 * and cycles between packages of one module, which Maven cannot see.
 *
 * <p>ArchUnit fails a rule whose {@code that()} selects no classes. A module that has no classes yet (security,
 * server, jms-adapter and admin-console at the time of writing) would therefore fail its rule for the wrong reason;
 * {@link #stillEmpty} allows an empty selection for exactly those modules and only while they are empty: once a module
 * has a class, its rule runs with {@code allowEmptyShould(false)} and checks that class.
 */
class ModuleDependencyRulesTest {

    private static final String OURS = "io.herald..";
    private static final String LOG = "io.herald.log..";
    private static final String SECURITY = "io.herald.security..";
    private static final String SELECTOR = "io.herald.selector..";
    private static final String SERVER = "io.herald.server..";
    private static final String JMS = "io.herald.jms..";
    private static final String CONSOLE = "io.herald.console..";
    private static final String DIST = "io.herald.dist..";

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClassesOfAllModules() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // module server's test-jar (EmbeddedHerald), on this module's test classpath as a jar
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.herald");
    }

    @Test
    void theImportSeesTheClassesOfTheModulesThatHaveAny() {
        assertThat(classes.containPackage("io.herald.log")).isTrue();
        assertThat(classes.contain("io.herald.log.PartitionLog")).isTrue();
        assertThat(classes.contain("io.herald.log.record.RecordBatch")).isTrue();
        assertThat(classes.contain(HeraldCli.class)).isTrue();
        assertThat(classes.contain(ModuleDependencyRulesTest.class))
                .as("test classes are not part of the modules' dependency graph")
                .isFalse();
        assertThat(classes.contain("io.herald.server.EmbeddedHerald"))
                .as("nor are those of module server's test-jar")
                .isFalse();
    }

    @Test
    void logEngineDependsOnNothingOfOurs() {
        onlyOursAllowed(LOG, LOG).check(classes);
    }

    @Test
    void logEngineUsesNoKafkaClasses() {
        noClasses()
                .that()
                .resideInAPackage(LOG)
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.apache.kafka..")
                .because("the engine knows record batches as bytes, never through Kafka jars (DESIGN.md)")
                .check(classes);
    }

    @Test
    void securityDependsOnNothingOfOurs() {
        onlyOursAllowed(SECURITY, SECURITY)
                .allowEmptyShould(stillEmpty(SECURITY))
                .check(classes);
    }

    @Test
    void jmsSelectorDependsOnlyOnTheJdk() {
        classes()
                .that()
                .resideInAPackage(SELECTOR)
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(SELECTOR, "java..")
                .because("the selector language ships with the JMS provider into applications")
                .check(classes);
    }

    @Test
    void serverDependsOnlyOnLogEngineSecurityAndJmsSelector() {
        onlyOursAllowed(SERVER, SERVER, LOG, SECURITY, SELECTOR)
                .allowEmptyShould(stillEmpty(SERVER))
                .check(classes);
    }

    @Test
    void jmsAdapterNeverDependsOnServerLogEngineOrConsole() {
        noClasses()
                .that()
                .resideInAPackage(JMS)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(SERVER, LOG, CONSOLE, DIST)
                .because("the JMS provider runs in applications and speaks the protocol to brokers (DESIGN.md)")
                .allowEmptyShould(stillEmpty(JMS))
                .check(classes);
    }

    @Test
    void adminConsoleDependsOnlyOnTheServersAdminApi() {
        onlyOursAllowed(CONSOLE, CONSOLE, "io.herald.server.api..", "io.herald.server.metrics..")
                .check(classes);
    }

    @Test
    void nothingDependsOnTheDistribution() {
        noClasses()
                .that()
                .resideOutsideOfPackage(DIST)
                .should()
                .dependOnClassesThat()
                .resideInAPackage(DIST)
                .check(classes);
    }

    @Test
    void logEnginePackagesHaveNoCycles() {
        noCyclesBetweenSubpackagesOf("io.herald.log").check(classes);
    }

    // ---- the rules can fail: each kind checked against fixture classes that break it -------------------------------

    @Test
    void theCycleRuleFindsACycleBetweenTwoPackages() {
        JavaClasses fixture = new ClassFileImporter().importPackages("io.herald.dist.archfixture.cycle");

        EvaluationResult result =
                noCyclesBetweenSubpackagesOf("io.herald.dist.archfixture.cycle").evaluate(fixture);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("Cycle detected");
    }

    @Test
    void theCycleRuleCountsTheRootPackageAsASlice() {
        JavaClasses fixture = new ClassFileImporter().importPackages("io.herald.dist.archfixture.rootcycle");

        EvaluationResult result = noCyclesBetweenSubpackagesOf("io.herald.dist.archfixture.rootcycle")
                .evaluate(fixture);

        assertThat(result.hasViolation()).isTrue();
    }

    @Test
    void theOnlyOursRuleFindsADependencyOnAnotherModule() {
        JavaClasses fixture = new ClassFileImporter().importPackages("io.herald.dist.archfixture.layers");

        EvaluationResult lowerOnUpper = onlyOursAllowed(
                        "io.herald.dist.archfixture.layers.lower..", "io.herald.dist.archfixture.layers.lower..")
                .evaluate(fixture);
        EvaluationResult upperOnLower = onlyOursAllowed(
                        "io.herald.dist.archfixture.layers.upper..",
                        "io.herald.dist.archfixture.layers.upper..",
                        "io.herald.dist.archfixture.layers.lower..")
                .evaluate(fixture);

        assertThat(lowerOnUpper.hasViolation()).isTrue();
        assertThat(upperOnLower.hasViolation()).isFalse();
    }

    // ---- rule definitions
    // --------------------------------------------------------------------------------------------

    /** Classes of {@code module} depend, among our classes, only on those in {@code allowed}; anything else is free. */
    private static ArchRule onlyOursAllowed(String module, String... allowed) {
        return classes()
                .that()
                .resideInAPackage(module)
                .should()
                .onlyDependOnClassesThat(resideOutsideOfPackage(OURS).or(resideInAnyPackage(allowed)))
                .because("of ours, " + module + " may use only " + Arrays.toString(allowed) + " (DESIGN.md)");
    }

    /** Each direct subpackage of {@code root} (with its own subpackages) is a slice, and {@code root} itself one more. */
    private static ArchRule noCyclesBetweenSubpackagesOf(String root) {
        return slices().assignedFrom(new SubpackageSlices(root)).should().beFreeOfCycles();
    }

    /**
     * Whether no class of {@code module} exists yet; then ArchUnit must accept a rule that selects nothing. Used only
     * for modules that DESIGN.md plans but that have no code so far.
     */
    private static boolean stillEmpty(String module) {
        return classes.stream().noneMatch(resideInAPackage(module)::test);
    }

    private record SubpackageSlices(String root) implements SliceAssignment {

        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String pkg = javaClass.getPackageName();
            if (pkg.equals(root)) {
                return SliceIdentifier.of("(root)");
            }
            if (!pkg.startsWith(root + ".")) {
                return SliceIdentifier.ignore();
            }
            String rest = pkg.substring(root.length() + 1);
            int dot = rest.indexOf('.');
            return SliceIdentifier.of(dot < 0 ? rest : rest.substring(0, dot));
        }

        @Override
        public String getDescription() {
            return "the subpackages of " + root + " and " + root + " itself";
        }
    }
}
