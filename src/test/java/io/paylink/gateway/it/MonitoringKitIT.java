package io.paylink.gateway.it;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.paylink.gateway.support.FrontPaymentStubs.ACCEPTED;
import static io.paylink.gateway.support.FrontPaymentStubs.anyResend;
import static io.paylink.gateway.support.FrontPaymentStubs.answer;
import static io.paylink.gateway.support.FrontPaymentStubs.json;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.paylink.gateway.monitoring.MonitoringKit;
import io.paylink.gateway.monitoring.PromQl;

/**
 * Every series the dashboard and the alert rules of deploy/monitoring read, with the labels they
 * match on, is one the packaged app really exports on its management port. Some meters appear only
 * once used, so the app first answers a resend through Front Payment (WireMock); a tenant with a
 * budget makes the budget gauges exist. Series names are compared as scraped, so a histogram's
 * {@code _bucket}, {@code _count} and {@code _sum} are checked as such.
 */
class MonitoringKitIT {

    private static final String KEY = "it-api-key";
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][\\w:]*)(?:\\{(.*)})?\\s+\\S+.*");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_]\\w*)=\"(?:[^\"\\\\]|\\\\.)*\"");
    /** Labels the scrape adds to every series, not the app. */
    private static final Set<String> TARGET_LABELS = Set.of("instance", "job");

    @Test
    void everySeriesTheDashboardAndTheAlertsReadIsExported() throws Exception {
        WireMockServer frontPayment = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        frontPayment.start();
        String scrape;
        try (PackagedApp app = PackagedApp.start(Map.of(
                "QUARKUS_HTTP_PORT", "0",
                PackagedApp.HASH_SECRET.getKey(), PackagedApp.HASH_SECRET.getValue(),
                "QUARKUS_REST_CLIENT_FRONT_PAYMENT_URL", frontPayment.baseUrl(),
                "GATEWAY_TENANTS__IT__API_KEY_SHA256", "26929a0319d220d8845ab862ea110394becf4469495e3a57952a7d95d41a5200",
                "GATEWAY_TENANTS__IT__FRONT_PAYMENT_TOKEN", "it-front-payment-token",
                "GATEWAY_TENANTS__IT__BUDGET_SMS_PER_HOUR", "100",
                "GATEWAY_TENANTS__IT__BUDGET_SMS_PER_DAY", "1000",
                "GATEWAY_TENANTS__IT__BUDGET_EMAIL_PER_HOUR", "100",
                "GATEWAY_TENANTS__IT__BUDGET_EMAIL_PER_DAY", "1000"))) {
            answer(frontPayment, json(202, ACCEPTED));
            int port = app.port();
            given().port(port).header("X-Api-Key", KEY).contentType("application/json").body("{\"phone\":\"+47 912 34 567\"}")
                    .post("/v1/orders/ODR-MON-1/payment-link/resend").then().statusCode(202);
            assertEquals(1, frontPayment.findAll(anyResend()).size());
            scrape = given().port(app.managementPort()).get("/q/metrics").then().statusCode(200).extract().asString();
        } finally {
            frontPayment.stop();
        }

        Map<String, Set<String>> exported = exported(scrape);
        Set<String> missing = new TreeSet<>();
        for (MonitoringKit.Query query : MonitoringKit.queries()) {
            PromQl.series(query.expression()).forEach((name, labels) -> {
                if (!exported.containsKey(name)) {
                    missing.add(query.where() + ": " + name);
                } else {
                    labels.stream().filter(label -> !TARGET_LABELS.contains(label) && !exported.get(name).contains(label))
                            .forEach(label -> missing.add(query.where() + ": " + name + " has no label " + label));
                }
            });
        }
        assertTrue(exported.containsKey("gateway_requests_total"), scrape);
        assertEquals(Set.of(), missing, "not in the packaged app's /q/metrics");
    }

    /** Series name to the label names it carries, from Prometheus' text format. */
    private static Map<String, Set<String>> exported(String scrape) {
        Map<String, Set<String>> exported = new HashMap<>();
        scrape.lines().filter(line -> !line.startsWith("#") && !line.isBlank()).forEach(line -> {
            Matcher sample = SAMPLE.matcher(line);
            assertTrue(sample.matches(), line);
            Set<String> labels = exported.computeIfAbsent(sample.group(1), name -> new HashSet<>());
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.add(label.group(1));
                }
            }
        });
        return exported;
    }
}
