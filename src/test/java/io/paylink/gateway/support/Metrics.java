package io.paylink.gateway.support;

import static io.restassured.RestAssured.given;

import java.util.Arrays;

/** Reads the gateway's Prometheus scrape, as an operator's dashboard would. */
public final class Metrics {

    private Metrics() {
    }

    public static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The sum of every series called {@code name} whose labels contain all the given fragments; 0 if none. */
    public static double sum(String scrape, String name, String... labels) {
        return scrape.lines()
                .filter(line -> (line.startsWith(name + "{") || line.startsWith(name + " ")) && Arrays.stream(labels).allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
