package dev.gatehouse.web;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.i18n.Messages;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The table of Gatehouse's endpoints and the checks every call goes through before its handler:
 * method, body, access (anonymous / authenticated) and CSRF. Whatever a handler throws is logged
 * and answered as a bare 500 without details.
 */
public final class Router {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private final List<Route> routes;

    /** A router over these routes (first match wins). */
    public Router(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    /** The routes, in order. */
    public List<Route> routes() {
        return routes;
    }

    /** Answers the request when it is for a Gatehouse endpoint; empty lets it through to the application. */
    public Optional<HttpResponse> serve(Exchange ex) {
        String path = ex.request().path();
        for (Route route : routes) {
            Optional<Map<String, String>> params = route.match(path);
            if (params.isPresent()) {
                try {
                    return Optional.of(run(ex, route, params.get()));
                } catch (Exchange.BadRequestException e) {
                    return Optional.of(badRequest(ex, e.status(), e.messageKey()));
                } catch (RuntimeException e) {
                    LOG.error("Gatehouse endpoint {} failed", route.path(), e);
                    return Optional.of(HttpResponse.of(500, "text/plain; charset=utf-8", "Internal Server Error\n"));
                }
            }
        }
        return Optional.empty();
    }

    private HttpResponse run(Exchange ex, Route route, Map<String, String> params) throws Exchange.BadRequestException {
        String method = ex.request().method();
        if (!route.methods().contains(method)) {
            HttpResponse r = ex.wantsJson()
                    ? Envelope.errors(405, List.of(messages(ex).get("METHOD_NOT_ALLOWED")))
                    : HttpResponse.of(405, "text/plain; charset=utf-8", messages(ex).get("METHOD_NOT_ALLOWED") + "\n");
            return r.withHeader("Allow", String.join(", ", new TreeSet<>(route.methods())));
        }
        boolean post = !method.equals("GET") && !method.equals("HEAD");
        Form form = post ? ex.form() : Form.empty(false);
        Gatehouse gh = ex.gatehouse();

        Optional<Authentication> auth;
        switch (route.access()) {
            case AUTHENTICATED -> {
                auth = ex.authenticate(gh.config().get(ConfigKeys.API_ENABLED_METHODS));
                if (auth.isEmpty()) {
                    return gh.guards().unauthenticated(ex, gh.config().get(ConfigKeys.API_ENABLED_METHODS));
                }
            }
            case ANONYMOUS, ANONYMOUS_POST -> {
                auth = ex.currentAuthentication();
                if (auth.isPresent() && (route.access() == Route.Access.ANONYMOUS || post)) {
                    return gh.guards().anonymousRequired(ex);
                }
            }
            default -> auth = ex.currentAuthentication();
        }

        if (post) {
            boolean check = switch (route.csrf()) {
                case CHECK -> true;
                case LOGOUT -> gh.config().get(ConfigKeys.LOGOUT_CSRF);
                case NONE -> false;
            };
            if (check && gh.csrf().required(auth)) {
                Optional<String> failure = gh.csrf().failure(ex, form);
                if (failure.isPresent()) {
                    return badRequest(ex, 400, failure.get());
                }
            }
        }
        return route.endpoint().handle(ex, params);
    }

    private static HttpResponse badRequest(Exchange ex, int status, String key) {
        String msg = messages(ex).get(key);
        return ex.wantsJson() || Negotiation.isJsonContent(ex.request())
                ? Envelope.errors(status, List.of(msg))
                : HttpResponse.of(status, "text/plain; charset=utf-8", msg + "\n");
    }

    private static Messages messages(Exchange ex) {
        return ex.gatehouse().messages();
    }
}
