package dev.gatehouse.i18n;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Durations in words, as Flask-Security formats link lifetimes in messages and mails
 * ("2 days", "1 hour and 30 minutes"): English, largest units first.
 */
public final class Durations {
    private static final long[] SECONDS = {365L * 86400, 30L * 86400, 86400, 3600, 60, 1};
    private static final String[] NAMES = {"year", "month", "day", "hour", "minute", "second"};

    private Durations() {
    }

    /** The duration in words; zero or negative gives {@code "0 seconds"}. */
    public static String describe(Duration d) {
        long seconds = d.getSeconds();
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < SECONDS.length; i++) {
            if (seconds >= SECONDS[i]) {
                long n = seconds / SECONDS[i];
                seconds %= SECONDS[i];
                parts.add(n + " " + NAMES[i] + (n > 1 ? "s" : ""));
            }
        }
        if (parts.isEmpty()) {
            return "0 seconds";
        }
        return parts.size() == 2 ? parts.get(0) + " and " + parts.get(1) : String.join(", ", parts);
    }
}
