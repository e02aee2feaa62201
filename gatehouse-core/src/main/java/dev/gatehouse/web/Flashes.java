package dev.gatehouse.web;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * One-time notices for the HTML pages, like Flask's {@code flash()}: an endpoint that redirects
 * adds a message ("Thank you. Your email has been confirmed."), and the next page rendered for
 * the same browser shows and removes it. Kept in the session; only used when
 * {@code SECURITY_FLASH_MESSAGES} is on, and never for JSON clients.
 */
public final class Flashes {
    private static final String KEY = "_flashes";

    private Flashes() {
    }

    /** Adds a notice of a category ({@code error}, {@code info}, {@code success}). */
    public static void add(Exchange ex, String category, String message) {
        if (!ex.gatehouse().config().get(dev.gatehouse.ConfigKeys.FLASH_MESSAGES)) {
            return;
        }
        List<Map<String, String>> list = new ArrayList<>(read(ex));
        Map<String, String> m = new LinkedHashMap<>();
        m.put("category", category);
        m.put("message", message);
        list.add(m);
        write(ex, list);
    }

    /** Removes and returns the notices waiting for this browser, oldest first. */
    public static List<Map<String, String>> take(Exchange ex) {
        List<Map<String, String>> list = read(ex);
        if (!list.isEmpty()) {
            write(ex, List.of());
        }
        return list;
    }

    private static List<Map<String, String>> read(Exchange ex) {
        String raw = ex.session().extra().get(KEY);
        if (raw == null) {
            return List.of();
        }
        List<Map<String, String>> out = new ArrayList<>();
        try {
            for (JsonNode n : Json.MAPPER.readTree(raw)) {
                out.add(Map.of("category", n.path("category").asString(""), "message", n.path("message").asString("")));
            }
        } catch (JacksonException e) {
            return List.of();
        }
        return out;
    }

    private static void write(Exchange ex, List<Map<String, String>> list) {
        Map<String, String> extra = new HashMap<>(ex.session().extra());
        if (list.isEmpty()) {
            extra.remove(KEY);
        } else {
            extra.put(KEY, Json.MAPPER.writeValueAsString(list));
        }
        ex.setSession(ex.session().withExtra(extra));
    }
}
