package dev.llmgateway.telemetry.export;

import dev.llmgateway.telemetry.export.RequestRoutingTest.Recorder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TenantExportersTest {

    private final List<Recorder> made = new CopyOnWriteArrayList<>();

    private TenantExporters tenants(int bound, int perSecond) {
        return new TenantExporters(headers -> {
            Recorder recorder = new Recorder(headers);
            made.add(recorder);
            return recorder;
        }, () -> bound, () -> perSecond, dev.llmgateway.metrics.GatewayMetrics.shared());
    }

    @Test
    void aFloodOfNewHeaderSetsIsRefusedOnceItsBudgetIsSpentWhileKnownOnesAndOtherCallersGoOn() {
        TenantExporters tenants = tenants(64, 5);
        TenantExporters.Tenant steady = tenants.lease(Map.of("x-tenant", "steady"), "team-a", false);
        tenants.release(steady);

        int refused = 0;
        for (int i = 0; i < 300; i++) {
            try {
                tenants.release(tenants.lease(Map.of("x-tenant", "flood-" + i), "flooder", false));
            } catch (ExportRouteUnavailableException e) {
                refused++;
            }
        }
        assertThat(refused).as("only a second's budget of new exporters").isBetween(294, 295);
        assertThat(made).hasSizeBetween(6, 7);

        assertThat(tenants.lease(Map.of("x-tenant", "steady"), "team-a", false)).as("a known header set needs no budget").isSameAs(steady);
        assertThat(tenants.lease(Map.of("x-tenant", "other"), "team-b", false)).as("another caller's budget is its own").isNotNull();
    }

    @Test
    void aLeasedExporterIsNeverEvictedAndNewSetsWaitForRoom() {
        TenantExporters tenants = tenants(2, 100);
        TenantExporters.Tenant a = tenants.lease(Map.of("t", "a"), "", false);
        TenantExporters.Tenant b = tenants.lease(Map.of("t", "b"), "", false);
        assertThatThrownBy(() -> tenants.lease(Map.of("t", "c"), "", false)).isInstanceOf(ExportRouteUnavailableException.class)
                .hasMessageContaining("in use");

        tenants.release(a);
        TenantExporters.Tenant c = tenants.lease(Map.of("t", "c"), "", false);
        assertThat(c).isNotNull();
        assertThat(made.get(0).shutdown).as("the released one was evicted and closed").isTrue();
        assertThat(made.get(1).shutdown).isFalse();
        tenants.release(b);
        tenants.release(c);
    }

    @Test
    void oneKeyHoldsAtMostAQuarterAndAKeysOwnHeadersAlwaysHaveTheirExporter() {
        TenantExporters tenants = tenants(8, 100);
        tenants.lease(Map.of("t", "1"), "greedy", false);
        tenants.lease(Map.of("t", "2"), "greedy", false);
        assertThatThrownBy(() -> tenants.lease(Map.of("t", "3"), "greedy", false)).isInstanceOf(ExportRouteUnavailableException.class)
                .hasMessageContaining("already holds");
        for (int i = 0; i < 6; i++) {
            tenants.lease(Map.of("t", "other-" + i), "key-" + i, false);
        }
        assertThatThrownBy(() -> tenants.lease(Map.of("t", "more"), "late", false)).hasMessageContaining("in use");
        TenantExporters.Tenant own = tenants.lease(Map.of("x-tenant-token", "configured"), "late", true);
        assertThat(tenants.lease(Map.of("x-tenant-token", "configured"), "late", true)).as("kept, outside the bound").isSameAs(own);
    }
}
