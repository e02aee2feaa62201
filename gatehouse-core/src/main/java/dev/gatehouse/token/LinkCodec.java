package dev.gatehouse.token;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/** The part every link token shares: a salted serializer, an age limit and a payload shape. */
final class LinkCodec<T> {
    private final TimedSerializer serializer;
    private final Duration within;
    private final Function<JsonNode, T> parser;

    LinkCodec(List<String> secretKeys, String salt, Duration within, Clock clock, Function<JsonNode, T> parser) {
        Objects.requireNonNull(within, "within");
        if (within.isNegative() || within.isZero()) {
            throw new IllegalArgumentException("a link's validity must be positive");
        }
        this.serializer = new TimedSerializer(secretKeys, salt, clock);
        this.within = within;
        this.parser = parser;
    }

    String dumps(JsonNode payload) {
        return serializer.dumps(payload);
    }

    TokenResult<T> check(String token) {
        return serializer.loads(token, within).map(parser);
    }

    /** The element as a non-empty string, else null. */
    static String text(JsonNode n) {
        return n != null && n.isString() && !n.stringValue().isEmpty() ? n.stringValue() : null;
    }

    /** A JSON array of exactly {@code size} elements, else null. */
    static JsonNode array(JsonNode n, int size) {
        return n.isArray() && n.size() == size ? n : null;
    }
}
