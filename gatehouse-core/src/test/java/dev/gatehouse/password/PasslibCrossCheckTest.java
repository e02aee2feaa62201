package dev.gatehouse.password;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Hands hashes made here to the real passlib (Debian's {@code python3-passlib}, {@code python3-argon2},
 * {@code python3-bcrypt}) and hashes made by passlib to this package, with Flask-Security's pre-hash rules
 * re-stated in a few lines of Python. Skipped where {@code /usr/bin/python3} with those modules is missing.
 */
class PasslibCrossCheckTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** Reads a request on stdin, answers on stdout. Mirrors utils.get_hmac / verify_password / hash_password. */
    private static final String SCRIPT = """
            import sys, json, hmac, hashlib, base64
            from passlib.context import CryptContext
            req = json.load(sys.stdin)
            def value(v):
                return int(v) if v.isdigit() else v
            opts = {k: value(v) for k, v in req["options"].items()}
            def context(default):
                return CryptContext(schemes=req["schemes"], default=default, deprecated=["auto"], **opts)
            def secret(scheme, password):
                if req["single_hash_all"] or scheme == "plaintext":
                    return password
                pre = base64.b64encode(hmac.new(req["salt"].encode("utf-8"), password.encode("utf-8"),
                                                hashlib.sha512).digest()).decode("ascii")
                return pre[:72] if scheme == "bcrypt" else pre
            base = context(req["default"])
            out = {"verified": [], "made": []}
            for case in req["verify"]:
                scheme = base.identify(case["hash"])
                out["verified"].append({"scheme": scheme,
                                        "ok": base.verify(secret(scheme, case["password"]), case["hash"]),
                                        "needs_update": base.needs_update(case["hash"])})
            for case in req["make"]:
                out["made"].append(context(case["scheme"]).hash(secret(case["scheme"], case["password"])))
            print(json.dumps(out))
            """;

    private static final List<String> PASSWORDS = List.of(
            "correct horse battery staple", "Päßwörd✓", "Café-ﬁsh-①②-Ｘ",
            "bcrypt-reads-only-the-first-72-bytes:0123456789abcdef0123456789abcdef0123456789abcdef|tail-A");

    /** Cheap, and with argon2 min_rounds so the time-cost rule is exercised too. */
    private static final Map<String, String> OPTIONS = Map.of(
            "argon2__rounds", "2",
            "argon2__min_rounds", "2",
            "argon2__memory_cost", "256",
            "argon2__parallelism", "2",
            "argon2__digest_size", "16",
            "bcrypt__rounds", "4",
            "pbkdf2_sha256__rounds", "1000",
            "pbkdf2_sha512__rounds", "1000",
            "sha256_crypt__rounds", "1000",
            "sha512_crypt__rounds", "1000");

    @BeforeAll
    static void passlibIsInstalled() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PYTHON), "no /usr/bin/python3: passlib cross-check skipped");
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import passlib.context, argon2, bcrypt")
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        Assumptions.assumeTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0,
                "passlib, argon2-cffi or bcrypt missing for /usr/bin/python3: passlib cross-check skipped");
    }

    private static PasswordSettings settings(boolean singleHashAll) {
        return PasswordSettings.defaults("cross-check-salt-ü").withPasslibOptions(OPTIONS)
                .withSingleHashAll(singleHashAll);
    }

    private record Case(String password, String hash, boolean expectOk) {
    }

    private static JsonNode passlib(PasswordSettings s, List<Case> verify, List<String[]> make)
            throws IOException, InterruptedException {
        ObjectNode req = JSON.createObjectNode();
        req.put("salt", s.passwordSalt());
        req.put("default", s.defaultScheme());
        req.put("single_hash_all", s.singleHashAll());
        ArrayNode schemes = req.putArray("schemes");
        s.schemes().forEach(schemes::add);
        ObjectNode options = req.putObject("options");
        s.passlibOptions().forEach(options::put);
        ArrayNode v = req.putArray("verify");
        for (Case c : verify) {
            v.addObject().put("password", PasswordHasher.normalize(c.password(), "NFKD")).put("hash", c.hash());
        }
        ArrayNode m = req.putArray("make");
        for (String[] c : make) {
            m.addObject().put("scheme", c[0]).put("password", PasswordHasher.normalize(c[1], "NFKD"));
        }
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", SCRIPT).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(JSON.writeValueAsString(req).getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isZero();
        return JSON.readTree(out);
    }

    private void crossCheck(boolean singleHashAll) throws Exception {
        PasswordSettings base = settings(singleHashAll);
        PasswordHasher hasher = new PasswordHasher(base);

        // Hashes made here in every scheme; the right password and a wrong one.
        List<Case> cases = new ArrayList<>();
        List<String[]> make = new ArrayList<>();
        for (String scheme : PasswordSettings.DEFAULT_SCHEMES) {
            PasswordHasher maker = new PasswordHasher(base.withDefaultScheme(scheme));
            for (String password : PASSWORDS) {
                String hash = maker.hash(password);
                cases.add(new Case(password, hash, true));
                // single-hashed bcrypt and des_crypt ignore what lies beyond their 72 and 8 bytes
                cases.add(new Case(password + "x", hash, singleHashAll && utf8Length(password) >= limit(scheme)));
                make.add(new String[] {scheme, password});
            }
        }
        // argon2 and bcrypt hashes with other parameters, for passlib's needs_update rules.
        Map<String, String> variants = new LinkedHashMap<>();
        variants.put("argon2__memory_cost", "512");
        variants.put("argon2__parallelism", "1");
        variants.put("argon2__digest_size", "32");
        variants.put("argon2__type", "i");
        variants.put("argon2__salt_size", "24");
        variants.put("bcrypt__ident", "2a");
        for (Map.Entry<String, String> e : variants.entrySet()) {
            PasswordSettings s = base.withPasslibOption(e.getKey(), e.getValue());
            String scheme = e.getKey().substring(0, e.getKey().indexOf("__"));
            cases.add(new Case(PASSWORDS.get(0), new PasswordHasher(s.withDefaultScheme(scheme)).hash(PASSWORDS.get(0)),
                    true));
        }
        for (String rounds : List.of("1", "3")) {
            PasswordSettings s = base.withPasslibOptions(Map.of("argon2__rounds", rounds, "argon2__memory_cost", "256",
                    "argon2__parallelism", "2", "argon2__digest_size", "16"));
            cases.add(new Case(PASSWORDS.get(0), new PasswordHasher(s).hash(PASSWORDS.get(0)), true));
        }

        JsonNode answer = passlib(base, cases, make);

        JsonNode verified = answer.get("verified");
        assertThat(verified.size()).isEqualTo(cases.size());
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            JsonNode a = verified.get(i);
            String what = c.hash() + " / " + c.password();
            assertThat(a.get("scheme").asString()).as(what).isEqualTo(hasher.identify(c.hash()).name());
            assertThat(a.get("ok").asBoolean()).as("passlib verifies " + what).isEqualTo(c.expectOk());
            assertThat(a.get("needs_update").asBoolean()).as("passlib needs_update " + what)
                    .isEqualTo(hasher.needsUpdate(c.hash()));
            Verification ours = hasher.verify(c.password(), c.hash());
            assertThat(ours.valid()).as(what).isEqualTo(c.expectOk());
            assertThat(ours.needsRehash()).as(what).isEqualTo(c.expectOk() && a.get("needs_update").asBoolean());
        }

        JsonNode made = answer.get("made");
        assertThat(made.size()).isEqualTo(make.size());
        for (int i = 0; i < make.size(); i++) {
            String hash = made.get(i).asString();
            String password = make.get(i)[1];
            assertThat(hasher.verify(password, hash).valid()).as("passlib's " + hash).isTrue();
        }
    }

    private static int utf8Length(String password) {
        return PasswordHasher.normalize(password, "NFKD").getBytes(StandardCharsets.UTF_8).length;
    }

    private static int limit(String scheme) {
        return switch (scheme) {
            case "bcrypt" -> 72;
            case "des_crypt" -> 8;
            default -> Integer.MAX_VALUE;
        };
    }

    @Test
    void passlibVerifiesHashesMadeWithDefaultParameters() throws Exception {
        // Only validity here: which argon2 parameters passlib itself wants depends on the installed argon2-cffi.
        PasswordSettings defaults = PasswordSettings.defaults("cross-check-salt");
        List<Case> cases = new ArrayList<>();
        for (String scheme : List.of("argon2", "bcrypt", "pbkdf2_sha512")) {
            String hash = new PasswordHasher(defaults.withDefaultScheme(scheme)).hash(PASSWORDS.get(1));
            cases.add(new Case(PASSWORDS.get(1), hash, true));
            cases.add(new Case(PASSWORDS.get(0), hash, false));
        }
        assertThat(cases.get(0).hash()).startsWith("$argon2id$v=19$m=65536,t=3,p=4$");
        JsonNode verified = passlib(defaults, cases, List.of()).get("verified");
        for (int i = 0; i < cases.size(); i++) {
            assertThat(verified.get(i).get("ok").asBoolean()).as(cases.get(i).hash()).isEqualTo(cases.get(i).expectOk());
        }
    }

    @Test
    void passlibAgreesOnPreHashedHashes() throws Exception {
        crossCheck(false);
    }

    @Test
    void passlibAgreesOnSingleHashedHashes() throws Exception {
        crossCheck(true);
    }
}
