package dev.gatehouse.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parsing of {@code application/x-www-form-urlencoded} text: query strings and form bodies. */
public final class UrlEncoded {
    private UrlEncoded() {
    }

    /**
     * Every value of every name, in order. A bare {@code name} has one empty value; a pair with a
     * malformed escape is skipped, as a lenient server does.
     */
    public static Map<String, List<String>> parse(String text) {
        if (text == null || text.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                m.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            } catch (IllegalArgumentException e) {
                // skipped, see above
            }
        }
        return Collections.unmodifiableMap(m);
    }
}
