package dev.gatehouse.totp;

/**
 * What a user needs to add a TOTP key to an authenticator app, as Flask-Security's
 * {@code fetch_setup_values} gives it.
 *
 * @param key      the key grouped for typing ({@code LHV7-3P6X-...}); {@code tf_authr_key}
 * @param b32key   the key in plain base32; {@code tf_authr_b32key}
 * @param uri      the {@code otpauth://} provisioning URI; {@code tf_authr_uri}
 * @param issuer   {@code SECURITY_TOTP_ISSUER}; {@code tf_authr_issuer}
 * @param username the account name shown in the app; {@code tf_authr_username}
 * @param qrCode   the URI as a QR code, an SVG data URI for an image's {@code src}
 */
public record AuthenticatorSetup(String key, String b32key, String uri, String issuer, String username, String qrCode) {
}
