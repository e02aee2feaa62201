/**
 * Two-factor authentication ({@code SECURITY_TWO_FACTOR}): the second step of every sign-in, by
 * authenticator app, mail or SMS, as Flask-Security does it, with codes used once, wrong codes
 * counted per pending sign-in, and a signed {@code tf_signin_state} for clients without cookies.
 * Start with {@link dev.gatehouse.twofactor.TwoFactor}; its {@code begin} is the hook every
 * sign-in path calls once the first factor is proven.
 */
package dev.gatehouse.twofactor;
