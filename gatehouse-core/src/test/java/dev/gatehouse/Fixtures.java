package dev.gatehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Flask-Security fixtures in {@code shared/fixtures/flask-security}, which lives beside the
 * checkout (CI and developers alike). Found by walking up from the working directory, so tests run
 * the same from a module folder, the root or a git worktree.
 */
public final class Fixtures {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private Fixtures() {
    }

    /** The fixture folder; fails the test run clearly when it cannot be found. */
    public static Path dir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/fixtures/flask-security");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared/fixtures/flask-security not found above " + Path.of("").toAbsolutePath());
    }

    /** A fixture file. */
    public static Path file(String name) {
        return dir().resolve(name);
    }

    /** A fixture JSON file, parsed. */
    public static JsonNode json(String name) {
        try {
            return JSON.readTree(Files.readString(file(name)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
