package dev.gatehouse.account;

import java.time.Instant;
import java.util.Objects;

/**
 * The server side of one refresh-token family: one row of Flask-Security's fsqla v4
 * {@code fs_refresh_tracker} table (Flask-Security 5.9). A refresh token carries the family and
 * the generation; exchanging it raises the generation, so presenting an older one is reuse.
 *
 * @param id             database id; null before it is stored
 * @param refreshFamily  random family id (uuid4 hex, unique)
 * @param gen            the current generation, starting at 1
 * @param expiresAt      the absolute expiry of the family (not moved by exchanges)
 * @param revokedAt      when it was revoked, or null
 * @param lastUsedAt     when it was created or last exchanged
 * @param createDatetime when it was created (null on MongoDB: its model has no such field)
 * @param name           the tracker's name ({@code "default"} in Flask-Security for now)
 * @param userId         the owning user's id
 */
public record RefreshTracker(Long id, String refreshFamily, int gen, Instant expiresAt, Instant revokedAt,
                             Instant lastUsedAt, Instant createDatetime, String name, long userId) {

    public RefreshTracker {
        Objects.requireNonNull(refreshFamily, "refreshFamily");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(name, "name");
    }

    /** Whether it has been revoked. */
    public boolean revoked() {
        return revokedAt != null;
    }

    /** Whether it has expired at {@code now}. */
    public boolean expired(Instant now) {
        return !expiresAt.isAfter(now);
    }
}
