package dev.gatehouse.unified;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.account.User;
import dev.gatehouse.event.UnifiedSigninProfileChanged;
import dev.gatehouse.i18n.Durations;
import dev.gatehouse.token.TokenResult;
import dev.gatehouse.twofactor.CodeField;
import dev.gatehouse.web.Endpoint;
import dev.gatehouse.web.Envelope;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.FieldErrors;
import dev.gatehouse.web.Form;
import dev.gatehouse.web.Flashes;
import dev.gatehouse.web.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /us-setup/<state>}: the first code of a method chosen at {@code /us-setup}; when it
 * is right the method is stored (and for SMS the phone number, which must not belong to another
 * account).
 */
final class UsSetupStateEndpoint implements Endpoint {
    private final UnifiedSignin us;
    private final Gatehouse gh;

    UsSetupStateEndpoint(UnifiedSignin us) {
        this.us = us;
        this.gh = us.gh;
    }

    private record State(String secret, String method, String phone) {
    }

    @Override
    public HttpResponse handle(Exchange ex, Map<String, String> params) throws Exchange.BadRequestException {
        User user = ex.currentUser().orElseThrow();
        Form form = ex.form();
        TokenResult<State> r = UsSetupEndpoint.serializer(gh).loads(params.get("state"), gh.config().get(ConfigKeys.US_SETUP_WITHIN))
                .map(UsSetupStateEndpoint::state);
        if (!(r instanceof TokenResult.Valid<State> valid)) {
            String msg = r instanceof TokenResult.Expired
                    ? gh.messages().get("US_SETUP_EXPIRED", Map.of("within", Durations.describe(gh.config().get(ConfigKeys.US_SETUP_WITHIN))))
                    : gh.messages().get("API_ERROR");
            return refuse(ex, new FieldErrors().add("", msg));
        }
        State state = valid.payload();
        FieldErrors errors = new FieldErrors();
        Optional<String> code = CodeField.read(form, "passcode", errors, gh.messages());
        if (code.isPresent() && !gh.oneTimeCodes().verify(state.secret(), code.get(), us.window(), ex.now())) {
            errors.add("passcode", gh.messages().get("INVALID_PASSWORD_CODE"));
        }
        if (!errors.isEmpty()) {
            return refuse(ex, errors);
        }
        String phone = state.method().equals("sms") ? state.phone() : null;
        User stored;
        try {
            stored = gh.datastore().usSet(user, state.method(), state.secret(), phone);
        } catch (IllegalStateException taken) {
            // Flask-Security makes this check at /us-setup; the unique column settles races too.
            return refuse(ex, new FieldErrors().add("phone", gh.messages().get("IDENTITY_ALREADY_ASSOCIATED",
                    Map.of("attr", "us_phone_number", "value", String.valueOf(phone)))));
        }
        gh.events().publish(new UnifiedSigninProfileChanged(stored, List.of(state.method()), false));
        if (ex.wantsJson()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("chosen_method", state.method());
            json.put("phone", us.enabledMethods().contains("sms") ? stored.usPhoneNumber() : null);
            return gh.responses().ok(ex, null, false, json);
        }
        Flashes.add(ex, "info", gh.messages().get("US_SETUP_SUCCESSFUL"));
        return HttpResponse.redirect(gh.twoFactor().viewUrl(gh.config().get(ConfigKeys.US_POST_SETUP_VIEW)));
    }

    private HttpResponse refuse(Exchange ex, FieldErrors errors) {
        if (ex.wantsJson()) {
            return Envelope.errors(400, errors);
        }
        errors.all().forEach(m -> Flashes.add(ex, "error", m));
        return HttpResponse.redirect(gh.config().get(ConfigKeys.US_SETUP_URL));
    }

    private static State state(JsonNode n) {
        if (!n.isObject() || !n.path("totp_secret").isString() || !n.path("chosen_method").isString()) {
            return null;
        }
        JsonNode phone = n.get("phone_number");
        return new State(n.get("totp_secret").asString(), n.get("chosen_method").asString(),
                phone != null && phone.isString() ? phone.asString() : null);
    }
}
