package dev.gatehouse.servlet;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A user agent for tests: its own cookie jar (every cookie sent back, as a browser on localhost does). */
final class Client {
    static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final String base;
    final Map<String, String> cookies = new LinkedHashMap<>();
    String csrf;

    Client(String base) {
        this.base = base;
    }

    Res get(String path, String... headers) {
        return send("GET", path, null, null, headers);
    }

    Res postJson(String path, Object body, String... headers) {
        return send("POST", path, body == null ? "" : JSON.writeValueAsString(body), "application/json", headers);
    }

    Res postForm(String path, String body, String... headers) {
        return send("POST", path, body, "application/x-www-form-urlencoded", headers);
    }

    Res send(String method, String path, String body, String contentType, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        boolean accept = false;
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
            accept |= headers[i].equalsIgnoreCase("Accept");
        }
        if (!accept) {
            b.header("Accept", "application/json");
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (!cookies.isEmpty()) {
            StringBuilder c = new StringBuilder();
            cookies.forEach((k, v) -> c.append(c.length() == 0 ? "" : "; ").append(k).append('=').append(v));
            b.header("Cookie", c.toString());
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            for (String sc : r.headers().allValues("Set-Cookie")) {
                String nv = sc.split(";", 2)[0];
                String name = nv.substring(0, nv.indexOf('='));
                String value = nv.substring(nv.indexOf('=') + 1);
                if (value.isEmpty() || sc.contains("Max-Age=0")) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, value);
                }
            }
            Res res = new Res(r);
            JsonNode t = res.response().get("csrf_token");
            if (t != null && t.isString()) {
                csrf = t.asString();
            }
            return res;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A response with the envelope unpacked. */
    record Res(HttpResponse<String> raw) {
        int status() {
            return raw.statusCode();
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        List<String> headers(String name) {
            return raw.headers().allValues(name);
        }

        String body() {
            return raw.body();
        }

        JsonNode json() {
            return JSON.readTree(raw.body());
        }

        JsonNode response() {
            try {
                JsonNode r = JSON.readTree(raw.body()).get("response");
                return r == null ? JSON.createObjectNode() : r;
            } catch (RuntimeException e) {
                return JSON.createObjectNode();
            }
        }
    }
}
