package dev.gatehouse.account;

import java.text.Normalizer;
import java.util.Map;

/**
 * Flask-Security's username rules ({@code SECURITY_USERNAME_*}): no markup and no surrounding
 * blanks, only Unicode letters and digits, normalized ({@code USERNAME_NORMALIZE_FORM}, NFKD by
 * default) and between {@code USERNAME_MIN_LENGTH} and {@code USERNAME_MAX_LENGTH} characters
 * after normalization. Uniqueness (case-insensitive) is the datastore's to check.
 */
public final class Usernames {
    private Usernames() {
    }

    /** The outcome of {@link #validate}. */
    public sealed interface Check {
        /** Acceptable; {@code normalized} is the value to store and look up. */
        record Valid(String normalized) implements Check {
        }

        /** Refused, with the message key and its arguments. */
        record Invalid(String messageKey, Map<String, Object> args) implements Check {
        }
    }

    /**
     * Checks a username as typed.
     *
     * @param form the normalization form name ({@code NFKD}, …), or null for none
     */
    public static Check validate(String username, String form, int minLength, int maxLength) {
        // What nh3 would change (tags, entities, surrounding blanks) is refused outright, as in
        // Flask-Security, rather than silently cleaned.
        if (!username.equals(username.strip()) || username.chars().anyMatch(ch -> ch == '<' || ch == '>' || ch == '&'
                || ch == '\u00a0')) {
            return new Check.Invalid("USERNAME_ILLEGAL_CHARACTERS", Map.of());
        }
        boolean lettersAndDigits = username.codePoints().allMatch(cp -> Character.isLetter(cp) || isNumber(cp));
        if (!lettersAndDigits) {
            return new Check.Invalid("USERNAME_DISALLOWED_CHARACTERS", Map.of());
        }
        String normalized = form == null || form.isBlank() ? username
                : Normalizer.normalize(username, Normalizer.Form.valueOf(form));
        int length = normalized.codePointCount(0, normalized.length());
        if (length < minLength || length > maxLength) {
            return new Check.Invalid("USERNAME_INVALID_LENGTH", Map.of("min", minLength, "max", maxLength));
        }
        return new Check.Valid(normalized);
    }

    /** Unicode category N (Nd, Nl, No), as Python's {@code unicodedata.category(c)[0] == "N"}. */
    private static boolean isNumber(int cp) {
        int t = Character.getType(cp);
        return t == Character.DECIMAL_DIGIT_NUMBER || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER;
    }
}
