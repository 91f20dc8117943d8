package dev.llmgateway;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layers of docs/architecture.md, imports running one way only: the surface on top; telemetry and the other
 * listeners observing the chain from above it; the chain over the events it announces; the providers; and at the
 * bottom the request state, the error shape, the paths, the configuration and JSON.
 */
class ArchitectureTest {

    private static final JavaClasses GATEWAY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.llmgateway");

    @Test
    void importsRunDownTheLayersOnly() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Surface").definedBy("dev.llmgateway.api..", "dev.llmgateway.auth..", "dev.llmgateway.health..", "dev.llmgateway.admin..")
                .layer("Observers").definedBy("dev.llmgateway.telemetry..", "dev.llmgateway.metrics..", "dev.llmgateway.ledger..", "dev.llmgateway.keys..")
                .layer("Chain").definedBy("dev.llmgateway.inference..", "dev.llmgateway.admission..", "dev.llmgateway.calls..")
                .layer("Events").definedBy("dev.llmgateway.events..")
                .layer("Providers").definedBy("dev.llmgateway.provider..", "dev.llmgateway.pricing..")
                .layer("Foundation").definedBy("dev.llmgateway.request..", "dev.llmgateway.config..", "dev.llmgateway.json..")
                .whereLayer("Surface").mayNotBeAccessedByAnyLayer()
                .whereLayer("Observers").mayOnlyBeAccessedByLayers("Surface")
                .whereLayer("Chain").mayOnlyBeAccessedByLayers("Surface", "Observers")
                .whereLayer("Events").mayOnlyBeAccessedByLayers("Surface", "Observers", "Chain")
                .whereLayer("Providers").mayOnlyBeAccessedByLayers("Surface", "Observers", "Chain", "Events")
                .check(GATEWAY);
    }

    @Test
    void noTwoTopLevelPackagesImportEachOther() {
        slices().matching("dev.llmgateway.(*)..").should().beFreeOfCycles().check(GATEWAY);
    }

    @Test
    void prometheusListensLikeAnyListenerAndNeverReachesIntoTelemetry() {
        // telemetry's exporters count on the Prometheus series; the reverse would tie the two observers in a loop
        noClasses().that().resideInAPackage("dev.llmgateway.metrics..")
                .should().dependOnClassesThat().resideInAPackage("dev.llmgateway.telemetry..").check(GATEWAY);
    }
}
