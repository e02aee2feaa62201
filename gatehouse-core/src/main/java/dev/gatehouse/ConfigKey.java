package dev.gatehouse;

import java.util.Objects;
import java.util.function.Function;

/**
 * One setting of {@link GatehouseConfig}: its Flask-Security name, its type, how text is parsed
 * into it and its default. All keys are listed in {@link ConfigKeys}.
 *
 * @param name         the Flask name as found in the environment: {@code SECURITY_TOKEN_MAX_AGE},
 *                     {@code SECRET_KEY}, {@code MAIL_SERVER}, …
 * @param type         the Java type of the value
 * @param parser       turns the text form into the value; throws {@link IllegalArgumentException}
 *                     with a reason when the text is malformed
 * @param defaultValue the value when the key is not set, possibly {@code null}
 * @param <T>          value type
 */
public record ConfigKey<T>(String name, Class<?> type, Function<String, T> parser, T defaultValue) {

    /** Checks the parts. */
    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(parser, "parser");
    }

    /** Parses a text value, naming this key in the error when it is malformed. */
    T parse(String text) {
        try {
            return parser.apply(text.strip());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
