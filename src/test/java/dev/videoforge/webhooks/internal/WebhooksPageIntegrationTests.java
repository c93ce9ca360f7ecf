package dev.videoforge.webhooks.internal;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.WaitForSelectorState;
import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import dev.videoforge.support.Chromium;
import dev.videoforge.support.Media;
import dev.videoforge.support.RequiresChromium;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.test.context.TestPropertySource;

/**
 * The webhooks page in a real browser (Debian's chromium, Playwright): add an endpoint, see its
 * secret once, watch the deliveries of an upload arrive in its log, redeliver one. It shares the
 * application of {@link WebhookDeliveriesIntegrationTests} (same settings: the receiver is on
 * 127.0.0.1).
 */
@RequiresChromium
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestPropertySource(properties = { "videoforge.webhooks.allow-private-addresses=true",
		"videoforge.webhooks.retry-schedule=1s,2s", "videoforge.webhooks.sweep-interval=200ms" })
class WebhooksPageIntegrationTests extends AppIntegrationTest {

	@RegisterExtension
	static final Chromium CHROMIUM = new Chromium();
	private Receiver receiver;

	@BeforeAll
	void launch() throws Exception {
		receiver = new Receiver();
		PlaywrightAssertions.setDefaultAssertionTimeout(20_000);
	}

	@AfterAll
	void close() {
		if (receiver != null) {
			receiver.close();
		}
	}

	@Test
	void anOwnerAddsAnEndpointSeesItsSecretOnceAndRedeliversFromTheLog() throws Exception {
		String name = "wpage" + Long.toString(System.nanoTime() % 100_000_000L, 36);
		ApiClient api = anonymous().signUp(name, "correct horse battery");
		var tokens = ApiClient.json(anonymous().send("POST", "/api/auth/login", Map.of("username", name, "password", "correct horse battery")));
		BrowserContext context = CHROMIUM.newContext();
		Chromium.signIn(context, tokens);
		Page page = context.newPage();

		// From the account page to the webhooks page.
		page.navigate("http://127.0.0.1:" + port + "/account");
		page.locator("#webhooks-link").click();
		page.waitForURL(url -> url.endsWith("/account/webhooks"));
		assertThat(page.locator("#no-endpoints")).isVisible();

		page.locator("#endpoint-url").fill(receiver.url("/page"));
		assertThat(page.locator("input[name=events]:checked")).hasCount(5);
		page.locator("#add-submit").click();
		assertThat(page.locator("#new-secret")).isVisible();
		assertThat(page.locator("#secret-value")).hasText(Pattern.compile("^whsec_[A-Za-z0-9+/=]{32}$"));
		assertThat(page.locator("[data-endpoint-id]")).hasCount(1);
		assertThat(page.locator("[data-endpoint-id] h3")).hasText(receiver.url("/page"));
		page.locator("#secret-done").click();
		assertThat(page.locator("#new-secret")).isHidden();
		assertThat(page.locator("#secret-value")).isEmpty();

		var upload = api.multipart(Media.real("mp4_minimal_62ms.mp4"), "on the page", "PRIVATE");
		assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
		String videoId = ApiClient.json(upload).path("id").asString();
		api.awaitFinal(videoId, Duration.ofSeconds(90));
		receiver.await(r -> r.path().equals("/page"), 3, Duration.ofSeconds(60));

		// The log shows every delivery, DELIVERED; the page is refreshed by its button until it does.
		Locator delivered = page.locator("tr[data-status=DELIVERED]");
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (delivered.count() < 3 && System.nanoTime() < deadline) {
			page.getByText("Refresh log").click();
			page.waitForTimeout(300);
		}
		assertThat(delivered).hasCount(3);
		Locator ready = page.locator("tr[data-delivery-id]").filter(new Locator.FilterOptions().setHasText("video.ready"));
		assertThat(ready).hasCount(1);
		String webhookId = ready.getAttribute("data-delivery-id");
		assertThat(ready.locator("td[data-label=Video]")).hasText(videoId);
		assertThat(ready.locator("td[data-label=Attempts]")).hasText("1");

		ready.getByText("Redeliver").click();
		List<Receiver.Received> readyRequests = receiver.await(
				r -> r.path().equals("/page") && webhookId.equals(r.header("webhook-id")), 2, Duration.ofSeconds(30));
		assertThat(readyRequests).hasSize(2);
		page.locator("tr[data-delivery-id='" + webhookId + "'] td[data-label=Attempts]")
				.filter(new Locator.FilterOptions().setHasText("2")).waitFor(new Locator.WaitForOptions()
						.setState(WaitForSelectorState.ATTACHED).setTimeout(20_000));
		assertThat(CHROMIUM.pageErrors()).isEmpty();
		context.close();
	}
}
