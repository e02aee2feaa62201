package dev.gatehouse.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fernet tokens made by Python's {@code cryptography} ({@code Fernet(key).encrypt_at_time(code, 1767225600)}). */
class FernetTest {
    private static final String KEY1 = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";
    private static final String KEY2 = "Pm4QkD2ZJ8bqv4a9o2Q8v5gFhq7m1bYV9cC6Jk3sRrw=";
    private static final String TOKEN1 =
            "gAAAAABpVbkAWzKtLfvEid9Yy3pfzwd9cFwidX69WOWPj-KeKWmvBmvo_pXVmvw-zZT7vm7eD62HSyauTtdGLwUPl99iJkTmDg==";
    private static final String TOKEN2 =
            "gAAAAABpVbkANeeIFg1wb7PKkpmq5qDI_GE5EA8FBE_uKUlm4egoQ6T8P4N3XP-q42g3EP3TVxjnG_19ji4kCgTuLWsitgfsUg==";
    private static final Instant MADE = Instant.ofEpochSecond(1767225600);

    @Test
    void decryptsWithAnyOfTheKeys() {
        Fernet f = new Fernet(List.of(KEY2, KEY1));
        assertThat(f.decrypt(TOKEN1, null, MADE.plusSeconds(99999))).contains("e6c4-faa7-07f5");
        assertThat(f.decrypt(TOKEN2, null, MADE)).contains("255e-a5ff-d133");
        assertThat(Fernet.looksLikeToken(TOKEN1)).isTrue();
        assertThat(Fernet.looksLikeToken("e6c4-faa7-07f5")).isFalse();
    }

    @Test
    void refusesOtherKeysTamperingAndAge() {
        assertThat(new Fernet(List.of(KEY2)).decrypt(TOKEN1, null, MADE)).isEmpty();
        Fernet f = new Fernet(List.of(KEY1));
        char[] t = TOKEN1.toCharArray();
        t[40] = t[40] == 'A' ? 'B' : 'A';
        assertThat(f.decrypt(new String(t), null, MADE)).isEmpty();
        assertThat(f.decrypt("gAAAAA-not-base64!", null, MADE)).isEmpty();
        assertThat(f.decrypt("", null, MADE)).isEmpty();
        assertThat(f.decrypt(TOKEN1, Duration.ofHours(1), MADE.plus(Duration.ofMinutes(59)))).contains("e6c4-faa7-07f5");
        assertThat(f.decrypt(TOKEN1, Duration.ofHours(1), MADE.plus(Duration.ofMinutes(61)))).isEmpty();
        assertThatThrownBy(() -> new Fernet(List.of("short"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void codesAreComparedInCanonicalForm() {
        assertThat(RecoveryCodes.normalize(" E6C4-FAA7-07F5 ")).isEqualTo("e6c4-faa7-07f5");
        assertThat(RecoveryCodes.normalize("e6c4faa707f5")).isEqualTo("e6c4-faa7-07f5");
        assertThat(RecoveryCodes.normalize("other-code")).isEqualTo("other-code");
        assertThat(RecoveryCodes.normalize("   ")).isNull();
    }
}
