package dev.gatehouse.account;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A registered WebAuthn credential: one row of Flask-Security's fsqla v3 {@code webauthn} table.
 *
 * <p>Immutable: the byte arrays are copied in and out, and {@code equals} compares their contents.
 *
 * @param id              database id; null before it is stored, and always null on MongoDB, where
 *                        Flask-Security's model keys credentials by their credential id
 * @param credentialId    the authenticator's credential id (at most 1024 bytes, unique)
 * @param publicKey       the credential's public key (COSE)
 * @param signCount       the authenticator's signature counter
 * @param transports      transports reported at registration (stored comma-joined); never null
 * @param backupState     whether the credential is backed up (synced passkey)
 * @param deviceType      {@code single_device} or {@code multi_device}
 * @param extensions      JSON text of the registration's client extension results, or null
 * @param createDatetime  when it was registered (null on MongoDB: its model has no such field)
 * @param lastuseDatetime when it was last used
 * @param name            the user's name for it (unique per user, checked by the caller)
 * @param usage           {@code first} or {@code secondary}
 * @param userId          the owning user's id
 */
public record WebAuthnCredential(Long id, byte[] credentialId, byte[] publicKey, long signCount, List<String> transports,
                                 boolean backupState, String deviceType, String extensions, Instant createDatetime,
                                 Instant lastuseDatetime, String name, String usage, long userId) {

    public WebAuthnCredential {
        credentialId = Objects.requireNonNull(credentialId, "credentialId").clone();
        publicKey = Objects.requireNonNull(publicKey, "publicKey").clone();
        transports = transports == null ? List.of() : List.copyOf(transports);
        Objects.requireNonNull(deviceType, "deviceType");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(usage, "usage");
    }

    @Override
    public byte[] credentialId() {
        return credentialId.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WebAuthnCredential c && Objects.equals(id, c.id) && Arrays.equals(credentialId, c.credentialId)
                && Arrays.equals(publicKey, c.publicKey) && signCount == c.signCount && transports.equals(c.transports)
                && backupState == c.backupState && deviceType.equals(c.deviceType) && Objects.equals(extensions, c.extensions)
                && Objects.equals(createDatetime, c.createDatetime) && Objects.equals(lastuseDatetime, c.lastuseDatetime)
                && name.equals(c.name) && usage.equals(c.usage) && userId == c.userId;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, Arrays.hashCode(credentialId), name, userId);
    }

    @Override
    public String toString() {
        // The public key is not secret, but it is long and says nothing to a reader of a log.
        return "WebAuthnCredential[id=" + id + ", credentialId=" + HexFormat.of().formatHex(credentialId)
                + ", name=" + name + ", usage=" + usage + ", userId=" + userId + ", signCount=" + signCount + "]";
    }
}
