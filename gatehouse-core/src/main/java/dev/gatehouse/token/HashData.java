package dev.gatehouse.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.Sha2Crypt;

/**
 * Flask-Security's {@code hash_data} / {@code verify_hash}: the small hashes that bind a link
 * token to the e-mail or password it was made for. New hashes are passlib {@code sha256_crypt}
 * with 535000 rounds and a 16-character salt ({@code $5$rounds=535000$salt$digest}); verification
 * also accepts the deprecated {@code hex_md5} that older Flask-Security versions wrote.
 */
public final class HashData {
    /** passlib's default rounds for sha256_crypt, as Flask-Security uses them. */
    static final int ROUNDS = 535_000;

    private static final String SALT_CHARS = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int SALT_LENGTH = 16;
    private static final Pattern SHA256_CRYPT =
            // rounds capped at 7 digits: the hash comes from a signed token, but a huge count would still stall us
            Pattern.compile("\\$5\\$(rounds=[1-9][0-9]{3,6}\\$)?[./0-9A-Za-z]{0,16}\\$[./0-9A-Za-z]{43}");
    private static final Pattern HEX_MD5 = Pattern.compile("[0-9a-fA-F]{32}");

    private final SecureRandom random;

    /**
     * @param random the source of salts
     */
    public HashData(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Hashes text as Flask-Security's {@code hash_data} does (UTF-8, sha256_crypt, 535000
     * rounds, fresh salt). Deliberately slow: a few hundred milliseconds.
     *
     * @param data the text, e.g. an e-mail address or a password hash
     * @return the {@code $5$rounds=535000$...} hash
     */
    public String hashData(String data) {
        Objects.requireNonNull(data, "data");
        StringBuilder salt = new StringBuilder("$5$rounds=" + ROUNDS + "$");
        for (int i = 0; i < SALT_LENGTH; i++) {
            salt.append(SALT_CHARS.charAt(random.nextInt(SALT_CHARS.length())));
        }
        return Sha2Crypt.sha256Crypt(data.getBytes(StandardCharsets.UTF_8), salt.toString());
    }

    /**
     * Checks text against a hash from {@link #hashData} or from Flask-Security, in constant time
     * for a given hash. Never throws for a malformed hash: it simply does not match.
     *
     * @param value the text, e.g. the user's current e-mail address
     * @param hash  the hash taken from a token
     * @return whether they match
     */
    public static boolean verifyHashData(String value, String hash) {
        if (value == null || hash == null) {
            return false;
        }
        byte[] data = value.getBytes(StandardCharsets.UTF_8);
        if (SHA256_CRYPT.matcher(hash).matches()) {
            String computed;
            try {
                computed = Sha2Crypt.sha256Crypt(data, hash);
            } catch (IllegalArgumentException e) {
                return false;
            }
            return MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII),
                    hash.getBytes(StandardCharsets.US_ASCII));
        }
        if (HEX_MD5.matcher(hash).matches()) {
            byte[] md5;
            try {
                md5 = MessageDigest.getInstance("MD5").digest(data);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("MD5 unavailable", e);
            }
            return MessageDigest.isEqual(HexFormat.of().formatHex(md5).getBytes(StandardCharsets.US_ASCII),
                    hash.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
        }
        return false;
    }
}
