package dev.gatehouse.i18n;

import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * Flask-Security's messages, keyed by its message keys ({@code INVALID_PASSWORD}, …) and kept in
 * the resource bundle {@code dev.gatehouse.i18n.messages}, so they can be translated or overridden
 * by putting a bundle of the same name earlier on the class path. Placeholders look like
 * {@code {email}}.
 */
public final class Messages {
    private static final String BUNDLE = "dev.gatehouse.i18n.messages";
    private final ResourceBundle bundle;

    private Messages(ResourceBundle bundle) {
        this.bundle = bundle;
    }

    /** The messages of a locale (English texts are the fallback). */
    public static Messages forLocale(Locale locale) {
        return new Messages(ResourceBundle.getBundle(BUNDLE, locale, ResourceBundle.Control.getNoFallbackControl(
                ResourceBundle.Control.FORMAT_PROPERTIES)));
    }

    /** The English messages. */
    public static Messages english() {
        return forLocale(Locale.ROOT);
    }

    /** The text of a key with its placeholders filled from {@code args}; an unknown key is returned as is. */
    public String get(String key, Map<String, ?> args) {
        String text;
        try {
            text = bundle.getString(key);
        } catch (MissingResourceException e) {
            return key;
        }
        for (Map.Entry<String, ?> a : args.entrySet()) {
            text = text.replace("{" + a.getKey() + "}", String.valueOf(a.getValue()));
        }
        return text;
    }

    /** The text of a key without placeholders. */
    public String get(String key) {
        return get(key, Map.of());
    }

    /** The category of a key: {@code error}, {@code info} or {@code success}. */
    public String category(String key) {
        try {
            return bundle.getString(key + ".category");
        } catch (MissingResourceException e) {
            return "info";
        }
    }
}
