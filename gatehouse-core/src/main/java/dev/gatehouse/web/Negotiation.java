package dev.gatehouse.web;

import java.util.Locale;

/** Flask-Security's content negotiation: who gets JSON and whose body is read as JSON. */
final class Negotiation {
    private Negotiation() {
    }

    static boolean isJsonContent(HttpRequest r) {
        String mt = r.mediaType();
        return mt.equals("application/json") || (mt.startsWith("application/") && mt.endsWith("+json"));
    }

    static boolean wantsJson(HttpRequest r) {
        return isJsonContent(r) || bestAcceptIsJson(r.header("Accept").orElse(""));
    }

    /**
     * Werkzeug's {@code accept_mimetypes.best == "application/json"}: the highest-quality entry
     * (the first among equals) must be {@code application/json} itself.
     */
    static boolean bestAcceptIsJson(String accept) {
        String best = null;
        double bestQ = -1;
        for (String part : accept.split(",")) {
            String[] bits = part.split(";");
            String type = bits[0].strip().toLowerCase(Locale.ROOT);
            if (type.isEmpty()) {
                continue;
            }
            double q = 1.0;
            for (int i = 1; i < bits.length; i++) {
                String p = bits[i].strip();
                if (p.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(p.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            if (q > bestQ) {
                bestQ = q;
                best = type;
            }
        }
        return "application/json".equals(best) && bestQ > 0;
    }
}
