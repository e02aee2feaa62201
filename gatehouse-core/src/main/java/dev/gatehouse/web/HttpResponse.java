package dev.gatehouse.web;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A complete response that Gatehouse produced: status, headers (in order, repeatable) and body.
 *
 * @param status  HTTP status code
 * @param headers header name/value pairs, in order
 * @param body    body bytes, possibly empty
 */
public record HttpResponse(int status, List<Map.Entry<String, String>> headers, byte[] body) {

    /** Copies the headers. */
    public HttpResponse {
        headers = List.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    /** A response with a UTF-8 text body of the given content type. */
    public static HttpResponse of(int status, String contentType, String body) {
        return new HttpResponse(status, List.of(Map.entry("Content-Type", contentType)),
                body.getBytes(StandardCharsets.UTF_8));
    }

    /** A 302 redirect. */
    public static HttpResponse redirect(String location) {
        return new HttpResponse(302, List.of(Map.entry("Location", location),
                Map.entry("Content-Type", "text/html; charset=utf-8")), new byte[0]);
    }

    /** A copy with one more header. */
    public HttpResponse withHeader(String name, String value) {
        List<Map.Entry<String, String>> h = new ArrayList<>(headers);
        h.add(Map.entry(name, value));
        return new HttpResponse(status, h, body);
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        return headers.stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }
}
