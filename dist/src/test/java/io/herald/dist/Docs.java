package io.herald.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/** The repository's {@code docs/} folder, for the tests that keep it true to the code. */
final class Docs {

    private Docs() {}

    /** {@code docs/<name>}, which must exist. */
    static Path file(String name) {
        // Surefire runs in the module's directory and sets basedir to it; docs/ is at the repository's root.
        Path doc = Path.of(System.getProperty("basedir", "."))
                .toAbsolutePath()
                .normalize()
                .getParent()
                .resolve("docs")
                .resolve(name);
        assertThat(doc).as("docs/%s", name).exists();
        return doc;
    }
}
