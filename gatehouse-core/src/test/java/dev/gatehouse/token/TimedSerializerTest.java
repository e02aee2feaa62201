package dev.gatehouse.token;

import static dev.gatehouse.token.TokenFixturesTest.at;
import static dev.gatehouse.token.TokenFixturesTest.verdict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

class TimedSerializerTest {
    private static final String KEY = "gatehouse-public-fixture-secret-key-7c1e5b9a2f";
    private static final long T = 1767225600L;

    private static JsonNode json(String text) {
        return PythonJson.MAPPER.readTree(text);
    }

    /** Expected tokens computed with Python's json/zlib/hmac/base64 the way itsdangerous does. */
    @Test
    void nonAsciiControlCharactersAndNumbersMatchPythonByteForByte() {
        JsonNode payload = json("{\"name\":\"Zoë ☃ 😀\",\"ctl\":\"a\\u0001\\n\\\"\\\\\\u007f\\u2028\","
                + "\"n\":[1,2.5,1e-07,1e16,12345678901234567890,-0.0,true,null]}");
        String expected = ".eJyrVspLzE1VslKKyj-8WuHRjGaFD_NnNCjpKCWX5ABFE2NKDQwMDGPyYpRiYuofNawAyuQpWUUb6hjpmeoYpuoamANJbUMzHUMjYx"
                + "NTM3MLSwMES0fXQM9Ap6SoNFUnrzQnJ7YWAOh3IZA.aVW5AA.ZwdWkyx_Le6N1qtqH0GXa71HaMc";
        TimedSerializer s = new TimedSerializer(List.of(KEY), "test-salt", at(T));
        assertThat(s.dumps(payload)).isEqualTo(expected);
        assertThat(s.loads(expected, Duration.ofSeconds(1)).validPayload()).contains(payload);
    }

    @Test
    void timestampZeroIsAnEmptyPart() {
        String expected = ".eJyrVqpQslJKHCZAqRYAn1xN-w.._Qv6k9sbQxf1m9Sbe0D569mck-k";
        TimedSerializer s = new TimedSerializer(List.of(KEY), "test-salt", at(0));
        assertThat(s.dumps(Map.of("x", "a".repeat(200)))).isEqualTo(expected);
        assertThat(s.loads(expected, null)).isEqualTo(new TokenResult.Valid<>(json("{\"x\":\"" + "a".repeat(200) + "\"}"),
                Instant.EPOCH));
    }

    @Test
    void flaskSessionStyleSortsKeysAndEscapesNonAscii() {
        JsonNode payload = json("{\"name\":\"Zoë ☃ 😀\",\"ctl\":\"a\\u0001\\n\\\"\\\\\\u007f\\u2028\"}");
        assertThat(PythonJson.write(payload, PythonJson.Style.FLASK_SESSION)).isEqualTo(
                "{\"ctl\":\"a\\u0001\\n\\\"\\\\\\u007f\\u2028\",\"name\":\"Zo\\u00eb \\u2603 \\ud83d\\ude00\"}");
    }

    @Test
    void javaValuesAreSignedAsJson() {
        record Pair(String a, int b) {
        }
        TimedSerializer s = new TimedSerializer(List.of(KEY), "s", at(T));
        assertThat(s.loads(s.dumps(new Pair("x", 2)), null).validPayload()).contains(json("{\"a\":\"x\",\"b\":2}"));
        assertThat(s.loads(s.dumps("just a string"), null).validPayload()).contains(JsonNodeFactory.instance.stringNode("just a string"));
        assertThat(s.loads(s.dumps(List.of(1, 2, 3)), null).validPayload()).contains(json("[1,2,3]"));
    }

