package dev.videoforge.queue.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.queue.JobQueue;
import dev.videoforge.queue.JobStore;
import dev.videoforge.queue.LeasedJob;
import dev.videoforge.support.RealParts;
import java.net.URI;
import java.time.Duration;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The queue contract on SQS, against ElasticMQ (an SQS-compatible server from Maven Central)
 * started inside the test on a free loopback port.
 */
class SqsJobQueueIntegrationTests extends JobQueueContract {

	static SQSRestServer server;
	static SqsClient sqs;

	@BeforeAll
	static void startServer() {
		server = RealParts.elasticMq();
		int port = server.waitUntilStarted().localAddress().getPort();
		sqs = SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port)).region(Region.US_EAST_1)
				.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
				.httpClient(UrlConnectionHttpClient.create()).build();
	}

	@AfterAll
	static void stopServer() {
		sqs.close();
		server.stopAndWait();
	}

	@Override
	JobStore queue() {
		return new SqsJobQueue(sqs, SETTINGS, "t" + System.nanoTime() + "-");
	}

	@Override
	Duration shortLease() {
		return Duration.ofSeconds(1);
	}

	@Override
	boolean refusesStaleLeases() {
		return false;
	}

	@Override
	boolean ordersJobs() {
		return false;
	}

	@Test
	void theRedrivePolicyCatchesAJobWhoseWorkersNeverCameBack() throws Exception {
		JobStore queue = queue();
		String name = "abandoned";
		queue.enqueue(name, "p", null);
		// maxLeaseExpiries + 2 receives reach a worker (the last one to fail it with a reason); the next goes to the DLQ.
		for (int i = 0; i < SETTINGS.maxLeaseExpiries() + 2; i++) {
			LeasedJob job = awaitLease(queue, name, shortLease());
			assertThat(job.leaseExpiries()).isEqualTo(i);
		}
		// Once the last lease has run out, the next receive moves it to the dead-letter queue instead.
		long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
		while (queue.stats(name).deadLettered() == 0 && System.nanoTime() < deadline) {
			assertThat(queue.lease(name, "w", shortLease())).as("no worker gets it again").isEmpty();
			Thread.sleep(100);
		}
		assertThat(queue.stats(name).deadLettered()).isEqualTo(1);
	}
}
