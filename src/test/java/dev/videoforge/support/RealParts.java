package dev.videoforge.support;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * The real parts the suite runs on (PostgreSQL, chromium, S3Proxy, ElasticMQ), required in one
 * way everywhere. In CI ({@code CI} set in the environment, as every CI service does, and as
 * {@code .ci/run} does) a missing part fails the test with a sentence that names it and says how
 * to get it. Outside CI a part that is simply not there (no PostgreSQL listening, no chromium)
 * skips the tests that need it, loudly: a banner on stderr and the reason in the report, which
 * {@code ./videoforge test} lists at its end. A part that is there but wrong (PostgreSQL refusing
 * our user, the database missing) always fails: it is a broken set-up, not an absent one.
 */
public final class RealParts {

	/** Longest wait for an in-process server (S3Proxy, ElasticMQ) to report that it listens. */
	static final Duration START_TIMEOUT = Duration.ofSeconds(30);

	private RealParts() {
	}

	/** Whether this is a CI run: {@code CI} is set to anything but {@code false} or {@code 0}. */
	public static boolean ci() {
		String ci = System.getenv("CI");
		return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false") && !ci.equals("0");
	}

	/**
	 * Passes when {@code problem} is null. Otherwise fails (in CI) or skips (outside CI) with
	 * {@code problem}, a sentence that names the part and says how to get it.
	 */
	public static void require(String problem) {
		if (problem == null) {
			return;
		}
		if (ci()) {
			throw new AssertionError("CI needs every real part: " + problem);
		}
		banner(problem);
		throw new TestAbortedException("SKIPPED: " + problem);
	}

	private static void banner(String problem) {
		String bar = "!".repeat(100);
		System.err.println("\n" + bar + "\n!!! SKIPPED (outside CI; with CI=true this fails): " + problem + "\n" + bar + "\n");
	}

	/** Fails, in CI and outside it, with {@code problem}: a part that is there but does not work. */
	public static AssertionError broken(String problem) {
		return new AssertionError(problem);
	}

	/** What is wrong with a real part, as a sentence with the fix; {@code absent} when it is not there at all. */
	public record Problem(boolean absent, String sentence) {
	}

	/** Fails (anywhere, when the part is broken; in CI, when it is absent) or skips (absent, outside CI). */
	public static void require(Problem problem) {
		if (problem == null) {
			return;
		}
		if (!problem.absent()) {
			throw broken(problem.sentence());
		}
		require(problem.sentence());
	}

	/** The browser the Playwright tests drive; null when it is there. */
	public static Problem chromiumProblem(Path chromium) {
		return Files.isExecutable(chromium) ? null : new Problem(true, "chromium is missing at " + chromium
				+ ": the browser tests (web pages) cannot run; install it with 'sudo apt-get install chromium' "
				+ "(./videoforge test installs it when run as root)");
	}

	/**
	 * A real part a whole test class needs, checked before anything of the class runs. Outside CI
	 * an absent part disables the class (a condition, not an abort in {@code @BeforeAll}: surefire
	 * reports a disabled class as a skipped test with the reason, but an aborted one as no test at
	 * all). Otherwise {@link #require(Problem)} fails the class.
	 */
	public abstract static class Requirement implements ExecutionCondition, BeforeAllCallback {

		/** What is wrong with the part; null when it is there. */
		protected abstract Problem problem();

		@Override
		public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
			if (context.getTestMethod().isPresent()) {
				return ConditionEvaluationResult.enabled("checked for the class");
			}
			Problem problem = problem();
			if (problem != null && problem.absent() && !ci()) {
				banner(problem.sentence());
				return ConditionEvaluationResult.disabled("SKIPPED: " + problem.sentence());
			}
			return ConditionEvaluationResult.enabled("present, or CI");
		}

