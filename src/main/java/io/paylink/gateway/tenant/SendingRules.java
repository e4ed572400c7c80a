package io.paylink.gateway.tenant;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.paylink.gateway.GatewayConfig;
import io.paylink.gateway.contact.MobileNumber;
import io.paylink.gateway.tenant.MessageBudget.Channel;
import io.paylink.gateway.tenant.MessageBudget.Period;

/**
 * What a tenant may send, against SMS pumping: the countries its SMS may go to, and its message
 * budgets. A tenant without its own setting has the gateway-wide one ({@code gateway.sms-countries},
 * {@code gateway.budget.*}).
 *
 * @param smsCountries ISO 3166 alpha-2 codes, upper case
 * @param countriesFrom where the list comes from, for the start-up log line
 * @param budgets at most one per channel and period
 */
public record SendingRules(Set<String> smsCountries, String countriesFrom, List<MessageBudget> budgets) {

    static final String COUNTRIES = "sms-countries";
    private static final int MAX_BUDGET = 1_000_000_000;

    public boolean allowsSmsTo(String country) {
        return smsCountries.contains(country);
    }

    /** One log line's worth, without anything secret: "SMS to DK,FI,NO,SE (gateway default); budgets sms 100/hour". */
    String describe() {
        String budgetText = budgets.isEmpty() ? "no message budget"
                : "budgets " + budgets.stream().map(b -> b.channel().label() + " " + b.limit() + "/" + b.period().label())
                        .collect(Collectors.joining(", "));
        return "SMS to " + String.join(",", smsCountries) + " (" + countriesFrom + "); " + budgetText;
    }

    /** The gateway-wide rules, each problem added; {@code setting} names a key under {@code gateway.} for the operator. */
    static SendingRules gatewayDefaults(GatewayConfig config, List<String> problems) {
        Function<String, String> setting = key -> TenantRegistry.env("gateway." + key) + " (gateway." + key + ")";
        Set<String> countries = countries(config.smsCountries(), setting.apply(COUNTRIES), problems);
        List<MessageBudget> budgets = new ArrayList<>();
        budgets(config.budget(), setting, problems, List.of()).forEach(budgets::add);
        return new SendingRules(countries, "gateway.sms-countries", List.copyOf(budgets));
    }

    /** A tenant's rules: its own settings where it has them, the defaults elsewhere. */
    static SendingRules of(GatewayConfig.TenantConfig config, SendingRules defaults, Function<String, String> setting,
            List<String> problems) {
        Optional<String> own = config.smsCountries().filter(value -> !value.isBlank());
        Set<String> countries = own.map(value -> countries(value, setting.apply(COUNTRIES), problems)).orElse(defaults.smsCountries());
        List<MessageBudget> budgets = budgets(config.budget(), setting, problems, defaults.budgets());
        return new SendingRules(countries, own.isPresent() ? "its own" : "gateway default", budgets);
    }

    private static Set<String> countries(String value, String setting, List<String> problems) {
        Set<String> known = MobileNumber.countries();
        Set<String> countries = new TreeSet<>();
        List<String> unknown = new ArrayList<>();
        for (String part : value.split(",")) {
            String code = part.strip().toUpperCase(Locale.ROOT);
            if (code.isEmpty()) {
                continue;
            }
            if (known.contains(code)) {
                countries.add(code);
            } else {
                unknown.add(code.matches("[A-Z0-9]{1,8}") ? code : "(not a code)");
            }
        }
        if (!unknown.isEmpty()) {
            problems.add(setting + " has unknown country codes " + String.join(",", unknown)
                    + ": list ISO 3166 alpha-2 codes separated by commas, e.g. NO,SE,DK");
        } else if (countries.isEmpty()) {
            problems.add(setting + " lists no country: list ISO 3166 alpha-2 codes separated by commas, e.g. NO,SE,DK");
        }
        return Collections.unmodifiableSet(countries);
    }

    /** The configured budgets, each falling back to the default of its channel and period. */
    private static List<MessageBudget> budgets(GatewayConfig.BudgetConfig config, Function<String, String> setting,
            List<String> problems, List<MessageBudget> defaults) {
        List<MessageBudget> budgets = new ArrayList<>();
        for (Channel channel : Channel.values()) {
            for (Period period : Period.values()) {
                Optional<String> value = limit(config, channel, period).map(String::strip).filter(v -> !v.isEmpty());
                if (value.isEmpty()) {
                    defaults.stream().filter(b -> b.channel() == channel && b.period() == period).forEach(budgets::add);
                    continue;
                }
                parse(value.get()).ifPresentOrElse(limit -> budgets.add(new MessageBudget(channel, period, limit)),
                        () -> problems.add(setting.apply(MessageBudget.setting(channel, period)) + " is not a whole number from 1 to "
                                + MAX_BUDGET + ": set the most " + channel.label() + " messages a tenant may send within one "
                                + period.label() + ", or unset it"));
            }
        }
        return List.copyOf(budgets);
    }

    private static Optional<String> limit(GatewayConfig.BudgetConfig config, Channel channel, Period period) {
        return switch (channel) {
            case SMS -> period == Period.HOUR ? config.smsPerHour() : config.smsPerDay();
            case EMAIL -> period == Period.HOUR ? config.emailPerHour() : config.emailPerDay();
        };
    }

    private static Optional<Integer> parse(String value) {
        if (!value.matches("[0-9]{1,10}")) {
            return Optional.empty();
        }
        long limit = Long.parseLong(value);
        return limit >= 1 && limit <= MAX_BUDGET ? Optional.of((int) limit) : Optional.empty();
    }
}
