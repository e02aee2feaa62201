package dev.gatehouse.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.gatehouse.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;

/**
 * Every hash in {@code passwords.json} (made by Flask-Security 5.1.2 and passlib 1.7.4) verifies exactly as
 * Flask-Security answered, under the configuration the fixture names. Each fixture hash is verified once per
 * listed check and no more: the argon2 ones cost m=100 MiB, t=10, p=8 each.
 */
class PasswordFixturesTest {
    private static final JsonNode FIXTURE = Fixtures.json("passwords.json");
    private static final String REFERENCE = "reference config";

    /** Built once: each construction computes a dummy hash with the fixture's (slow) argon2 parameters. */
    private static final Map<String, PasswordHasher> HASHERS = new HashMap<>();

    /**
     * {@code reference_config} as settings. passlib took argon2's memory cost, parallelism, digest and salt size
     * from the installed argon2-cffi (21.1) rather than from the configuration; the fixture records them under
     * {@code argon2_parameters}, and they are added here unless the configuration sets them.
     */
    static PasswordSettings referenceSettings() {
        JsonNode c = FIXTURE.get("reference_config");
        Map<String, String> options = new LinkedHashMap<>();
        c.get("SECURITY_PASSWORD_HASH_PASSLIB_OPTIONS").properties()
                .forEach(e -> options.put(e.getKey(), e.getValue().asString()));
        JsonNode a = FIXTURE.get("argon2_parameters");
        options.putIfAbsent("argon2__memory_cost", a.get("memory_cost_kib").asString());
        options.putIfAbsent("argon2__parallelism", a.get("parallelism").asString());
        options.putIfAbsent("argon2__digest_size", a.get("hash_bytes").asString());
        options.putIfAbsent("argon2__salt_size", a.get("salt_bytes").asString());
        options.putIfAbsent("argon2__type", a.get("type").asString());

        JsonNode single = c.get("SECURITY_PASSWORD_SINGLE_HASH");
        boolean singleAll = single.isBoolean() && single.asBoolean();
        Set<String> singleSet = new LinkedHashSet<>(single.isArray() ? strings(single) : List.of());
        JsonNode form = c.get("SECURITY_PASSWORD_NORMALIZE_FORM");
        return new PasswordSettings(
                c.get("SECURITY_PASSWORD_HASH").asString(),
                strings(c.get("SECURITY_PASSWORD_SCHEMES")),
                strings(c.get("SECURITY_DEPRECATED_PASSWORD_SCHEMES")),
                singleSet,
                singleAll,
                c.get("SECURITY_PASSWORD_SALT").asString(),
                options,
                form == null || form.isNull() ? null : form.asString());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.values().forEach(v -> out.add(v.asString()));
        return out;
    }

    private static synchronized PasswordHasher hasher(String key, PasswordSettings settings) {
        return HASHERS.computeIfAbsent(key, k -> new PasswordHasher(settings));
    }

    private static PasswordHasher reference() {
        return hasher(REFERENCE, referenceSettings());
    }

    /** The hasher for the configuration an item's checks were made under. */
    private static PasswordHasher hasherFor(JsonNode item) {
        String under = item.get("checks_are_under").asString();
        if (under.equals(REFERENCE)) {
            return reference();
        }
        if (!under.contains("SECURITY_PASSWORD_SINGLE_HASH=True")) {
            fail("unknown checks_are_under: " + under);
        }
        JsonNode with = item.get("hashed_with");
        assertThat(with.get("SECURITY_PASSWORD_SINGLE_HASH").asBoolean()).isTrue();
        String scheme = with.get("SECURITY_PASSWORD_HASH").asString();
        return hasher("single-hash " + scheme,
                referenceSettings().withDefaultScheme(scheme).withSingleHashAll(true));
    }

    private static Stream<JsonNode> items() {
        return FIXTURE.get("items").valueStream();
    }

    @Test
    void everyItemIsInAConfiguredScheme() {
        assertThat(items().toList()).isNotEmpty();
        assertThat(items().map(i -> i.get("scheme").asString()))
                .allMatch(referenceSettings().schemes()::contains);
    }

