package dev.gatehouse.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Flask-Security's JSON envelope, {@code {"meta":{"code":N},"response":{...}}}, for success and
 * error answers.
 */
public final class Envelope {
    private Envelope() {
    }

    /** A JSON answer with the envelope around {@code response}. */
    public static HttpResponse json(int status, Map<String, ?> response) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("meta", Map.of("code", status));
        body.put("response", response);
        return HttpResponse.of(status, "application/json", Json.MAPPER.writeValueAsString(body) + "\n");
    }

    /** The standard error body: {@code errors} (all messages) and {@code field_errors}. */
    public static HttpResponse errors(int status, FieldErrors fieldErrors) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("errors", fieldErrors.all());
        r.put("field_errors", fieldErrors.byField());
        return json(status, r);
    }

    /** An error body with plain messages and no field errors. */
    public static HttpResponse errors(int status, List<String> messages) {
        return json(status, Map.of("errors", messages));
    }
}
