package dev.gatehouse.twofactor;

import dev.gatehouse.web.Endpoint;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.HttpResponse;
import java.util.Map;

/**
 * {@code GET/POST /tf-select}: choosing between second factors when a user has set up more than
 * one kind. Today every user has at most one (the code method); passkeys as a second factor will
 * add the choice. Until then a sign-in never reaches this step, and the endpoint answers as
 * Flask-Security does outside it ({@code TWO_FACTOR_PERMISSION_DENIED}).
 */
final class TfSelectEndpoint implements Endpoint {
    private final TwoFactor tf;

    TfSelectEndpoint(TwoFactor tf) {
        this.tf = tf;
    }

    @Override
    public HttpResponse handle(Exchange ex, Map<String, String> params) {
        return tf.denied(ex);
    }
}
