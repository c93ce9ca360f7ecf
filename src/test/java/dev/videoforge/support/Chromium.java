package dev.videoforge.support;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import tools.jackson.databind.JsonNode;

/**
 * Debian's chromium ({@link RequiresChromium#CHROMIUM}) driven by Playwright for one browser test
 * class: launched before its tests, closed after them. Register it on a class that is also
 * {@link RequiresChromium} (which fails or skips the class first when chromium is missing):
 *
 * <pre>{@code @RegisterExtension static final Chromium CHROMIUM = new Chromium();}</pre>
 *
 * Every page of a context it opens reports its uncaught script errors, and what the
 * Content-Security-Policy blocked, to {@link #pageErrors()}, emptied before each test.
 */
public final class Chromium implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

	private final List<String> pageErrors = new CopyOnWriteArrayList<>();
	private final List<String> arguments;
	private Playwright playwright;
	private Browser browser;

	/** Chromium with these command-line arguments besides Playwright's own. */
	public Chromium(String... arguments) {
		this.arguments = List.of(arguments);
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
		browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(RequiresChromium.CHROMIUM)
				.setHeadless(true).setArgs(arguments));
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (playwright != null) {
			playwright.close();
		}
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		pageErrors.clear();
	}

	public Browser browser() {
		return browser;
	}

	/** Uncaught script errors and policy violations of this test's pages, each with its page's address. */
	public List<String> pageErrors() {
		return pageErrors;
	}

	/** A desktop-sized context (1280x800) whose pages report their errors. */
	public BrowserContext newContext() {
		return newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
	}

	/** A context of these options whose pages report their errors. */
	public BrowserContext newContext(Browser.NewContextOptions options) {
		BrowserContext context = browser.newContext(options);
		context.onPage(p -> {
			p.onPageError(error -> pageErrors.add(p.url() + ": " + error));
			// Whatever the Content-Security-Policy blocks (an inline style, a script from elsewhere) is an error too.
			p.onConsoleMessage(message -> {
				if (message.text().contains("Content Security Policy") || message.text().contains("frame-ancestors")) {
					pageErrors.add(p.url() + ": " + message.text());
				}
			});
		});
		return context;
	}

	/**
	 * Signs this context's pages in as the pages themselves do after a login: the tokens of
	 * {@code POST /api/auth/login} in localStorage, put there once per tab (a later sign-out sticks).
	 */
	public static BrowserContext signIn(BrowserContext context, JsonNode tokens) {
		context.addInitScript("if (location.protocol === 'http:' && !sessionStorage.getItem('seeded')) { "
				+ "sessionStorage.setItem('seeded', '1'); localStorage.setItem('vf.accessToken', '"
				+ tokens.path("accessToken").asString() + "'); localStorage.setItem('vf.refreshToken', '"
				+ tokens.path("refreshToken").asString() + "'); }");
		return context;
	}

	/**
	 * Opens a page and waits until it is usable: the element is there (the pages mark a finished
	 * first load with aria-busy=false); says how long that took.
	 */
	public static void open(Page page, String url, String ready) {
		long start = System.nanoTime();
		page.navigate(url);
		page.locator(ready).first().waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.ATTACHED));
		System.out.printf(Locale.ROOT, "page %s usable in %d ms%n", url, (System.nanoTime() - start) / 1_000_000);
	}
}
