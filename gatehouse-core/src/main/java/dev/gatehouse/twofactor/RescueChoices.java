package dev.gatehouse.twofactor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The rescue options as the choices of the rescue form on the code page. */
final class RescueChoices {
    private RescueChoices() {
    }

    static List<Map<String, String>> labels(Map<String, String> options) {
        List<Map<String, String>> out = new ArrayList<>();
        for (String option : options.keySet()) {
            out.add(Map.of("value", option, "label", switch (option) {
                case "email" -> "Send code via email";
                case "recovery_code" -> "Use previously downloaded recovery code";
                default -> "Contact Administrator";
            }));
        }
        return out;
    }
}
