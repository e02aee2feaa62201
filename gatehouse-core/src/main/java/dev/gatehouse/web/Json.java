package dev.gatehouse.web;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The JSON mapper of responses: compact, keys sorted as Flask writes them. */
public final class Json {
    /** Shared, immutable, thread-safe mapper. */
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private Json() {
    }
}
