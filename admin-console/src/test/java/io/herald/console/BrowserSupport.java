package io.herald.console;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Chromium driven by Playwright, entirely from the machine: Debian's {@code chromium} (installed by {@code
 * .ci/install-browser-test-deps}) and the machine's Node.js, which runs the Playwright driver that Maven fetched as a
 * jar. Playwright never downloads a browser ({@code PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD}).
 *
 * <p>Without Chromium or Node.js the browser tests are skipped with a message saying what to install, except on CI
 * ({@code CI=true}), where they fail: CI's script installs both, so their absence is a broken setup.
 *
 * <p>Thread-safety: one test class's thread.
 */
final class BrowserSupport implements AutoCloseable {

    /** Flags for a root user on a machine without a network beyond loopback: no sandbox, no background traffic. */
    private static final List<String> CHROMIUM_ARGS = List.of(
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage");

    private final Playwright playwright;
    private final Browser browser;

    private BrowserSupport(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    /** Starts Playwright and Chromium, or skips (fails on CI) the calling tests when either is missing. */
    static BrowserSupport start() {
        Optional<Path> chromium = Optional.ofNullable(System.getenv("HERALD_CHROMIUM"))
                .map(Path::of)
                .or(() -> onPath("chromium"))
                .or(() -> onPath("chromium-browser"));
        Optional<Path> node = Optional.ofNullable(System.getenv("HERALD_NODE"))
                .map(Path::of)
                .or(() -> onPath("node"))
                .filter(BrowserSupport::isNode20OrNewer);
        String missing = chromium.isEmpty()
                ? "Chromium (Debian package chromium)"
                : node.isEmpty() ? "Node.js 20 or newer (node)" : null;
        if (missing != null) {
            String message = "The console's browser tests need " + missing + "; run .ci/install-browser-test-deps";
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(message);
            }
            Assumptions.abort(message);
        }
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of(
                        "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD",
                        "1",
                        "PLAYWRIGHT_NODEJS_PATH",
                        node.get().toString())));
        try {
            Browser browser = playwright
                    .chromium()
                    .launch(new BrowserType.LaunchOptions()
                            .setExecutablePath(chromium.get())
                            .setHeadless(true)
                            .setArgs(CHROMIUM_ARGS)
                            .setTimeout(60_000));
            return new BrowserSupport(playwright, browser);
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    Browser browser() {
        return browser;
    }

    /** The directory of the screenshots, {@code target/console-screenshots} (kept as build artifacts). */
    static Path screenshots() throws IOException {
        Path dir = Path.of(System.getProperty("basedir", ".")).resolve("target/console-screenshots");
        Files.createDirectories(dir);
        return dir;
    }

    /** Whether {@code node} runs and is version 20 or newer, which Playwright's driver needs. */
    private static boolean isNode20OrNewer(Path node) {
        try {
            Process p = new ProcessBuilder(node.toString(), "--version")
                    .redirectErrorStream(true)
                    .start();
            String version =
                    new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                return false;
            }
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("v(\\d+)\\.").matcher(version);
            return m.lookingAt() && Integer.parseInt(m.group(1)) >= 20;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(File.pathSeparator))
                .map(dir -> Path.of(dir, program))
                .filter(Files::isExecutable)
                .findFirst();
    }

    @Override
    public void close() {
        try {
            browser.close();
        } finally {
            playwright.close();
        }
    }
}
