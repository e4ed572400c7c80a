package io.paylink.gateway.monitoring;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The series a PromQL expression (Prometheus 2.x, with Grafana's {@code $variables}) selects: each
 * metric name with the label names its matchers use. Not a parser: it removes what cannot name a
 * series (strings, comments, Grafana variables, ranges, grouping label lists), then every identifier
 * that is neither a function or aggregation (followed by "(" or its grouping) nor a keyword is a metric name. A selector by
 * {@code __name__} or without a name would escape that, so it is refused rather than missed.
 */
public final class PromQl {

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset", "atan2", "inf", "nan");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^()]*\\)", Pattern.CASE_INSENSITIVE);
    private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$\\w+|\\[\\[\\w+]]");
    private static final Pattern RANGE = Pattern.compile("\\[[^\\[\\]]*]");
    private static final Pattern TOKEN = Pattern.compile(
            "(?<number>[0-9.][\\w.]*)|(?<name>[a-zA-Z_:][\\w:]*)\\s*(?<matchers>\\{[^}]*})?|(?<nameless>\\{[^}]*})|(?<other>\\S)");
    /** After a function's name, or an aggregation's whose grouping comes first: {@code sum by (le) (...)}. */
    private static final Pattern CALL = Pattern.compile("\\(|(by|without)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_]\\w*)\\s*(=~|!~|!=|=)");

    private PromQl() {
    }

    /** Metric name to the label names its selectors match on (empty if a bare name). */
    public static Map<String, Set<String>> series(String expression) {
        String code = GRAFANA_VARIABLE.matcher(withoutStringsAndComments(expression)).replaceAll("");
        code = RANGE.matcher(code).replaceAll("");
        code = GROUPING.matcher(code).replaceAll("$1");
        Map<String, Set<String>> series = new LinkedHashMap<>();
        Matcher token = TOKEN.matcher(code);
        while (token.find()) {
            if (token.group("nameless") != null) {
                throw new IllegalArgumentException("a selector without a metric name: " + expression);
            }
            String name = token.group("name");
            if (name == null || KEYWORDS.contains(name.toLowerCase(Locale.ROOT))
                    || token.group("matchers") == null && CALL.matcher(code).region(token.end(), code.length()).lookingAt()) {
                continue;
            }
            Set<String> labels = series.computeIfAbsent(name, n -> new HashSet<>());
            if (token.group("matchers") != null) {
                Matcher matcher = MATCHER.matcher(token.group("matchers"));
                while (matcher.find()) {
                    if (matcher.group(1).equals("__name__")) {
                        throw new IllegalArgumentException("a selector by __name__: " + expression);
                    }
                    labels.add(matcher.group(1));
                }
            }
        }
        return series;
    }

    /**
     * Strings become {@code ""} (a label value or a function argument, never a metric name, and may hold
     * any character); comments run from {@code #} to the end of the line.
     */
    private static String withoutStringsAndComments(String expression) {
        StringBuilder code = new StringBuilder(expression.length());
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                int end = i + 1;
                while (end < expression.length() && expression.charAt(end) != c) {
                    end += c != '`' && expression.charAt(end) == '\\' ? 2 : 1;
                }
                if (end >= expression.length()) {
                    throw new IllegalArgumentException("an unterminated string: " + expression);
                }
                code.append("\"\"");
                i = end;
            } else if (c == '#') {
                int end = expression.indexOf('\n', i);
                i = end < 0 ? expression.length() : end;
                code.append('\n');
            } else {
                code.append(c);
            }
        }
        return code.toString();
    }
}
