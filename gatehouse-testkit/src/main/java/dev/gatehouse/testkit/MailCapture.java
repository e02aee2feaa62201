package dev.gatehouse.testkit;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real SMTP server (GreenMail) on a free loopback port, for tests that follow the links
 * Gatehouse mails. Point the app at it with {@link #settings()} ({@code MAIL_SERVER},
 * {@code MAIL_PORT}) and read what arrived with {@link #await}.
 *
 * <pre>{@code
 * try (MailCapture mail = MailCapture.start()) {
 *     config.putAll(mail.settings());
 *     ...
 *     String path = mail.await("alice@example.com", 1).get(0).linkPath("/confirm/");
 * }
 * }</pre>
 */
public final class MailCapture implements AutoCloseable {
    private static final Pattern URL = Pattern.compile("https?://[^\\s\"'<>]+");

    private final GreenMail server;

    private MailCapture(GreenMail server) {
        this.server = server;
    }

    /** Starts a server on 127.0.0.1 and a free port. */
    public static MailCapture start() {
        GreenMail g = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        g.start();
        return new MailCapture(g);
    }

    /** The port it listens on. */
    public int port() {
        return server.getSmtp().getPort();
    }

    /** {@code MAIL_SERVER} and {@code MAIL_PORT} for this server. */
    public Map<String, String> settings() {
        return Map.of("MAIL_SERVER", "127.0.0.1", "MAIL_PORT", String.valueOf(port()));
    }

    /** One received mail. */
    public record Mail(String to, String from, String subject, String text, String html) {
        /** The first absolute link (in the text body, else the HTML one) whose URL contains {@code marker}. */
        public String link(String marker) {
            for (String body : new String[] {text, html}) {
                if (body == null) {
                    continue;
                }
                Matcher m = URL.matcher(body.replace("&amp;", "&"));
                while (m.find()) {
                    if (m.group().contains(marker)) {
                        return m.group();
                    }
                }
            }
            throw new AssertionError("no link containing " + marker + " in mail '" + subject + "': " + text);
        }

        /** Path and query of {@link #link}, to follow against any base URL. */
        public String linkPath(String marker) {
            URI u = URI.create(link(marker));
            return u.getRawPath() + (u.getRawQuery() != null ? "?" + u.getRawQuery() : "");
        }
    }

    /** Every mail received so far for the address (case-insensitive), oldest first. */
    public List<Mail> mailsTo(String address) {
        List<Mail> out = new ArrayList<>();
        for (MimeMessage m : server.getReceivedMessages()) {
            try {
                for (Address a : m.getRecipients(Message.RecipientType.TO)) {
                    if (a.toString().toLowerCase(Locale.ROOT).contains(address.toLowerCase(Locale.ROOT))) {
                        out.add(read(m));
                        break;
                    }
                }
            } catch (MessagingException | IOException e) {
                throw new IllegalStateException("cannot read a received mail", e);
            }
        }
        return out;
    }

    /** Waits up to 10 s until at least {@code count} mails reached the address; returns them all. */
    public List<Mail> await(String address, int count) {
        Instant end = Instant.now().plus(Duration.ofSeconds(10));
        while (true) {
            List<Mail> mails = mailsTo(address);
            if (mails.size() >= count) {
                return mails;
            }
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("expected " + count + " mail(s) to " + address + ", got " + mails.size());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The number of mails received for every address together. */
    public int count() {
        return server.getReceivedMessages().length;
    }

    private static Mail read(MimeMessage m) throws MessagingException, IOException {
        String text = null;
        String html = null;
        Object content = m.getContent();
        if (content instanceof Multipart mp) {
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart p = mp.getBodyPart(i);
                if (p.isMimeType("text/plain")) {
                    text = p.getContent().toString();
                } else if (p.isMimeType("text/html")) {
                    html = p.getContent().toString();
                }
            }
        } else if (m.isMimeType("text/html")) {
            html = content.toString();
        } else {
            text = content.toString();
        }
        Address[] to = m.getRecipients(Message.RecipientType.TO);
        return new Mail(to == null || to.length == 0 ? null : to[0].toString(),
                m.getFrom() == null || m.getFrom().length == 0 ? null : m.getFrom()[0].toString(), m.getSubject(), text, html);
    }

    /** Stops the server. */
    @Override
    public void close() {
        server.stop();
    }
}
