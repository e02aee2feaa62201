package dev.gatehouse.mail;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.GatehouseConfig;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.Objects;
import java.util.Properties;

/**
 * Sends mail over SMTP with Jakarta Mail (Eclipse Angus), configured like Flask-Mail:
 * {@code MAIL_SERVER}, {@code MAIL_PORT}, {@code MAIL_USE_TLS} (STARTTLS, required when set),
 * {@code MAIL_USE_SSL} (TLS from the first byte), {@code MAIL_USERNAME} and {@code MAIL_PASSWORD}.
 * Every send opens its own connection, with time limits, so a stuck server fails one request
 * instead of hanging it. Thread-safe.
 */
public final class SmtpMailer implements Mailer {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final Settings settings;
    private final Session session;

    /**
     * Where and how to reach the SMTP server.
     *
     * @param host     the server's host name
     * @param port     its port
     * @param startTls upgrade the connection with STARTTLS, and refuse to go on without it
     * @param ssl      connect with TLS from the start (SMTPS, usually port 465)
     * @param username the login, or null to send without authentication
     * @param password the password of {@code username}
     */
    public record Settings(String host, int port, boolean startTls, boolean ssl, String username, String password) {
        /** Checks the values. */
        public Settings {
            Objects.requireNonNull(host, "host");
            if (port <= 0 || port > 65535) {
                throw new IllegalArgumentException("MAIL_PORT: not a port: " + port);
            }
        }

        /** Hides the password, so settings can be logged. */
        @Override
        public String toString() {
            return "Settings[host=" + host + ", port=" + port + ", startTls=" + startTls + ", ssl=" + ssl
                    + ", username=" + username + "]";
        }
    }

    /** A mailer for these settings. */
    public SmtpMailer(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.session = session(settings);
    }

    /** A mailer for the {@code MAIL_*} keys of a configuration; {@code MAIL_SERVER} must be set. */
    public static SmtpMailer fromConfig(GatehouseConfig config) {
        String host = config.get(ConfigKeys.MAIL_SERVER);
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("MAIL_SERVER is not set");
        }
        return new SmtpMailer(new Settings(host.strip(), config.get(ConfigKeys.MAIL_PORT), config.get(ConfigKeys.MAIL_USE_TLS),
                config.get(ConfigKeys.MAIL_USE_SSL), config.get(ConfigKeys.MAIL_USERNAME), config.get(ConfigKeys.MAIL_PASSWORD)));
    }

    /** The settings in use. */
    public Settings settings() {
        return settings;
    }

    @Override
    public void send(MailMessage m) {
        try {
            MimeMessage msg = new MimeMessage(session);
            msg.setFrom(new InternetAddress(m.from()));
            msg.setRecipient(Message.RecipientType.TO, new InternetAddress(m.to(), true));
            msg.setSubject(m.subject(), StandardCharsets.UTF_8.name());
            msg.setSentDate(new Date());
            if (m.text() != null && m.html() != null) {
                MimeMultipart alternative = new MimeMultipart("alternative");
                MimeBodyPart text = new MimeBodyPart();
                text.setText(m.text(), StandardCharsets.UTF_8.name(), "plain");
                MimeBodyPart html = new MimeBodyPart();
                html.setText(m.html(), StandardCharsets.UTF_8.name(), "html");
                alternative.addBodyPart(text);
                alternative.addBodyPart(html);
                msg.setContent(alternative);
            } else if (m.text() != null) {
                msg.setText(m.text(), StandardCharsets.UTF_8.name(), "plain");
            } else {
                msg.setText(m.html(), StandardCharsets.UTF_8.name(), "html");
            }
            // Authentication, when configured, comes from the session's authenticator.
            Transport.send(msg);
        } catch (MessagingException e) {
            throw new MailException("SMTP " + settings.host() + ":" + settings.port() + " refused or failed: "
                    + describe(e), e);
        }
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 400; t = t.getCause()) {
            if (sb.length() > 0) {
                sb.append(" <- ");
            }
            sb.append(t.getClass().getSimpleName()).append(": ").append(String.valueOf(t.getMessage()).strip());
            if (t.getCause() == t) {
                break;
            }
        }
        return sb.toString();
    }

    private static Session session(Settings s) {
        Properties p = new Properties();
        String proto = s.ssl() ? "smtps" : "smtp";
        p.put("mail.transport.protocol", proto);
        p.put("mail." + proto + ".host", s.host());
        p.put("mail." + proto + ".port", String.valueOf(s.port()));
        p.put("mail." + proto + ".connectiontimeout", String.valueOf(TIMEOUT.toMillis()));
        p.put("mail." + proto + ".timeout", String.valueOf(TIMEOUT.toMillis()));
        p.put("mail." + proto + ".writetimeout", String.valueOf(TIMEOUT.toMillis()));
        boolean auth = s.username() != null && !s.username().isEmpty();
        p.put("mail." + proto + ".auth", String.valueOf(auth));
        if (s.ssl()) {
            p.put("mail.smtps.ssl.checkserveridentity", "true");
        }
        if (s.startTls()) {
            p.put("mail.smtp.starttls.enable", "true");
            // Flask-Mail's MAIL_USE_TLS means "use TLS": never fall back to plain text silently.
            p.put("mail.smtp.starttls.required", "true");
            p.put("mail.smtp.ssl.checkserveridentity", "true");
        }
        Authenticator authenticator = auth ? new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(s.username(), s.password() == null ? "" : s.password());
            }
        } : null;
        return Session.getInstance(p, authenticator);
    }
}