		@Override
		public void beforeAll(ExtensionContext context) {
			require(problem());
		}
	}

	/**
	 * An S3Proxy (S3-compatible, in memory, from the test dependency {@code org.gaul:s3proxy}) on a
	 * free loopback port with the credentials {@code access} / {@code secret-key}, started; fails
	 * naming it when it does not start. Stop it with {@link S3Proxy#stop()}.
	 */
	public static S3Proxy s3Proxy() {
		try {
			S3Proxy server = S3Proxy.builder().blobStore(new TransientNio2BlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
					.awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "access", "secret-key")
					// As a bucket set up for delivery by redirect and direct uploads is (docs/DEPLOY.md):
					// browsers may GET its objects and PUT parts to presigned URLs, and read the ETag.
					.corsRules(new org.gaul.s3proxy.CrossOriginResourceSharing(java.util.List.of("*"),
							java.util.List.of("GET", "HEAD", "PUT"), java.util.List.of("*"),
							java.util.List.of("Content-Length", "Content-Range", "ETag"), "false"))
					.build();
			server.start();
			long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
			while (!server.getState().equals("STARTED")) {
				if (server.getState().equals("FAILED") || System.nanoTime() > deadline) {
					throw new IllegalStateException("state " + server.getState() + " after " + START_TIMEOUT.toSeconds() + " s");
				}
				Thread.sleep(20);
			}
			return server;
		}
		catch (Exception e) {
			throw broken("S3Proxy (the S3-compatible server the S3 tests start in-process, test dependency org.gaul:s3proxy) "
					+ "did not start: " + e + ". It needs a free loopback port and its jar from Maven Central "
					+ "('./mvnw -B dependency:go-offline' fetches it)", e);
		}
	}

	/** A client of {@link #s3Proxy()}'s store, with its credentials, path-style. */
	public static software.amazon.awssdk.services.s3.S3Client s3Client(S3Proxy server) {
		return software.amazon.awssdk.services.s3.S3Client.builder()
				.endpointOverride(URI.create("http://127.0.0.1:" + server.getPort()))
				.region(software.amazon.awssdk.regions.Region.US_EAST_1).forcePathStyle(true)
				.credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider
						.create(software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("access", "secret-key")))
				.build();
	}

	/**
	 * Settings of an application storing in {@link #s3Proxy()}: a data folder of its own, the store's
	 * endpoint, and its credentials where the AWS SDK's default chain finds them (system properties).
	 */
	public static void s3Settings(org.springframework.test.context.DynamicPropertyRegistry registry, S3Proxy server)
			throws java.io.IOException {
		Path data = Files.createTempDirectory("videoforge-s3-");
		registry.add("videoforge.data-dir", data::toString);
		registry.add("videoforge.storage.s3.endpoint", () -> "http://127.0.0.1:" + server.getPort());
		System.setProperty("aws.accessKeyId", "access");
		System.setProperty("aws.secretAccessKey", "secret-key");
	}

	/**
	 * An ElasticMQ (SQS-compatible, in memory, from the test dependency
	 * {@code org.elasticmq:elasticmq-rest-sqs}) on a free loopback port, started; fails naming it
	 * when it does not start. Its port: {@code localAddress().getPort()} of
	 * {@link SQSRestServer#waitUntilStarted()}. Stop it with {@link SQSRestServer#stopAndWait()}.
	 */
	public static SQSRestServer elasticMq() {
		try {
			SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
			var started = java.util.concurrent.CompletableFuture.supplyAsync(server::waitUntilStarted);
			started.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			return server;
		}
		catch (Exception e) {
			throw broken("ElasticMQ (the SQS-compatible server the SQS tests start in-process, test dependency "
					+ "org.elasticmq:elasticmq-rest-sqs) did not start: " + e + ". It needs a free loopback port and its jar "
					+ "from Maven Central ('./mvnw -B dependency:go-offline' fetches it)", e);
		}
	}

	private static AssertionError broken(String problem, Throwable cause) {
		return new AssertionError(problem, cause);
	}
}
