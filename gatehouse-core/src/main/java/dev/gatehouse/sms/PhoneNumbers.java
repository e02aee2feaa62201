package dev.gatehouse.sms;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.Locale;
import java.util.Optional;

/**
 * Phone numbers as Flask-Security's {@code PhoneUtil} handles them, with libphonenumber: a number
 * without a country code is read in {@code SECURITY_PHONE_REGION_DEFAULT}; only valid numbers are
 * accepted, and they are stored in E.164 ({@code +15555550100}). Thread-safe.
 */
public final class PhoneNumbers {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    /** Longer input is no phone number; refusing it early keeps parsing cheap. */
    private static final int MAX_INPUT = 64;

    private final String defaultRegion;

    /** @param defaultRegion ISO 3166 region for numbers without a country code, e.g. {@code US} */
    public PhoneNumbers(String defaultRegion) {
        this.defaultRegion = defaultRegion == null ? "US" : defaultRegion.toUpperCase(Locale.ROOT);
    }

    /** The number in E.164 when it is a valid phone number, else empty. */
    public Optional<String> canonical(String input) {
        if (input == null || input.isBlank() || input.length() > MAX_INPUT) {
            return Optional.empty();
        }
        try {
            Phonenumber.PhoneNumber n = UTIL.parse(input.strip(), defaultRegion);
            if (!UTIL.isValidNumber(n)) {
                return Optional.empty();
            }
            return Optional.of(UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.E164));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }
}