    @Test
    void expiryBoundaries() {
        String token = new TimedSerializer(List.of(KEY), "s", at(T)).dumps("x");
        Duration max = Duration.ofSeconds(60);
        assertThat(verdict(new TimedSerializer(List.of(KEY), "s", at(T + 60)).loads(token, max))).isEqualTo("valid");
        assertThat(verdict(new TimedSerializer(List.of(KEY), "s", at(T + 61)).loads(token, max))).isEqualTo("expired");
        assertThat(verdict(new TimedSerializer(List.of(KEY), "s", at(T - 1)).loads(token, max))).isEqualTo("expired");
        // A fractional max age behaves as Python's int age > float max_age.
        assertThat(verdict(new TimedSerializer(List.of(KEY), "s", at(T + 60)).loads(token, Duration.ofMillis(60_500))))
                .isEqualTo("valid");
        assertThat(verdict(new TimedSerializer(List.of(KEY), "s", at(T + 61)).loads(token, Duration.ofMillis(60_500))))
                .isEqualTo("expired");
        // No limit, or zero: never expires, not even when dated in the future.
        assertThat(verdict(new TimedSerializer(List.of(KEY), "s", at(T + 10_000_000)).loads(token, Duration.ZERO)))
                .isEqualTo("valid");
        assertThat(verdict(new TimedSerializer(List.of(KEY), "s", at(T - 5)).loads(token, null))).isEqualTo("valid");
        assertThatThrownBy(() -> new TimedSerializer(List.of(KEY), "s", at(T)).loads(token, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keyRotationSignsWithTheCurrentKeyAndAcceptsFallbacks() {
        String current = "the-new-key";
        String old = "the-old-key";
        String signedNow = new TimedSerializer(List.of(current, old), "s", at(T)).dumps("x");
        String signedBefore = new TimedSerializer(List.of(old), "s", at(T)).dumps("x");
        // Signed with the current (first) key, not the last one as Flask-Security would.
        assertThat(signedNow).isEqualTo(new TimedSerializer(List.of(current), "s", at(T)).dumps("x"));
        assertThat(verdict(new TimedSerializer(List.of(current), "s", at(T)).loads(signedNow, null))).isEqualTo("valid");
        assertThat(verdict(new TimedSerializer(List.of(old), "s", at(T)).loads(signedNow, null))).isEqualTo("invalid");
        assertThat(verdict(new TimedSerializer(List.of(current, old), "s", at(T)).loads(signedBefore, null))).isEqualTo("valid");
        assertThat(verdict(new TimedSerializer(List.of(current), "s", at(T)).loads(signedBefore, null))).isEqualTo("invalid");
    }

    @Test
    void saltSeparatesPurposes() {
        String token = new TimedSerializer(List.of(KEY), "confirm-salt", at(T)).dumps("x");
        assertThat(verdict(new TimedSerializer(List.of(KEY), "reset-salt", at(T)).loads(token, null))).isEqualTo("invalid");
        assertThat(verdict(TimedSerializer.flaskSessionCookie(List.of(KEY), at(T)).loads(token, null))).isEqualTo("invalid");
    }

    @Test
    void garbageIsInvalidNeverAnException() {
        TimedSerializer s = new TimedSerializer(List.of(KEY), "s", at(T));
        String good = s.dumps(Map.of("k", "v"));
        String sig = good.substring(good.lastIndexOf('.') + 1);
        List<String> garbage = List.of("", ".", "..", "...", "a", "a.b", "a.b.c", "not-a-token", " " + good, good + " ",
                good + "=", good + ".", "." + good, good.replace('.', ','), good.toUpperCase(), "é.é.é", "\u0000",
                "%2E%2E", good.substring(0, good.length() - 1), good + "A",
                // a genuine signature over a payload that is not JSON / not base64 / not zlib
                forge(s, "bm90IGpzb24"), forge(s, "!!!!"), forge(s, ".bm90IHpsaWI"), forge(s, ""), forge(s, ".")
        );
        for (String g : garbage) {
            assertThat(verdict(s.loads(g, Duration.ofDays(1)))).as(g).isEqualTo("invalid");
        }
        assertThat(verdict(s.loads(null, null))).isEqualTo("invalid");
        assertThat(sig).hasSize(27);
    }

    /** Signs an arbitrary payload part with the real key, to prove decoding is guarded too. */
    private static String forge(TimedSerializer s, String payloadPart) {
        String value = payloadPart + ".aVW5AA";
        Signer signer = Signer.djangoConcat(List.of(KEY), "s");
        return value + "." + signer.sign(value.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void oversizedTimestampsAndInflationBombsAreRefused() {
        Signer signer = Signer.djangoConcat(List.of(KEY), "s");
        TimedSerializer s = new TimedSerializer(List.of(KEY), "s", at(T));
        String nineByteTs = "InglIg." + Payloads.base64(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0});
        assertThat(verdict(s.loads(nineByteTs + "." + signer.sign(nineByteTs.getBytes()), null))).isEqualTo("invalid");
        // 2 MiB of spaces then "1" compresses to a couple of kB; inflating is capped at 1 MiB.
        java.io.ByteArrayOutputStream z = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.DeflaterOutputStream(z)) {
            out.write(" ".repeat(2 << 20).getBytes());
            out.write('1');
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        String bomb = "." + Payloads.base64(z.toByteArray()) + ".aVW5AA";
        assertThat(verdict(s.loads(bomb + "." + signer.sign(bomb.getBytes()), null))).isEqualTo("invalid");
    }

    @Test
    void randomMutationsNeverThrowAndAreNotAccepted() {
        TimedSerializer s = new TimedSerializer(List.of(KEY), "s", at(T));
        String good = s.dumps(Map.of("uid", "ab0963361d0e4d86b53d518f283425d2", "n", 12));
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ é";
        Random rnd = new Random(42);
        for (int i = 0; i < 5000; i++) {
            StringBuilder b = new StringBuilder(good);
            int edits = 1 + rnd.nextInt(3);
            for (int e = 0; e < edits; e++) {
                int pos = rnd.nextInt(b.length());
                switch (rnd.nextInt(3)) {
                    case 0 -> b.setCharAt(pos, alphabet.charAt(rnd.nextInt(alphabet.length())));
                    case 1 -> b.deleteCharAt(pos);
                    default -> b.insert(pos, alphabet.charAt(rnd.nextInt(alphabet.length())));
                }
            }
            String mutated = b.toString();
            TokenResult<JsonNode> r = s.loads(mutated, Duration.ofDays(1));
            if (!mutated.equals(good)) {
                assertThat(r).as(mutated).isInstanceOf(TokenResult.Invalid.class);
            }
        }
    }

    @Test
    void untimedSerializerRoundTripsAndIsDistinctFromTimed() {
        UntimedSerializer u = new UntimedSerializer(List.of("new", "old"), "refresh-token-salt");
        String token = u.dumps(Map.of("ver", "1", "uid", "x"));
        assertThat(token.chars().filter(c -> c == '.').count()).isEqualTo(1);
        assertThat(u.loads(token)).contains(json("{\"ver\":\"1\",\"uid\":\"x\"}"));
        assertThat(new UntimedSerializer(List.of("old"), "refresh-token-salt").loads(token)).isEmpty();
        assertThat(new UntimedSerializer(List.of("x", "new"), "refresh-token-salt").loads(token)).isPresent();
        String timed = new TimedSerializer(List.of("new"), "refresh-token-salt", at(T)).dumps("x");
        assertThat(u.loads(timed)).isEmpty();
        assertThat(u.loads(null)).isEmpty();
        assertThat(u.loads("garbage")).isEmpty();
        String big = u.dumps(Map.of("x", "y".repeat(500)));
        assertThat(big).startsWith(".");
        assertThat(u.loads(big)).contains(json("{\"x\":\"" + "y".repeat(500) + "\"}"));
    }

    @Test
    void keysAreValidated() {
        assertThatThrownBy(() -> new TimedSerializer(List.of(), "s", at(T))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TimedSerializer(List.of(""), "s", at(T))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RememberCookie(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    /** CPython's repr() of each double, recorded with python3 (bits in hex, then repr). */
    @Test
    void floatsAreWrittenAsPythonReprs() {
        String vectors = """
            3fb999999999999a 0.1
            3fd5555555555555 0.3333333333333333
            0000000000000001 5e-324
            0010000000000000 2.2250738585072014e-308
            7fefffffffffffff 1.7976931348623157e+308
            4341c37937e08000 1e+16
            430c6bf526340000 1000000000000000.0
            437b69b4ba630f35 1.2345678901234568e+17
            3f1a36e2eb1c432d 0.0001
            3ee4f8b588e368f1 1e-05
            3f1f75104d551d69 0.00012
            41da556ed6000000 1767226200.0
            41da556ed607e6b4 1767226200.123456
            4059000000000000 100.0
            4480f0cf064dd592 1e+22
            4490f0cf064dd592 2e+22
            4340000000000000 9007199254740992.0
            bff8000000000000 -1.5
            3fd3333333333333 0.3
            4005666666666666 2.675
            44b52d02c7e14af6 1e+23
            4011666666666666 4.35
            3e7ad7f29abcaf48 1e-07
            f2a74de452e6b438 -1.989032661366619e+244
            41d67a7076cfae65 1508491739.2450192
            128b2f330c5c7fd0 2.4065366781569908e-219
            3e760bc10389c114 8.212742919913083e-08
            9531985d5d9dc9f8 -1.3701135617873088e-206
            40ec51dd97c1203d 57998.92477470681
            099950d836f675cc 2.0099045415523394e-262
            40557c9f7a0d2a5b 85.94723368917168
            3d9c172411e20b8f 6.387016158513563e-12
            4056ada202b860c5 90.71301334386506
            d3ac94af0f21ddb6 -1.1923478542621992e+95
            440885cc0f2c58b3 5.654536941930797e+19
            a170b33839263059 -1.306052388527796e-147
            440b35e87932030d 6.274332224055893e+19
            93bd04cf0fd630f1 -1.346859533748178e-213
            3e041e7a1100062d 5.855414226403868e-10
            3898d190f9ebdacc 4.6678633181812096e-36
            43308cab8d17370c 4658268061775628.0
            4a23d5962217bead 1.449394711257504e+49
            414ffa4f37c57f6c 4191390.4357146528
            922766581e27a1c0 -3.2367190832119987e-221
            4325eb406ee7bb9f 3084818241019343.5
            2e44158bae97ba94 8.076904981638927e-86
            4163a80467d1ca40 10305571.244359136
            301850c5a38fd547 5.249822308814304e-77
            414c6963b6b05e1c 3723975.4272573125
            1012f037b64ce422 3.0496182610151205e-231
            41c0d1c9d29112d0 564368293.1333866
            7f15052434b9b5df 1.441484839555994e+304
            408543332523b861 680.3999731817859
            506bf2efc6f87718 2.5890158147660442e+79
            43d0276013465506 4.65601865839674e+18
            5c90a9587403e430 7.750545741548908e+137
            42f10a2f15d0ac26 299766996863682.4
            b2f14c942e05319a -2.628241891952923e-63
            3e40bf28a2b26a40 7.798296305842438e-09
            4cdd2055930d6eaf 1.8721667527122837e+62
            439d277dc01bd5a9 5.2519650381145146e+17
            babced2057ee05cd -9.346583470705478e-26
            41bac0aa8e6d83dc 448834190.42779326
            12bd4acefaecbd38 2.0745096302730225e-218
            405d8435b5ff766a 118.06577825496211
            c1d3fcff2a3af4d4 -1341389992.9211931
            43c7bc21b791974c 3.4205580615985787e+18
            6bf46c697d2caf82 1.0743030475716402e+212
            41ed3630d917ccee 3920725704.743766
            c3baea9e13deef86 -1.9395363977182264e+18
            42ffb9122fea23ec 558075752653374.75
            d17f9acae01f5057 -3.8373366379117136e+84
            42524333c7840631 313747512848.09674
            98289fcd59a54a7b -2.698580563432011e-192
            42fc3b91cbe20aba 496674795298987.6
            119a72d174c9df6a 7.145365052251808e-224
            441236c2026a1953 8.399677805125414e+19
            795e8229451abd81 4.2250910258184893e+276
            3e3df00eff82205c 6.970420678269283e-09
            bb2d420f0f88080b -1.210084267904234e-23
            41fa21f30150b534 7014920213.044239
            fe3b890b93f448b3 -1.1525135242434574e+300
            40ba9c5f2ad567ee 6812.371747339128
            b774eb5248db40af -1.500880737539812e-41
            4221f6fe0c695798 38579144244.67108
            05c6af0758d5563d 7.81030621256862e-281
            4022d01ee3a77c28 9.406485666460938
            9c6539382b0537e6 -6.864829614150003e-172
            3de017f1271d30be 1.1709579448173192e-10
            c4aaeac137dc76fb -6.355599475351771e+22
            4284e9d63ae6e4f0 2874319264988.617
            65dc9f503f63af83 4.750750204750985e+182
            43615c956340f61a 3.90949703133227e+16
            14a0f9e77f1b103c 2.581863118991645e-209
            4030a2fa119d6651 16.636628247192053
            4720771f8ca81811 4.274642804177215e+34
            433f62543fc0f395 8833838264415125.0
            dd2e16096e36aab0 -7.16561744613332e+140
            4260037483046649 550219552803.1964
            fc891b4a6a50df4d -7.829495745681799e+291
            4393ea71e564fa4d 3.5877116533162477e+17
            f52ddf5d616499c9 -2.8033554534609047e+256
            3e23d24781e61147 2.3075150810868218e-09
            """;
        int n = 0;
        for (String line : vectors.strip().split("\n")) {
            String[] parts = line.strip().split(" ");
            double d = Double.longBitsToDouble(Long.parseUnsignedLong(parts[0], 16));
            assertThat(PythonJson.pythonFloat(d)).as(parts[0]).isEqualTo(parts[1]);
            n++;
        }
        assertThat(n).isEqualTo(103);
        assertThat(PythonJson.pythonFloat(Double.NaN)).isEqualTo("NaN");
        assertThat(PythonJson.pythonFloat(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
        assertThat(PythonJson.pythonFloat(-0.0)).isEqualTo("-0.0");
    }
}
