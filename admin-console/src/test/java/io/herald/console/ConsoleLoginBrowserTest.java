package io.herald.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console of a broker with security on, in headless Chromium: it opens on the login form, a wrong password is
 * refused in the form, the right one shows the pages with the user and role in the header, the Security page manages
 * users and ACLs, and logging out returns to the form. Screenshots {@code login.png} and {@code security.png}.
 *
 * <p>Not a {@link BrowserTestBase}: that one's broker has security off.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConsoleLoginBrowserTest {

    @TempDir
    static Path dir;

    static ConsoleBroker console;
    static BrowserSupport browsers;

    BrowserContext context;
    Page page;

    @BeforeAll
    static void start() throws Exception {
        browsers = BrowserSupport.start();
        console = ConsoleBroker.start(
                dir,
                Map.of(
                        "authorizer.class.name", "io.herald.security.acl.AclAuthorizer",
                        "super.users", "User:ANONYMOUS;User:ops"));
        PlaywrightAssertions.setDefaultAssertionTimeout(15_000);
        try (Admin kafka = Admin.create(console.clientProperties())) {
            kafka.alterUserScramCredentials(List.of(
                            new UserScramCredentialUpsertion(
                                    "ops", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), "ops-secret"),
                            new UserScramCredentialUpsertion(
                                    "watcher",
                                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                                    "watcher-secret")))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            kafka.createAcls(List.of(new AclBinding(
                            new ResourcePattern(ResourceType.TOPIC, "*", PatternType.LITERAL),
                            new AccessControlEntry(
                                    "User:watcher", "*", AclOperation.DESCRIBE, AclPermissionType.ALLOW))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() {
        if (console != null) {
            console.close();
        }
        if (browsers != null) {
            browsers.close();
        }
    }

    @BeforeEach
    void openPage() {
        context = browsers.browser().newContext(new Browser.NewContextOptions().setViewportSize(1280, 860));
        page = context.newPage();
        page.setDefaultTimeout(15_000);
        page.onPageError(error -> System.out.println("page error: " + error));
    }

    @AfterEach
    void closePage() {
        context.close();
    }

    @Test
    void anOperatorLogsInAfterAWrongPasswordManagesSecurityAndLogsOut() throws Exception {
        page.navigate(console.base() + "/#/topics");
        assertThat(page.locator("h1")).hasText("Log in");
        assertThat(page.locator("header nav")).isHidden();

        page.fill("#login [name=user]", "ops");
        page.fill("#login [name=password]", "wrong");
        page.click("#login-button");
        assertThat(page.locator("#login .form-error")).hasText("Wrong user name or password.");
        page.fill("#login [name=password]", "ops-secret");
        screenshot("login");
        page.click("#login-button");

        assertThat(page.locator("h1")).hasText("Topics");
        assertThat(page.locator("#user")).hasText("ops (admin)");
        page.fill("#create-topic [name=name]", "from-the-browser");
        page.click("#create-topic-button");
        assertThat(page.locator("h1")).hasText("Topic from-the-browser");

        page.click("header nav a[data-nav=security]");
        assertThat(page.locator("#acls-enforced")).hasText("enforced");
        page.fill("#add-user [name=name]", "alice");
        page.fill("#add-user [name=password]", "s3cret");
        page.click("#add-user-button");
        assertThat(page.locator("#users tr[data-user='alice']")).containsText("SCRAM-SHA-512");
        page.fill("#add-acl [name=principal]", "User:alice");
        page.fill("#add-acl [name=resourceName]", "shop-orders");
        page.click("#add-acl-button");
        assertThat(page.locator("#acls")).containsText("shop-orders");
        screenshot("security");
        page.fill("#add-acl [name=principal]", "alice");
        page.fill("#add-acl [name=resourceName]", "x");
        page.click("#add-acl-button");
        assertThat(page.locator("#add-acl .form-error")).containsText("User:alice");
        page.click("#acls tr:has-text('shop-orders') .remove-acl");
        assertThat(page.locator("#acls")).not().containsText("shop-orders");
        assertThat(page.locator("#acls")).containsText("User:watcher");

        page.click("#logout");
        assertThat(page.locator("h1")).hasText("Log in");
        page.navigate(console.base() + "/#/cluster");
        assertThat(page.locator("h1")).hasText("Log in");
    }

    @Test
    void aViewerSeesThePagesWithoutTheControlsItMayNotUse() {
        page.navigate(console.base() + "/#/topics");
        page.fill("#login [name=user]", "watcher");
        page.fill("#login [name=password]", "watcher-secret");
        page.click("#login-button");
        assertThat(page.locator("#user")).hasText("watcher (viewer)");
        assertThat(page.locator("h1")).hasText("Topics");
        assertThat(page.locator("#create-topic")).isHidden();
        assertThat(page.locator("header nav a[data-nav=security]")).isHidden();
        assertThat(page.locator("header nav a[data-nav=jms]")).isVisible();
    }

    private void screenshot(String name) throws Exception {
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(BrowserSupport.screenshots().resolve(name + ".png"))
                .setFullPage(true));
    }
}
