package dev.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatehouseConfigTest {
    private static Map<String, String> base() {
        Map<String, String> m = new HashMap<>();
        m.put("SECRET_KEY", "s3cret");
        m.put("SECURITY_PASSWORD_SALT", "salt");
        return m;
    }

    private static GatehouseConfig with(String key, String value) {
        Map<String, String> m = base();
        m.put(key, value);
        return GatehouseConfig.fromMap(m);
    }

    @Test
    void defaultsAreFlaskSecurity59s() {
        GatehouseConfig c = GatehouseConfig.fromMap(base());
        assertThat(c.get(ConfigKeys.TOKEN_MAX_AGE)).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.get(ConfigKeys.FRESHNESS)).isEqualTo(Duration.ofHours(24));
        assertThat(c.get(ConfigKeys.FRESHNESS_GRACE_PERIOD)).isEqualTo(Duration.ofHours(1));
        assertThat(c.get(ConfigKeys.LOGOUT_METHODS)).containsExactly("POST");
        assertThat(c.get(ConfigKeys.API_ENABLED_METHODS)).containsExactly("session", "token");
        assertThat(c.get(ConfigKeys.CSRF_PROTECT_MECHANISMS)).containsExactly("basic", "session", "token");
        assertThat(c.get(ConfigKeys.CSRF_HEADER)).isEqualTo("X-XSRF-Token");
        assertThat(c.get(ConfigKeys.CSRF_COOKIE_NAME)).isNull();
        assertThat(c.get(ConfigKeys.PASSWORD_HASH)).isEqualTo("argon2");
        assertThat(c.get(ConfigKeys.PASSWORD_LENGTH_MIN)).isEqualTo(8);
        assertThat(c.get(ConfigKeys.CONFIRM_EMAIL_WITHIN)).isEqualTo(Duration.ofDays(2));
        assertThat(c.get(ConfigKeys.RESET_PASSWORD_WITHIN)).isEqualTo(Duration.ofDays(1));
        assertThat(c.get(ConfigKeys.USER_IDENTITY_ATTRIBUTES)).containsExactly("email");
        assertThat(c.get(ConfigKeys.REGISTERABLE)).isFalse();
        assertThat(c.get(ConfigKeys.CACHE_CONTROL)).containsEntry("no-store", "true").containsEntry("private", "true");
        assertThat(c.emailSender()).isEqualTo("no-reply@localhost");
        assertThat(c.secretKeys()).containsExactly("s3cret");
    }

    @Test
    void durationsAcceptSecondsIsoAndFlaskStrings() {
        assertThat(with("SECURITY_TOKEN_MAX_AGE", "3600").get(ConfigKeys.TOKEN_MAX_AGE)).isEqualTo(Duration.ofHours(1));
        assertThat(with("SECURITY_TOKEN_MAX_AGE", "PT15M").get(ConfigKeys.TOKEN_MAX_AGE)).isEqualTo(Duration.ofMinutes(15));
        assertThat(with("SECURITY_TOKEN_MAX_AGE", "pt2h").get(ConfigKeys.TOKEN_MAX_AGE)).isEqualTo(Duration.ofHours(2));
        assertThat(with("SECURITY_CONFIRM_EMAIL_WITHIN", "5 days").get(ConfigKeys.CONFIRM_EMAIL_WITHIN)).isEqualTo(Duration.ofDays(5));
        assertThat(with("SECURITY_TOKEN_MAX_AGE", "0").get(ConfigKeys.TOKEN_MAX_AGE)).isZero();
    }

    @Test
    void listsAcceptJsonArraysAndCommaStrings() {
        assertThat(with("SECURITY_CSRF_PROTECT_MECHANISMS", "[\"session\",\"basic\"]").get(ConfigKeys.CSRF_PROTECT_MECHANISMS))
                .containsExactly("session", "basic");
        assertThat(with("SECURITY_CSRF_PROTECT_MECHANISMS", "session, basic").get(ConfigKeys.CSRF_PROTECT_MECHANISMS))
                .containsExactly("session", "basic");
        assertThat(with("SECURITY_TWO_FACTOR_ENABLED_METHODS", "authenticator,email").get(ConfigKeys.TWO_FACTOR_ENABLED_METHODS))
                .containsExactly("authenticator", "email");
        assertThat(with("SECRET_KEY_FALLBACKS", "[\"old1\",\"old2\"]").secretKeys()).containsExactly("s3cret", "old1", "old2");
    }

    @Test
    void mapsAndBooleans() {
        Map<String, String> m = base();
        m.put("SECURITY_TWO_FACTOR", "TRUE");
        m.put("SECURITY_TOTP_SECRETS", "{\"1\": \"totp-secret\"}");
        m.put("SECURITY_TOTP_ISSUER", "Gatehouse");
        GatehouseConfig c = GatehouseConfig.fromMap(m);
        assertThat(c.get(ConfigKeys.TWO_FACTOR)).isTrue();
        assertThat(c.get(ConfigKeys.TOTP_SECRETS)).isEqualTo(Map.of("1", "totp-secret"));
        assertThat(with("SECURITY_REGISTERABLE", "False").get(ConfigKeys.REGISTERABLE)).isFalse();
    }

    @Test
    void identityAttributesInBothForms() {
        assertThat(with("SECURITY_USER_IDENTITY_ATTRIBUTES", "email,username").get(ConfigKeys.USER_IDENTITY_ATTRIBUTES))
                .containsExactly("email", "username");
        assertThat(with("SECURITY_USER_IDENTITY_ATTRIBUTES",
                "[{\"username\": {\"case_insensitive\": true}}, {\"email\": {}}]").get(ConfigKeys.USER_IDENTITY_ATTRIBUTES))
                .containsExactly("username", "email");
    }

    @Test
    void otherEnvironmentNamesAreIgnored() {
        Map<String, String> m = base();
        m.put("PATH", "/usr/bin");
        m.put("HOME", "/root");
        assertThat(GatehouseConfig.fromMap(m).get(ConfigKeys.SECRET_KEY)).isEqualTo("s3cret");
    }

    @Test
    void unknownSecurityKeyIsNamed() {
        assertThatThrownBy(() -> with("SECURITY_TOKEN_MAX_AEG", "10"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SECURITY_TOKEN_MAX_AEG");
    }

    @Test
    void malformedValuesAreNamed() {
        assertThatThrownBy(() -> with("SECURITY_TOKEN_MAX_AGE", "soon")).hasMessageContaining("SECURITY_TOKEN_MAX_AGE");
        assertThatThrownBy(() -> with("SECURITY_REGISTERABLE", "yes please")).hasMessageContaining("SECURITY_REGISTERABLE");
        assertThatThrownBy(() -> with("SECURITY_PASSWORD_LENGTH_MIN", "eight")).hasMessageContaining("SECURITY_PASSWORD_LENGTH_MIN");
        assertThatThrownBy(() -> with("SECURITY_TOTP_SECRETS", "{not json")).hasMessageContaining("SECURITY_TOTP_SECRETS");
        assertThatThrownBy(() -> with("SECURITY_CSRF_PROTECT_MECHANISMS", "session,cookie"))
                .hasMessageContaining("SECURITY_CSRF_PROTECT_MECHANISMS").hasMessageContaining("cookie");
        assertThatThrownBy(() -> with("SECURITY_USER_IDENTITY_ATTRIBUTES", "phone"))
                .hasMessageContaining("SECURITY_USER_IDENTITY_ATTRIBUTES");
    }

    @Test
    void missingSecretsAreNamed() {
        assertThatThrownBy(() -> GatehouseConfig.fromMap(Map.of("SECURITY_PASSWORD_SALT", "x")))
                .hasMessageContaining("SECRET_KEY");
        assertThatThrownBy(() -> GatehouseConfig.fromMap(Map.of("SECRET_KEY", "x")))
                .hasMessageContaining("SECURITY_PASSWORD_SALT");
        assertThatThrownBy(() -> with("SECURITY_TWO_FACTOR", "true")).hasMessageContaining("SECURITY_TOTP_SECRETS")
                .hasMessageContaining("SECURITY_TOTP_ISSUER");
    }

    @Test
    void builderIsTypedAndCopiesAreIndependent() {
        GatehouseConfig c = GatehouseConfig.builder().set(ConfigKeys.SECRET_KEY, "k").set(ConfigKeys.PASSWORD_SALT, "s")
                .set(ConfigKeys.TOKEN_MAX_AGE, Duration.ofHours(1)).set(ConfigKeys.CSRF_COOKIE_NAME, "XSRF-TOKEN").build();
        GatehouseConfig d = c.toBuilder().set(ConfigKeys.TOKEN_MAX_AGE, Duration.ZERO).set("SECURITY_CSRF_COOKIE_NAME", "None").build();
        assertThat(c.get(ConfigKeys.TOKEN_MAX_AGE)).isEqualTo(Duration.ofHours(1));
        assertThat(d.get(ConfigKeys.TOKEN_MAX_AGE)).isZero();
        assertThat(c.get(ConfigKeys.CSRF_COOKIE_NAME)).isEqualTo("XSRF-TOKEN");
        assertThat(d.get(ConfigKeys.CSRF_COOKIE_NAME)).isNull();
        assertThat(ConfigKeys.all()).containsKeys("SECURITY_TOKEN_MAX_AGE", "SECRET_KEY", "MAIL_SERVER", "SECURITY_WAN_RP_NAME");
        assertThat(List.copyOf(ConfigKeys.all().keySet())).doesNotHaveDuplicates();
    }
}
