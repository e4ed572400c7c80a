package io.paylink.gateway.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The extractor behind MonitoringKitIT: if it missed a name, a query on a series that does not exist would pass. */
class PromQlTest {

    @Test
    void aSelectorsNameAndTheLabelsItMatchesOn() {
        assertEquals(Map.of("gateway_requests_total", Set.of("tenant", "outcome")),
                PromQl.series("sum by (outcome) (rate(gateway_requests_total{tenant=~\"$tenant\", outcome!=\"ACCEPTED\"}[$__rate_interval]))"));
    }

    @Test
    void functionsAggregationsGroupingLabelsAndKeywordsAreNotSeries() {
        assertEquals(Set.of("gateway_upstream_seconds_bucket"),
                PromQl.series("histogram_quantile(0.95, sum by (le) (rate(gateway_upstream_seconds_bucket[5m])))").keySet());
        assertEquals(Set.of("x"), PromQl.series("sum(rate(x[5m])) without (instance)").keySet());
        assertEquals(Set.of("a", "b", "c", "d"), PromQl.series(
                "a / on (tenant) group_left (channel) b > bool 0.2 AND c unless ignoring(job) d offset 15m").keySet());
        assertEquals(Set.of(), PromQl.series("vector(1) + time() * 1e3 + 0x1F - Inf").keySet());
    }

    @Test
    void aNameIsFoundWhereverItStands() {
        assertEquals(Set.of("max_state", "up", "gateway_state_store_up"), PromQl.series("""
                max_over_time(max_state[2m:30s]) # a "comment" naming not_a_series
                  or label_replace(up, "dst", "{not_a_series}", "src", "(.*)")
                  or gateway_state_store_up @ start()
                """).keySet());
        assertEquals(Set.of("gateway_circuit_breaker_state"), PromQl.series("gateway_circuit_breaker_state == 2").keySet());
        assertEquals(Set.of("gateway_tenant_budget_remaining", "gateway_tenant_budget_limit"),
                PromQl.series("gateway_tenant_budget_remaining{tenant=~\"${tenant:regex}\"} / gateway_tenant_budget_limit").keySet());
    }

    @Test
    void aSelectorItCannotNameIsRefusedNotMissed() {
        assertThrows(IllegalArgumentException.class, () -> PromQl.series("{__name__=~\"gateway_.*\"}"));
        assertThrows(IllegalArgumentException.class, () -> PromQl.series("rate({job=\"gateway\"}[5m])"));
        assertThrows(IllegalArgumentException.class, () -> PromQl.series("count(x{__name__=\"y\"})"));
        assertThrows(IllegalArgumentException.class, () -> PromQl.series("x{a=\"unterminated}"));
    }
}
