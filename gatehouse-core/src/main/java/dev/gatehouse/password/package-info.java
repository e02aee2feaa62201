/**
 * Password hashing compatible with Flask-Security and passlib: the same hash formats, the same HMAC-SHA512
 * pre-hash keyed with {@code SECURITY_PASSWORD_SALT}, the same Unicode normalization and the same rules for
 * when a stored hash is replaced. Start with {@link dev.gatehouse.password.PasswordSettings} and
 * {@link dev.gatehouse.password.PasswordHasher}.
 */
package dev.gatehouse.password;
