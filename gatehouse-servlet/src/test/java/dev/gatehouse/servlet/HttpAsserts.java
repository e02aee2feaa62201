package dev.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Checks of Flask-Security's JSON envelope shared by the HTTP tests. */
final class HttpAsserts {
    private HttpAsserts() {
    }

    /** A JSON error: status, envelope, errors listing every field error, the message on the field (null: any). */
    static JsonNode assertError(Client.Res r, int status, String field, String msg) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode body = r.json();
        assertThat(body.path("meta").path("code").asInt()).isEqualTo(status);
        JsonNode resp = body.path("response");
        assertThat(resp.path("errors").isArray()).as(r.body()).isTrue();
        assertThat(resp.path("errors").isEmpty()).as(r.body()).isFalse();
        assertThat(resp.has("csrf_token")).as(r.body()).isFalse();
        assertThat(resp.has("user")).as(r.body()).isFalse();
        List<String> flat = new ArrayList<>();
        resp.path("field_errors").properties().forEach(e -> e.getValue().forEach(m -> flat.add(m.asString())));
        if (resp.has("field_errors")) {
            assertThat(resp.path("errors").valueStream().map(JsonNode::asString).toList()).as(r.body())
                    .containsExactlyInAnyOrderElementsOf(flat);
        }
        if (field != null) {
            assertThat(resp.path("field_errors").path(field).isArray()).as(r.body()).isTrue();
            if (msg != null) {
                assertThat(resp.path("field_errors").path(field).valueStream().map(JsonNode::asString).toList())
                        .as(r.body()).contains(msg);
            }
        } else if (msg != null) {
            assertThat(resp.path("errors").valueStream().map(JsonNode::asString).toList()).as(r.body()).contains(msg);
        }
        return resp;
    }

    /** A JSON success: 200 and the envelope; returns {@code response}. */
    static JsonNode assertOk(Client.Res r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.json().path("meta").path("code").asInt()).isEqualTo(200);
        return r.response();
    }
}
