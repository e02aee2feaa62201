package dev.gatehouse.sms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhoneNumbersTest {

    @Test
    void validNumbersComeOutInE164() {
        PhoneNumbers us = new PhoneNumbers("US");
        assertThat(us.canonical("650-253-0000")).contains("+16502530000");
        assertThat(us.canonical("+1 (650) 253-0000")).contains("+16502530000");
        assertThat(us.canonical("+44 20 7946 0018")).contains("+442079460018");
        assertThat(new PhoneNumbers("gb").canonical("020 7946 0018")).contains("+442079460018");
    }

    @Test
    void anythingElseIsRefused() {
        PhoneNumbers us = new PhoneNumbers("US");
        assertThat(us.canonical(null)).isEmpty();
        assertThat(us.canonical("")).isEmpty();
        assertThat(us.canonical("12345")).isEmpty();
        assertThat(us.canonical("not a number")).isEmpty();
        assertThat(us.canonical("+1 555 000")).isEmpty();
        assertThat(us.canonical("1".repeat(200))).isEmpty();
    }
}
