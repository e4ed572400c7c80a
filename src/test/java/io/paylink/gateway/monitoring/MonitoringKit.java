package io.paylink.gateway.monitoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** The operator's kit in deploy/monitoring: every PromQL expression in it, and where it stands. */
public final class MonitoringKit {

    /** Maven runs tests from the project root. */
    public static final Path DIRECTORY = Path.of("deploy", "monitoring");
    public static final Path DASHBOARD = DIRECTORY.resolve("gateway-dashboard.json");
    public static final Path RULES = DIRECTORY.resolve("gateway-alerts.yaml");
    public static final Path RULE_TESTS = DIRECTORY.resolve("gateway-alerts-test.yaml");

    /** Grafana's templating query that lists a label's values, optionally of one selector's series. */
    private static final Pattern LABEL_VALUES = Pattern.compile("\\s*label_values\\(\\s*(?:(.*),)?\\s*\\w+\\s*\\)\\s*", Pattern.DOTALL);

    public record Query(String where, String expression) {
    }

    private MonitoringKit() {
    }

    /** The dashboard's panel and templating queries, the alert rules, and the series their unit tests feed in. */
    public static List<Query> queries() {
        List<Query> queries = new ArrayList<>();
        queries.addAll(dashboardQueries(read(new ObjectMapper(), DASHBOARD)));
        for (JsonNode group : rules().path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                queries.add(new Query(RULES.getFileName() + " " + rule.path("alert").asText(rule.path("record").asText()),
                        rule.path("expr").asText()));
            }
        }
        for (JsonNode test : ruleTests().path("tests")) {
            for (JsonNode series : test.path("input_series")) {
                queries.add(new Query(RULE_TESTS.getFileName() + " '" + test.path("name").asText() + "'", series.path("series").asText()));
            }
        }
        return queries;
    }

    public static JsonNode rules() {
        return read(new YAMLMapper(), RULES);
    }

    public static JsonNode ruleTests() {
        return read(new YAMLMapper(), RULE_TESTS);
    }

    private static List<Query> dashboardQueries(JsonNode dashboard) {
        List<Query> queries = new ArrayList<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                JsonNode query = variable.path("query");
                String text = query.isObject() ? query.path("query").asText() : query.asText();
                Matcher labelValues = LABEL_VALUES.matcher(text);
                if (!labelValues.matches()) {
                    throw new IllegalArgumentException("a templating query other than label_values(): " + text);
                }
                if (labelValues.group(1) != null) {
                    queries.add(new Query("variable $" + variable.path("name").asText(), labelValues.group(1)));
                }
            }
        }
        collectPanels(dashboard.path("panels"), queries);
        return queries;
    }

    /** Rows hold their collapsed panels in a panels list of their own. */
    private static void collectPanels(JsonNode panels, List<Query> queries) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new Query("panel '" + panel.path("title").asText() + "' " + target.path("refId").asText(),
                        target.path("expr").asText()));
            }
            collectPanels(panel.path("panels"), queries);
        }
    }

    private static JsonNode read(ObjectMapper mapper, Path file) {
        try {
            return mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