    @TestFactory
    Stream<DynamicTest> everyCheckVerifiesAsFlaskSecurityAnswered() {
        return items().map(item -> dynamicTest(item.get("id").asString(), () -> {
            String id = item.get("id").asString();
            String hash = item.get("hash").asString();
            PasswordHasher hasher = hasherFor(item);
            assertThat(hasher.identify(hash).name()).as(id + " identified").isEqualTo(item.get("scheme").asString());

            Boolean needsRehashWhenValid = null;
            for (JsonNode check : item.get("checks").values()) {
                String input = check.get("input").asString();
                JsonNode nfkd = check.get("input_nfkd");
                if (nfkd != null) {
                    assertThat(PasswordHasher.normalize(input, "NFKD")).as(id + " NFKD of input").isEqualTo(nfkd.asString());
                }
                Verification v = hasher.verify(input, hash);
                assertThat(v.valid()).as(id + ": " + check.get("why").asString())
                        .isEqualTo(check.get("expected").asBoolean());
                if (v.valid() && needsRehashWhenValid == null) {
                    needsRehashWhenValid = v.needsRehash();
                }
            }
            boolean expectedUpdate = item.get("needs_update_under_reference_config").asBoolean();
            assertThat(reference().needsUpdate(hash)).as(id + " needs update under reference config")
                    .isEqualTo(expectedUpdate);
            if (hasher == reference()) {
                assertThat(needsRehashWhenValid).as(id + " needsRehash after a valid verification")
                        .isEqualTo(expectedUpdate);
            } else {
                // single-hash items: the same hash is re-hashed under the single-hash config only if deprecated there
                assertThat(needsRehashWhenValid).as(id + " needsRehash under its own config").isFalse();
                boolean underReference = reference().verify(item.get("password").asString(), hash).valid();
                assertThat(underReference).as(id + " verifies under reference config")
                        .isEqualTo(item.get("verifies_under_reference_config").asBoolean());
            }
        }));
    }

    @Test
    void preHashMatchesFlaskSecurity() {
        PasswordHasher hasher = reference();
        List<JsonNode> withPreHash = items().filter(i -> i.has("hmac_sha512_b64")).toList();
        assertThat(withPreHash).isNotEmpty();
        for (JsonNode item : withPreHash) {
            String nfkd = PasswordHasher.normalize(item.get("password").asString(), "NFKD");
            assertThat(nfkd).isEqualTo(item.get("password_nfkd").asString());
            if (item.has("password_nfkd_utf8_hex")) {
                assertThat(HexFormat.of().formatHex(nfkd.getBytes(StandardCharsets.UTF_8)))
                        .isEqualTo(item.get("password_nfkd_utf8_hex").asString());
            }
            String preHash = new String(hasher.preHash(nfkd), StandardCharsets.US_ASCII);
            assertThat(preHash).as(item.get("id").asString())
                    .hasSize(88)
                    .isEqualTo(item.get("hmac_sha512_b64").asString());
        }
    }

    @Test
    void itemsWithoutPreHashAreSingleHashed() {
        PasswordSettings settings = referenceSettings();
        items().forEach(item -> {
            boolean doubleHashed = item.get("double_hashed").asBoolean();
            boolean underReference = item.get("checks_are_under").asString().equals(REFERENCE);
            String scheme = item.get("scheme").asString();
            if (underReference) {
                assertThat(settings.usesPreHash(scheme)).as(item.get("id").asString()).isEqualTo(doubleHashed);
            } else {
                assertThat(doubleHashed).isFalse();
            }
        });
    }

    @Test
    void argon2FixtureParametersAreTheReferenceConfigs() {
        JsonNode a = FIXTURE.get("argon2_parameters");
        String prefix = "$argon2id$v=19$m=" + a.get("memory_cost_kib").asInt() + ",t=" + a.get("time_cost").asInt()
                + ",p=" + a.get("parallelism").asInt() + "$";
        items().filter(i -> i.get("scheme").asString().equals("argon2"))
                .forEach(i -> assertThat(i.get("hash").asString()).startsWith(prefix));
    }
}
