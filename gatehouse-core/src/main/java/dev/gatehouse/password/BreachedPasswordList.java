package dev.gatehouse.password;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A local list of breached or forbidden passwords, for machines that must not (or cannot) ask
 * the range API. One entry a line, blank lines and {@code #} comments skipped:
 * <ul>
 *   <li>a SHA-1 of the password in hex, optionally with its count: {@code HASH:COUNT} is the
 *       format of the downloadable Pwned Passwords files;</li>
 *   <li>anything else is a plain password (a list of common passwords), normalized like the
 *       passwords it is compared with.</li>
 * </ul>
 * An entry without a count is refused at any {@code SECURITY_PASSWORD_BREACHED_COUNT}. The list
 * is held in memory, which suits lists of up to a few million entries; for the whole corpus,
 * serve it as a range API and point {@code GATEHOUSE_PASSWORD_BREACHED_URL} at that. Immutable
 * and thread-safe.
 */
public final class BreachedPasswordList implements BreachedPasswords {
    private static final Pattern HASH = Pattern.compile("[0-9A-Fa-f]{40}(:[0-9]{1,19})?");

    private final Map<String, Integer> counts;

    private BreachedPasswordList(Map<String, Integer> counts) {
        this.counts = Map.copyOf(counts);
    }

    /**
     * Reads a list file (UTF-8).
     *
     * @param file          the file
     * @param normalizeForm the normalization of plain-password entries ({@code SECURITY_PASSWORD_NORMALIZE_FORM})
     * @return the list
     * @throws UncheckedIOException when the file cannot be read
     */
    public static BreachedPasswordList load(Path file, String normalizeForm) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Map<String, Integer> m = new HashMap<>();
            String line;
            boolean first = true;
            while ((line = r.readLine()) != null) {
                if (first && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                first = false;
                String entry = line.strip();
                if (entry.isEmpty() || entry.startsWith("#")) {
                    continue;
                }
                add(m, entry, normalizeForm);
            }
            return new BreachedPasswordList(m);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the breached-password list " + file, e);
        }
    }

    /**
     * A list from entries in the file format (tests, lists built in code).
     *
     * @param entries       hashes ({@code HASH[:COUNT]}) or plain passwords
     * @param normalizeForm the normalization of plain-password entries
     * @return the list
     */
    public static BreachedPasswordList of(Iterable<String> entries, String normalizeForm) {
        Map<String, Integer> m = new HashMap<>();
        entries.forEach(e -> add(m, e, normalizeForm));
        return new BreachedPasswordList(m);
    }

    private static void add(Map<String, Integer> m, String entry, String normalizeForm) {
        String hash;
        int count = Integer.MAX_VALUE;
        if (HASH.matcher(entry).matches()) {
            hash = entry.substring(0, 40).toUpperCase(Locale.ROOT);
            if (entry.length() > 40) {
                count = (int) Math.min(Integer.MAX_VALUE, Long.parseLong(entry.substring(41)));
            }
        } else {
            hash = BreachedPasswords.sha1Hex(PasswordHasher.normalize(entry, normalizeForm));
        }
        m.merge(hash, count, Math::max);
    }

    /** The number of distinct entries. */
    public int size() {
        return counts.size();
    }

    @Override
    public int count(String password) {
        return counts.getOrDefault(BreachedPasswords.sha1Hex(password), 0);
    }
}
