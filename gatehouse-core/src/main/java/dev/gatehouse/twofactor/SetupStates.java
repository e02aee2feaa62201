package dev.gatehouse.twofactor;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.token.TimedSerializer;
import dev.gatehouse.token.TokenResult;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Flask-Security's {@code tf_state_token}: the pending change of a signed-in user's method,
 * {@code {"totp_secret": <encrypted>, "method": ..., "phone": ...}} signed with
 * {@code SECURITY_TWO_FACTOR_SETUP_SALT} and valid for {@code SECURITY_TWO_FACTOR_SETUP_WITHIN}, so
 * tokens of either application are accepted by the other.
 */
final class SetupStates {
    private SetupStates() {
    }

    /** The state of a pending change. */
    record State(String secret, String method, String phone) {
    }

    static String dump(TwoFactor tf, String secret, String method, String phone) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("totp_secret", secret);
        state.put("method", method);
        state.put("phone", phone);
        return serializer(tf).dumps(state);
    }

    static TokenResult<State> load(TwoFactor tf, String token) {
        return serializer(tf).loads(token, tf.config.get(ConfigKeys.TWO_FACTOR_SETUP_WITHIN)).map(SetupStates::state);
    }

    private static TimedSerializer serializer(TwoFactor tf) {
        return new TimedSerializer(tf.config.secretKeys(), tf.config.get(ConfigKeys.TWO_FACTOR_SETUP_SALT), tf.gh.clock());
    }

    private static State state(JsonNode n) {
        if (!n.isObject() || !n.path("totp_secret").isString() || !n.path("method").isString()) {
            return null;
        }
        JsonNode phone = n.get("phone");
        return new State(n.get("totp_secret").asString(), TwoFactor.canonical(n.get("method").asString()),
                phone != null && phone.isString() ? phone.asString() : null);
    }
}
