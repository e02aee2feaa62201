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
 * The HTML pages, rendered with Pebble (autoescaping on). Templates carry Flask-Security's names
 * ({@code security/login_user.html}); an application overrides one by putting a file of the same
 * name in its templates folder or under {@code gatehouse/templates/} on its class path.
 */
public final class Pages {
    private final PebbleEngine engine;
    private final Messages messages;

    /**
     * @param overrideDir a folder whose templates win over the built-in ones, or null
     * @param messages    texts for the templates ({@code msg.get("KEY")})
     */
    public Pages(Path overrideDir, Messages messages) {
        List<Loader<?>> loaders = new ArrayList<>();
        if (overrideDir != null) {
            FileLoader files = new FileLoader(overrideDir.toString());
            loaders.add(files);
        }
        ClasspathLoader app = new ClasspathLoader();
        app.setPrefix("gatehouse/templates");
        loaders.add(app);
        ClasspathLoader builtIn = new ClasspathLoader(Pages.class.getClassLoader());
        builtIn.setPrefix("dev/gatehouse/templates");
        loaders.add(builtIn);
        this.engine = new PebbleEngine.Builder().loader(new DelegatingLoader(loaders)).autoEscaping(true)
                .strictVariables(false).build();
        this.messages = messages;
    }

    /** Renders a template to a {@code text/html} response. */
    public HttpResponse render(int status, String template, Map<String, Object> model) {
        PebbleTemplate t = engine.getTemplate(template);
        Map<String, Object> ctx = new HashMap<>(model);
        ctx.put("msg", messages);
        StringWriter out = new StringWriter();
        try {
            t.evaluate(out, ctx);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HttpResponse.of(status, "text/html; charset=utf-8", out.toString());
    }
}
