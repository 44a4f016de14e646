package io.github.luzj.examples.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The house rules of docs/architecture.md, checked on the compiled main classes of every module
 * (luzj-examples' test classpath holds them all): no package cycles, luzj-core's floors, and
 * modules that fan out from core.
 */
class ArchitectureTest {

    private static final String LUZJ = "io.github.luzj";

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        // the other modules come as folders under `mvn test` and as jars under `mvn verify`;
        // test classes (and luzj-core's test jar) stay out either way
        main = new ClassFileImporter()
                .withImportOption(location -> !location.contains("/test-classes/")
                        && !location.contains("-tests.jar"))
                .importPackages(LUZJ);
        for (String module : List.of(".base", ".callbacks", ".lrfinder", ".examples")) {
            assertThat(main.stream().anyMatch(c -> c.getPackageName().startsWith(LUZJ + module)))
                    .as("classes of %s imported", LUZJ + module)
                    .isTrue();
        }
        assertThat(main.contain(LUZJ + ".Luz")).as("the root package imported").isTrue();
        assertThat(main.stream().noneMatch(c -> c.getPackageName().startsWith(LUZJ + ".testing")))
                .as("test classes left out")
                .isTrue();
    }

    /** Every package its own slice, the root package ({@code io.github.luzj}, "luzj") too. */
    static ArchRule noPackageCycles() {
        return slices().matching("io.github.(**)").should().beFreeOfCycles();
    }

    /** luzj-core's floors: a package uses only packages on lower floors (or its own). */
    static ArchRule coreFloors() {
        return layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("base").definedBy(LUZJ + ".base..")
                .layer("data").definedBy(LUZJ + ".data..")
                .layer("metric").definedBy(LUZJ + ".metric..")
                .layer("optim").definedBy(LUZJ + ".optim..")
                .layer("record").definedBy(LUZJ + ".record..")
                .layer("loss").definedBy(LUZJ + ".loss..")
                .layer("weights").definedBy(LUZJ + ".weights..")
                .layer("vision.transforms").definedBy(LUZJ + ".vision.transforms..")
                .layer("vision.models").definedBy(LUZJ + ".vision.models..")
                .layer("djl").definedBy(LUZJ + ".djl..")
                .layer("callback").definedBy(LUZJ + ".callback..")
                .layer("checkpoint").definedBy(LUZJ + ".checkpoint..")
                .layer("fit").definedBy(LUZJ + ".fit..")
                .layer("root").definedBy(LUZJ)
                .layer("transfer").definedBy(LUZJ + ".transfer..")
                .layer("modules").definedBy(
                        LUZJ + ".callbacks..", LUZJ + ".lrfinder..", LUZJ + ".examples..")
                .whereLayer("base").mayNotAccessAnyLayer()
                .whereLayer("data").mayOnlyAccessLayers("base")
                .whereLayer("metric").mayOnlyAccessLayers("base")
                .whereLayer("optim").mayOnlyAccessLayers("base")
                .whereLayer("record").mayOnlyAccessLayers("base")
                .whereLayer("loss").mayOnlyAccessLayers("base")
                .whereLayer("weights").mayOnlyAccessLayers("base", "data")
                .whereLayer("vision.transforms").mayOnlyAccessLayers("base", "data")
                .whereLayer("vision.models").mayOnlyAccessLayers("base", "data", "weights")
                .whereLayer("djl").mayOnlyAccessLayers("base", "data", "metric")
                .whereLayer("callback").mayOnlyAccessLayers("base", "optim", "record")
                .whereLayer("checkpoint").mayOnlyAccessLayers("base", "data", "optim", "record")
                .whereLayer("fit").mayOnlyAccessLayers(
                        "base", "data", "metric", "optim", "record", "loss", "djl", "callback",
                        "checkpoint")
                .whereLayer("root").mayOnlyAccessLayers(
                        "base", "data", "metric", "optim", "record", "loss", "djl", "callback",
                        "checkpoint", "fit")
                .whereLayer("transfer").mayOnlyAccessLayers(
                        "base", "data", "metric", "optim", "record", "loss", "weights",
                        "vision.transforms", "vision.models", "callback", "checkpoint", "fit",
                        "root");
    }

    @Test
    void mainCodeHasNoPackageCycle() {
        noPackageCycles().check(main);
    }

    @Test
    void corePackagesUseOnlyLowerFloors() {
        coreFloors().check(main);
    }

    @Test
    void coreUsesNoOtherModule() {
        noClasses().that().resideInAnyPackage(coreRoots())
                .should().dependOnClassesThat().resideInAnyPackage(
                        LUZJ + ".callbacks..", LUZJ + ".lrfinder..", LUZJ + ".examples..")
                .check(main);
    }

    @Test
    void lrfinderAndCallbacksAreIndependentModules() {
        noClasses().that().resideInAPackage(LUZJ + ".lrfinder..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        LUZJ + ".callbacks..", LUZJ + ".examples..")
                .check(main);
        noClasses().that().resideInAPackage(LUZJ + ".callbacks..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        LUZJ + ".lrfinder..", LUZJ + ".examples..")
                .check(main);
    }

    @Test
    void theCycleRuleSeesACycle() {
        JavaClasses withCycle = new ClassFileImporter()
                .importPackages("io.github.luzj.examples.architecture.cycle");
        assertThatThrownBy(() -> noPackageCycles().check(withCycle))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Cycle detected");
    }

    private static String[] coreRoots() {
        return new String[] {
            LUZJ, LUZJ + ".base..", LUZJ + ".data..", LUZJ + ".metric..", LUZJ + ".optim..",
            LUZJ + ".record..", LUZJ + ".loss..", LUZJ + ".weights..", LUZJ + ".vision..",
            LUZJ + ".djl..", LUZJ + ".callback..", LUZJ + ".checkpoint..", LUZJ + ".fit..",
            LUZJ + ".transfer.."
        };
    }
}
