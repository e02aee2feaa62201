package dev.gatehouse.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the compatibility fixtures produced by the Python Flask-Security live. */
public final class Fixtures {

    private Fixtures() {
    }

    /** {@code shared/fixtures/flask-security}, found by walking up from the working directory. */
    public static Path flaskSecurityDir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/fixtures/flask-security");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared/fixtures/flask-security not found above " + Path.of("").toAbsolutePath());
    }
}
