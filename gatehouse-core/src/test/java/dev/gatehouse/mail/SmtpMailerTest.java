package dev.gatehouse.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.gatehouse.GatehouseConfig;
import dev.gatehouse.account.User;
import dev.gatehouse.i18n.Messages;
import dev.gatehouse.web.Pages;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SmtpMailer and Mails against a real SMTP server (GreenMail). */
class SmtpMailerTest {
    private GreenMail smtp;

    @BeforeEach
    void start() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
    }

    @AfterEach
    void stop() {
        smtp.stop();
    }

    private GatehouseConfig config(String... more) {
        GatehouseConfig.Builder b = GatehouseConfig.builder().set("SECRET_KEY", "k").set("SECURITY_PASSWORD_SALT", "s")
                .set("MAIL_SERVER", "127.0.0.1").set("MAIL_PORT", String.valueOf(smtp.getSmtp().getPort()))
                .set("SECURITY_EMAIL_SENDER", "Gatehouse <no-reply@example.com>");
        for (int i = 0; i < more.length; i += 2) {
            b.set(more[i], more[i + 1]);
        }
        return b.build();
    }

    @Test
    void sendsTextAndHtmlAsAlternatives() throws Exception {
        SmtpMailer mailer = SmtpMailer.fromConfig(config());
        mailer.send(new MailMessage("alice@example.com", "Gatehouse <no-reply@example.com>", "Grüße", "plain ü", "<p>html ü</p>"));
        assertThat(smtp.waitForIncomingEmail(5000, 1)).isTrue();
        MimeMessage m = smtp.getReceivedMessages()[0];
        assertThat(m.getSubject()).isEqualTo("Grüße");
        assertThat(m.getFrom()[0].toString()).contains("no-reply@example.com");
        assertThat(m.getAllRecipients()[0].toString()).isEqualTo("alice@example.com");
        Multipart mp = (Multipart) m.getContent();
        assertThat(mp.getContentType()).startsWith("multipart/alternative");
        assertThat(mp.getBodyPart(0).getContent().toString()).isEqualTo("plain ü");
        assertThat(mp.getBodyPart(1).isMimeType("text/html")).isTrue();
    }

    @Test
    void aServerThatIsNotThereFailsWithAReason() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        SmtpMailer mailer = new SmtpMailer(new SmtpMailer.Settings("127.0.0.1", closed, false, false, null, null));
        assertThatThrownBy(() -> mailer.send(new MailMessage("a@example.com", "b@example.com", "s", "t", null)))
                .isInstanceOf(MailException.class).hasMessageContaining("127.0.0.1:" + closed);
    }

    @Test
    void settingsNeverShowThePassword() {
        assertThat(new SmtpMailer.Settings("h", 25, true, false, "u", "secret-pw").toString()).doesNotContain("secret-pw");
    }

    @Test
    void mailsRenderTemplatesWithLinksAndSubjectsFromConfig() throws Exception {
        GatehouseConfig c = config("SECURITY_CONFIRMABLE", "true", "SECURITY_EMAIL_SUBJECT_REGISTER", "Hello there");
        Mails mails = new Mails(c, new Pages(null, Messages.english()), SmtpMailer.fromConfig(c));
        User u = User.builder("bob@example.com", "u1").build();
        mails.welcome(u, "http://x.test/confirm/T0K&EN", Duration.ofDays(2));
        assertThat(smtp.waitForIncomingEmail(5000, 1)).isTrue();
        MimeMessage m = smtp.getReceivedMessages()[0];
        assertThat(m.getSubject()).isEqualTo("Hello there");
        Multipart mp = (Multipart) m.getContent();
        String text = mp.getBodyPart(0).getContent().toString();
        String html = mp.getBodyPart(1).getContent().toString();
        // Plain text is not HTML-escaped (links stay usable); HTML is.
        assertThat(text).contains("http://x.test/confirm/T0K&EN").contains("2 days").contains("bob@example.com");
        assertThat(html).contains("href=\"http://x.test/confirm/T0K&amp;EN\"");
    }

    @Test
    void templatesCanBeOverriddenAndTextOnlyMailsWork(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("security/email"));
        Files.writeString(dir.resolve("security/email/reset_notice.txt"), "Custom notice for {{ email }}");
        GatehouseConfig c = config("SECURITY_EMAIL_HTML", "false");
        Mails mails = new Mails(c, new Pages(dir, Messages.english()), SmtpMailer.fromConfig(c));
        mails.resetNotice(User.builder("carol@example.com", "u2").build());
        assertThat(smtp.waitForIncomingEmail(5000, 1)).isTrue();
        MimeMessage m = smtp.getReceivedMessages()[0];
        assertThat(m.isMimeType("text/plain")).isTrue();
        assertThat(m.getContent().toString()).isEqualTo("Custom notice for carol@example.com");
        assertThat(m.getSubject()).isEqualTo("Your password has been reset");
    }

    @Test
    void aFailingMailerIsReportedAsMailException() {
        GatehouseConfig c = config();
        Mails mails = new Mails(c, new Pages(null, Messages.english()), m -> {
            throw new IllegalStateException("queue full");
        });
        assertThatThrownBy(() -> mails.resetNotice(User.builder("d@example.com", "u3").build()))
                .isInstanceOf(MailException.class).hasMessageContaining("queue full");
    }
}
