package dev.gatehouse.web;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.account.User;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What an application route requires of its caller, as Flask-Security's decorators express it:
 * authentication by chosen methods ({@code auth_required}), roles ({@code roles_required} /
 * {@code roles_accepted}), permissions ({@code permissions_required} / {@code permissions_accepted})
 * or no login at all ({@code anonymous_user_required}). Immutable; combine with the {@code with…}
 * methods:
 *
 * <pre>{@code
 * Guard admin = Guard.authenticated("session", "token").rolesRequired("admin");
 * }</pre>
 */
public final class Guard {
    private final List<String> methods;
    private final boolean anonymousOnly;
    private final Set<String> rolesAll;
    private final Set<String> rolesAny;
    private final Set<String> permissionsAll;
    private final Set<String> permissionsAny;

    private Guard(List<String> methods, boolean anonymousOnly, Set<String> rolesAll, Set<String> rolesAny,
                  Set<String> permissionsAll, Set<String> permissionsAny) {
        this.methods = methods;
        this.anonymousOnly = anonymousOnly;
        this.rolesAll = rolesAll;
        this.rolesAny = rolesAny;
        this.permissionsAll = permissionsAll;
        this.permissionsAny = permissionsAny;
    }

    /**
     * Requires authentication by one of {@code methods} ({@code session}, {@code token},
     * {@code basic}); none given means {@code SECURITY_API_ENABLED_METHODS}.
     */
    public static Guard authenticated(String... methods) {
        for (String m : methods) {
            if (!Set.of("session", "token", "basic").contains(m)) {
                throw new IllegalArgumentException("unknown authentication method: " + m);
            }
        }
        return new Guard(methods.length == 0 ? null : List.of(methods), false, Set.of(), Set.of(), Set.of(), Set.of());
    }

    /** Requires that the caller is not logged in. */
    public static Guard anonymous() {
        return new Guard(null, true, Set.of(), Set.of(), Set.of(), Set.of());
    }

    /** Also requires every one of these roles. */
    public Guard rolesRequired(String... roles) {
        return new Guard(methods, anonymousOnly, Set.of(roles), rolesAny, permissionsAll, permissionsAny);
    }

    /** Also requires at least one of these roles. */
    public Guard rolesAccepted(String... roles) {
        return new Guard(methods, anonymousOnly, rolesAll, Set.of(roles), permissionsAll, permissionsAny);
    }

    /** Also requires every one of these permissions. */
    public Guard permissionsRequired(String... permissions) {
        return new Guard(methods, anonymousOnly, rolesAll, rolesAny, Set.of(permissions), permissionsAny);
    }

    /** Also requires at least one of these permissions. */
    public Guard permissionsAccepted(String... permissions) {
        return new Guard(methods, anonymousOnly, rolesAll, rolesAny, permissionsAll, Set.of(permissions));
    }

    /**
     * Decides a request: empty to let it through, or the refusal to send (401, 403, 400 or a
     * redirect, JSON or HTML as the client wants).
     */
    public Optional<HttpResponse> check(Exchange ex) {
        Guards answers = ex.gatehouse().guards();
        if (anonymousOnly) {
            return ex.currentAuthentication().isPresent() ? Optional.of(answers.anonymousRequired(ex)) : Optional.empty();
        }
        List<String> m = methods != null ? methods : ex.gatehouse().config().get(ConfigKeys.API_ENABLED_METHODS);
        Optional<Authentication> auth = ex.authenticate(m);
        if (auth.isEmpty()) {
            return Optional.of(answers.unauthenticated(ex, m));
        }
        return allowed(auth.get().user()) ? Optional.empty() : Optional.of(answers.forbidden(ex));
    }

    /** Whether the user meets the role and permission requirements. */
    public boolean allowed(User user) {
        Set<String> roles = user.roleNames();
        if (!roles.containsAll(rolesAll)) {
            return false;
        }
        if (!rolesAny.isEmpty() && rolesAny.stream().noneMatch(roles::contains)) {
            return false;
        }
        Set<String> perms = permissionsAll.isEmpty() && permissionsAny.isEmpty() ? Set.of() : user.permissions();
        if (!perms.containsAll(permissionsAll)) {
            return false;
        }
        return permissionsAny.isEmpty() || permissionsAny.stream().anyMatch(perms::contains);
    }
}
