/**
 * Unified sign-in ({@code SECURITY_UNIFIED_SIGNIN}): an identity plus a passcode that is the
 * password or a code of any method the user set up (mail with a sign-in link, authenticator, SMS).
 * See {@link dev.gatehouse.unified.UnifiedSignin}.
 */
package dev.gatehouse.unified;
