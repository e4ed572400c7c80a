package io.paylink.gateway.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What can be checked of deploy/monitoring without Prometheus or the app: promtool runs the rules'
 * tests in .ci/run only, and MonitoringKitIT compares the names with a live scrape.
 */
class MonitoringKitTest {

    @Test
    void everyQueryOfTheDashboardAndTheRulesNamesTheSeriesItReads() {
        List<MonitoringKit.Query> queries = MonitoringKit.queries();
        // guards MonitoringKitIT against passing because nothing was read
        assertTrue(queries.stream().filter(q -> q.where().startsWith("panel ")).count() >= 8, queries::toString);
        assertTrue(queries.stream().anyMatch(q -> q.where().startsWith("variable ")), queries::toString);
        assertTrue(queries.stream().anyMatch(q -> q.where().startsWith(MonitoringKit.RULES.getFileName().toString())), queries::toString);
        for (MonitoringKit.Query query : queries) {
            assertFalse(PromQl.series(query.expression()).isEmpty(), () -> query + " names no series");
        }
    }

    @Test
    void everyAlertHasAUnitTestWhereItFiresAndOneWhereItDoesNot() {
        Set<String> alerts = new TreeSet<>();
        for (JsonNode group : MonitoringKit.rules().path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                alerts.add(rule.path("alert").asText());
            }
        }
        Set<String> firing = new HashSet<>();
        Set<String> silent = new HashSet<>();
        for (JsonNode test : MonitoringKit.ruleTests().path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                (check.path("exp_alerts").isEmpty() ? silent : firing).add(check.path("alertname").asText());
            }
        }
        assertFalse(alerts.isEmpty());
        assertEquals(alerts, new TreeSet<>(firing), "alerts with a test where they fire");
        assertEquals(alerts, new TreeSet<>(silent), "alerts with a test where they stay silent");
    }
}
