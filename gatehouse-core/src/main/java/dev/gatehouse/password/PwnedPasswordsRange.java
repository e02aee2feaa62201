package dev.gatehouse.password;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The k-anonymity range API of Pwned Passwords ({@code https://api.pwnedpasswords.com/range/}),
 * or any server that answers the same way: only the first five hex digits of the password's
 * SHA-1 leave the machine, and the answer lists the suffixes of every hash with that prefix as
 * {@code SUFFIX:COUNT} lines. Padding is asked for ({@code Add-Padding: true}), so the size of an
 * answer says nothing about the prefix either; padded entries have a count of 0.
 *
 * <p>Both connecting and answering are limited by a short timeout, and an answer that is not a
 * well-formed range is a failure, never "not breached". Thread-safe.
 */
public final class PwnedPasswordsRange implements BreachedPasswords {
    /** The public service. */
    public static final String DEFAULT_URL = "https://api.pwnedpasswords.com/range/";

    private static final Pattern LINE = Pattern.compile("[0-9A-Fa-f]{35}:[0-9]{1,19}");
    // A real range holds ~1,000 lines of ~40 bytes; anything far larger is not one.
    private static final int MAX_BODY = 1 << 20;

    private final String url;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param url     the range endpoint; the five-digit prefix is appended to it
     * @param timeout the limit for connecting and for the whole answer
     */
    public PwnedPasswordsRange(String url, Duration timeout) {
        this.url = Objects.requireNonNull(url, "url");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        URI.create(url + "00000");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** The endpoint asked. */
    public String url() {
        return url;
    }

    @Override
    public int count(String password) throws IOException {
        String sha1 = BreachedPasswords.sha1Hex(password);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + sha1.substring(0, 5)))
                .timeout(timeout)
                .header("User-Agent", "Gatehouse")
                .header("Add-Padding", "true")
                .GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + url, e);
        }
        String body;
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw new IOException(url + " answered more than a range holds");
            }
            body = new String(bytes, StandardCharsets.UTF_8);
        }
        if (response.statusCode() != 200) {
            throw new IOException(url + " answered HTTP " + response.statusCode());
        }
        return find(body, sha1.substring(5));
    }

    /** The count of {@code suffix} in a range answer; a malformed answer is an error. */
    static int find(String body, String suffix) throws IOException {
        if (body.startsWith("\uFEFF")) {
            body = body.substring(1);
        }
        int found = 0;
        for (String raw : body.split("\r?\n")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (!LINE.matcher(line).matches()) {
                throw new IOException("not a Pwned Passwords range line: '" + abbreviate(line) + "'");
            }
            if (line.substring(0, 35).toUpperCase(Locale.ROOT).equals(suffix)) {
                long n = Long.parseLong(line.substring(36));
                found = (int) Math.min(Integer.MAX_VALUE, Math.max(found, n));
            }
        }
        return found;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }
}
