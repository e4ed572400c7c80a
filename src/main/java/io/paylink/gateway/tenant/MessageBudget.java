package io.paylink.gateway.tenant;

import java.time.Duration;
import java.util.Locale;

/** At most {@code limit} messages of one channel for one tenant within one sliding period. */
public record MessageBudget(Channel channel, Period period, int limit) {

    public enum Channel {
        SMS,
        EMAIL;

        /** Metric tag and setting name part: {@code sms}, {@code email}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Period {
        HOUR(Duration.ofHours(1)),
        DAY(Duration.ofDays(1));

        private final Duration length;

        Period(Duration length) {
            this.length = length;
        }

        public Duration length() {
            return length;
        }

        /** Metric tag and setting name part: {@code hour}, {@code day}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The setting under a tenant or under {@code gateway.}, e.g. {@code budget.sms-per-hour}. */
    public String setting() {
        return setting(channel, period);
    }

    static String setting(Channel channel, Period period) {
        return "budget." + channel.label() + "-per-" + period.label();
    }
}
