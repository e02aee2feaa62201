package dev.gatehouse.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PasswordSettingsTest {
    private static final String SALT = "salt";

    @Test
    void defaultsAreFlaskSecuritys() {
        PasswordSettings s = PasswordSettings.defaults(SALT);
        assertThat(s.defaultScheme()).isEqualTo("argon2");
        assertThat(s.schemes()).containsExactly("bcrypt", "argon2", "des_crypt", "pbkdf2_sha256", "pbkdf2_sha512",
                "sha256_crypt", "sha512_crypt", "plaintext");
        assertThat(s.deprecatedSchemes()).containsExactly("auto");
        assertThat(s.singleHash()).contains("plaintext", "django_argon2").hasSize(9);
        assertThat(s.singleHashAll()).isFalse();
        assertThat(s.passlibOptions()).isEmpty();
        assertThat(s.normalizeForm()).isEqualTo("NFKD");
    }

    @Test
    void preHashAndDeprecationRules() {
        PasswordSettings s = PasswordSettings.defaults(SALT);
        assertThat(s.usesPreHash("argon2")).isTrue();
        assertThat(s.usesPreHash("plaintext")).isFalse();
        assertThat(s.withSingleHashAll(true).usesPreHash("argon2")).isFalse();
        // Flask-Security reads an empty (falsy) set as {"plaintext"}
        assertThat(s.withSingleHash(Set.of()).usesPreHash("plaintext")).isFalse();
        assertThat(s.withSingleHashAll(false).usesPreHash("plaintext")).isFalse();
        // a non-empty set without plaintext gives plaintext the pre-hash, as in Flask-Security
        assertThat(s.withSingleHash(Set.of("bcrypt")).usesPreHash("plaintext")).isTrue();
        assertThat(s.withSingleHash(Set.of("bcrypt")).usesPreHash("bcrypt")).isFalse();

        assertThat(s.isDeprecated("bcrypt")).isTrue();
        assertThat(s.isDeprecated("argon2")).isFalse();
        PasswordSettings explicit = s.withDeprecatedSchemes(List.of("des_crypt"));
        assertThat(explicit.isDeprecated("des_crypt")).isTrue();
        assertThat(explicit.isDeprecated("bcrypt")).isFalse();
    }

    @Test
    void saltIsOptionalOnlyWhenNothingIsPreHashed() {
        assertThatThrownBy(() -> PasswordSettings.defaults(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SECURITY_PASSWORD_SALT");
        assertThatThrownBy(() -> PasswordSettings.defaults(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SECURITY_PASSWORD_SALT");
        PasswordSettings noSalt = new PasswordSettings("argon2", List.of("argon2", "plaintext"), List.of("auto"),
                Set.of(), true, null, Map.of(), "NFKD");
        assertThat(new PasswordHasher(noSalt.withPasslibOptions(PasswordHasherTest.CHEAP))
                .verify("pw", "pw").valid()).isTrue();
        PasswordSettings onlyPlaintext = new PasswordSettings("plaintext", List.of("plaintext"), List.of("auto"),
                Set.of(), false, null, Map.of(), null);
        assertThat(onlyPlaintext.passwordSalt()).isNull();
    }

    @Test
    void toStringHidesTheSalt() {
        assertThat(PasswordSettings.defaults("very-secret-salt").toString())
                .doesNotContain("very-secret-salt").contains("passwordSalt=***");
    }

    static List<Arguments> invalid() {
        PasswordSettings d = PasswordSettings.defaults(SALT);
        return List.of(
                bad("default not in schemes", () -> d.withDefaultScheme("scrypt")),
                bad("unsupported scheme", () -> d.withSchemes(List.of("argon2", "md5_crypt"))),
                bad("empty schemes", () -> d.withSchemes(List.of())),
                bad("duplicate scheme", () -> d.withSchemes(List.of("argon2", "argon2"))),
                bad("auto plus others", () -> d.withDeprecatedSchemes(List.of("auto", "bcrypt"))),
                bad("deprecated default", () -> d.withDeprecatedSchemes(List.of("argon2"))),
                bad("deprecated unknown", () -> d.withDeprecatedSchemes(List.of("scrypt"))),
                bad("normalize form", () -> d.withNormalizeForm("nfkd")),
                bad("option without scheme", () -> d.withPasslibOption("rounds", "3")),
                bad("option of unknown scheme", () -> d.withPasslibOption("scrypt__rounds", "3")),
                bad("unknown option", () -> d.withPasslibOption("argon2__foo", "3")),
                bad("not an integer", () -> d.withPasslibOption("argon2__rounds", "ten")),
                bad("zero rounds", () -> d.withPasslibOption("argon2__rounds", "0")),
                bad("bcrypt cost too high", () -> d.withPasslibOption("bcrypt__rounds", "32")),
                bad("bcrypt ident", () -> d.withPasslibOption("bcrypt__ident", "2x")),
                bad("argon2 type", () -> d.withPasslibOption("argon2__type", "x")),
                bad("argon2 digest too small", () -> d.withPasslibOption("argon2__digest_size", "8")),
                bad("memory below 8 * parallelism", () -> d.withPasslibOptions(
                        Map.of("argon2__memory_cost", "64", "argon2__parallelism", "16"))),
                bad("sha-crypt rounds below 1000", () -> d.withPasslibOption("sha512_crypt__rounds", "999")),
                bad("rounds below min_rounds", () -> d.withPasslibOptions(
                        Map.of("argon2__rounds", "2", "argon2__min_rounds", "3"))),
                bad("min above max", () -> d.withPasslibOptions(
                        Map.of("bcrypt__min_rounds", "12", "bcrypt__max_rounds", "10"))),
                bad("default_rounds above max_rounds", () -> d.withPasslibOptions(
                        Map.of("bcrypt__default_rounds", "12", "bcrypt__max_rounds", "10"))),
                bad("scheme default below min_rounds", () -> d.withPasslibOption("bcrypt__min_rounds", "13")),
                bad("time_cost is argon2's alias only", () -> d.withPasslibOption("bcrypt__time_cost", "12")),
                bad("conflicting aliases", () -> d.withPasslibOptions(
                        Map.of("argon2__rounds", "2", "argon2__time_cost", "3"))));
    }

    private static Arguments bad(String what, Supplier<PasswordSettings> settings) {
        return Arguments.of(what, settings);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void inconsistentSettingsFailFast(String what, Supplier<PasswordSettings> settings) {
        assertThatThrownBy(settings::get).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void passlibAliasesAndTextOptionsAreAccepted() {
        PasswordSettings s = PasswordSettings.defaults(SALT).withPasslibOptions(Map.of(
                "argon2__time_cost", "2", "argon2__hash_len", "16", "argon2__salt_len", "16", "argon2__type", "ID",
                "bcrypt__ident", "$2b$", "bcrypt__default_rounds", "10"));
        PasslibOptions o = PasslibOptions.parse(s.passlibOptions());
        assertThat(o.integer("argon2", "rounds", 0)).isEqualTo(2);
        assertThat(o.integer("argon2", "digest_size", 0)).isEqualTo(16);
        assertThat(o.text("argon2", "type", null)).isEqualTo("id");
        assertThat(o.text("bcrypt", "ident", null)).isEqualTo("2b");
        assertThat(o.rounds("bcrypt")).isEqualTo(new PasslibOptions.Rounds(10, 0, 0));
        assertThat(o.rounds("argon2")).isEqualTo(new PasslibOptions.Rounds(2, 2, 2));
        assertThat(o.rounds("pbkdf2_sha512")).isEqualTo(new PasslibOptions.Rounds(25000, 0, 0));
    }
}
