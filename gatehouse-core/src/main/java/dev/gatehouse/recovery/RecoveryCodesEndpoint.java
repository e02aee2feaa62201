package dev.gatehouse.recovery;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.account.User;
import dev.gatehouse.event.RecoveryCodesGenerated;
import dev.gatehouse.web.Authentication;
import dev.gatehouse.web.Endpoint;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.FieldErrors;
import dev.gatehouse.web.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET/POST /mf-recovery-codes} (signed in, fresh): POST makes a new set of codes and shows
 * them; GET shows the codes that can still be shown. Hashed codes can only be shown in the
 * session that made them (kept there, encrypted, next to the hash they belong to, so a used code
 * disappears); codes a Flask-Security database holds readably are always shown. JSON answers add
 * {@code recovery_codes_count}, the number of unused codes in any form.
 */
final class RecoveryCodesEndpoint implements Endpoint {
    private static final String SESSION_KEY = "gh_rc";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RecoveryCodes codes;
    private final Gatehouse gh;

    RecoveryCodesEndpoint(RecoveryCodes codes) {
        this.codes = codes;
        this.gh = codes.gatehouse();
    }

    @Override
    public HttpResponse handle(Exchange ex, Map<String, String> params) throws Exchange.BadRequestException {
        Authentication auth = ex.currentAuthentication().orElseThrow();
        Optional<HttpResponse> stale = gh.freshness().require(ex, auth);
        if (stale.isPresent()) {
            return stale.get();
        }
        User user = auth.user();
        boolean post = ex.request().method().equals("POST");
        if (post) {
            ex.form();
            RecoveryCodes.Generated made = codes.generate(user);
            remember(ex, made);
            gh.events().publish(new RecoveryCodesGenerated(user, made.codes().size()));
            return answer(ex, user, made.codes(), true);
        }
        return answer(ex, user, shown(ex, user), ex.request().hasQueryParam("show_codes"));
    }

    private HttpResponse answer(Exchange ex, User user, List<String> list, boolean show) {
        if (ex.wantsJson()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("recovery_codes", list);
            json.put("recovery_codes_count", codes.remaining(user));
            return gh.responses().ok(ex, null, false, json);
        }
        Map<String, Object> model = gh.pages().formModel(ex, "Recovery Codes",
                gh.config().get(ConfigKeys.MULTI_FACTOR_RECOVERY_CODES_URL), new FieldErrors());
        model.put("recovery_codes", show ? list : List.of());
        model.put("show_requested", show);
        model.put("remaining", codes.remaining(user));
        model.put("form_errors", show && list.isEmpty() && codes.remaining(user) == 0
                ? List.of(gh.messages().get("NO_RECOVERY_CODES_SETUP")) : List.of());
        return gh.pages().render(200, "security/mf_recovery_codes.html", model);
    }

    /** Keeps the new codes in the (encrypted) session, each next to its hash. */
    private static void remember(Exchange ex, RecoveryCodes.Generated made) {
        ObjectNode o = JSON.createObjectNode();
        for (int i = 0; i < made.codes().size(); i++) {
            o.put(made.stored().get(i), made.codes().get(i));
        }
        Map<String, String> extra = new HashMap<>(ex.session().extra());
        extra.put(SESSION_KEY, o.toString());
        ex.setSession(ex.session().withExtra(extra));
    }

    /** The codes this session may see: its own new ones still unused, and any stored readably. */
    private List<String> shown(Exchange ex, User user) {
        List<String> out = new ArrayList<>();
        String kept = ex.session().extra().get(SESSION_KEY);
        if (kept != null) {
            try {
                JsonNode o = JSON.readTree(kept);
                for (String stored : gh.datastore().mfGetRecoveryCodes(user)) {
                    JsonNode code = o.get(stored);
                    if (code != null && code.isString()) {
                        out.add(code.asString());
                    }
                }
            } catch (JacksonException e) {
                // a damaged entry shows nothing
            }
        }
        out.addAll(codes.readable(user));
        return out;
    }
}
