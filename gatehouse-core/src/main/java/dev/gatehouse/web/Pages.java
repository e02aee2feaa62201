package dev.gatehouse.web;

import dev.gatehouse.i18n.Messages;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.loader.DelegatingLoader;
import io.pebbletemplates.pebble.loader.FileLoader;
import io.pebbletemplates.pebble.loader.Loader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTML pages and mail bodies, rendered with Pebble. Templates carry Flask-Security's names
 * ({@code security/login_user.html}, {@code security/email/welcome.txt}); an application
 * overrides one by putting a file of the same name in its templates folder or under
 * {@code gatehouse/templates/} on its class path. HTML is autoescaped; {@code .txt} templates
 * (plain-text mail) are not, since there is no markup to protect and escaping would garble links.
 */
public final class Pages {
    private final PebbleEngine html;
    private final PebbleEngine text;
    private final Messages messages;

    /**
     * @param overrideDir a folder whose templates win over the built-in ones, or null
     * @param messages    texts for the templates ({@code msg.get("KEY")})
     */
    public Pages(Path overrideDir, Messages messages) {
        this.html = engine(overrideDir, true);
        this.text = engine(overrideDir, false);
        this.messages = messages;
    }

    private static PebbleEngine engine(Path overrideDir, boolean autoEscape) {
        List<Loader<?>> loaders = new ArrayList<>();
        if (overrideDir != null) {
            loaders.add(new FileLoader(overrideDir.toString()));
        }
        ClasspathLoader app = new ClasspathLoader();
        app.setPrefix("gatehouse/templates");
        loaders.add(app);
        ClasspathLoader builtIn = new ClasspathLoader(Pages.class.getClassLoader());
        builtIn.setPrefix("dev/gatehouse/templates");
        loaders.add(builtIn);
        // Plain text keeps every newline as written (a tag line becomes a blank line); HTML
        // drops the newline after a tag, which only tidies the markup.
        return new PebbleEngine.Builder().loader(new DelegatingLoader(loaders)).autoEscaping(autoEscape)
                .newLineTrimming(autoEscape).strictVariables(false).build();
    }

    /**
     * The model every form page starts from: {@code title}, the form's {@code action}, the
     * {@code csrf_token}, {@code field_errors}, the form-level {@code form_errors} and the
     * {@code flashes} waiting for this browser (which are taken).
     */
    public Map<String, Object> formModel(Exchange ex, String title, String action, FieldErrors errors) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", title);
        model.put("action", action);
        model.put("csrf_token", ex.gatehouse().csrf().token(ex));
        model.put("field_errors", errors.byField());
        model.put("form_errors", errors.byField().getOrDefault("", List.of()));
        model.put("flashes", Flashes.take(ex));
        return model;
    }

    /** Renders a template to a {@code text/html} response. */
    public HttpResponse render(int status, String template, Map<String, Object> model) {
        return HttpResponse.of(status, "text/html; charset=utf-8", renderToString(template, model));
    }

    /** Renders a template to text: HTML-escaped unless its name ends in {@code .txt}. */
    public String renderToString(String template, Map<String, Object> model) {
        PebbleTemplate t = (template.endsWith(".txt") ? text : html).getTemplate(template);
        Map<String, Object> ctx = new HashMap<>(model);
        ctx.put("msg", messages);
        StringWriter out = new StringWriter();
        try {
            t.evaluate(out, ctx);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
