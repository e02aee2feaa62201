package dev.gatehouse.account;

import java.net.IDN;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Syntax check and normalization of email addresses, as Flask-Security's email_validator use
 * does it without DNS: the local part is kept (NFC), the domain is lower-cased and must be a
 * plausible host name with a dot and a non-numeric top-level label.
 */
public final class EmailAddresses {
    // RFC 5322 "atext" plus any non-ASCII letter or digit (internationalized local parts).
    private static final Pattern LOCAL = Pattern.compile("[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]+(\\.[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private EmailAddresses() {
    }

    /** The normalized address, or empty when it is not a valid address. */
    public static Optional<String> normalize(String input) {
        if (input == null) {
            return Optional.empty();
        }
        String s = Normalizer.normalize(input.strip(), Normalizer.Form.NFC);
        int at = s.lastIndexOf('@');
        if (at <= 0 || at == s.length() - 1 || s.length() > 254) {
            return Optional.empty();
        }
        String local = s.substring(0, at);
        String domain = s.substring(at + 1).toLowerCase(Locale.ROOT);
        if (local.length() > 64 || !LOCAL.matcher(local).matches()) {
            return Optional.empty();
        }
        String ascii;
        try {
            ascii = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < 2 || ascii.length() > 253) {
            return Optional.empty();
        }
        for (String l : labels) {
            if (!LABEL.matcher(l).matches()) {
                return Optional.empty();
            }
        }
        if (labels[labels.length - 1].matches("[0-9]+")) {
            return Optional.empty();
        }
        return Optional.of(local + "@" + domain);
    }
}
