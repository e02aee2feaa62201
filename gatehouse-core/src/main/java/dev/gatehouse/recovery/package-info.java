/**
 * Multi-factor recovery codes ({@code SECURITY_MULTI_FACTOR_RECOVERY_CODES}): single-use codes that
 * stand in for the second factor, stored hashed; a Flask-Security database's plaintext or
 * Fernet-encrypted codes keep working once each. See {@link dev.gatehouse.recovery.RecoveryCodes}.
 */
package dev.gatehouse.recovery;
