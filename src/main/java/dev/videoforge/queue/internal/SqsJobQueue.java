package dev.videoforge.queue.internal;

import dev.videoforge.queue.JobQueue;
import dev.videoforge.queue.JobStore;
import dev.videoforge.queue.JobState;
import dev.videoforge.queue.JobView;
import dev.videoforge.queue.LeasedJob;
import dev.videoforge.queue.QueueSettings;
import dev.videoforge.queue.QueueStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * {@link JobQueue} on Amazon SQS (or any SQS-compatible server). Each VideoForge queue is a FIFO
 * queue, so a dedupe key makes one message, with a unique message group per job, so jobs do not
 * wait on each other. The lease is SQS's visibility timeout: a heartbeat extends it, a failure
 * holds the message for the backoff, and a job whose workers keep dying is moved to the
 * dead-letter queue by the queue's redrive policy. Failures with a reason are moved there
 * explicitly, with the reason as a message attribute; redrive moves them back.
 *
 * <p>Failures and lease expiries have separate budgets, but SQS counts only receives
 * ({@code ApproximateReceiveCount}). So a failure is recorded by replacing the message: the
 * failing worker holds it for the backoff, then sends a copy carrying the failure count (and
 * the expiries so far) and deletes the original. Every other receive of a message is a lease
 * that ran out with its worker gone: expiries = carried expiries + receives - 1. If the failing
 * process dies during the backoff, the original comes back and that failure counts as an expiry;
 * a job handed back at shutdown ({@link #release}) counts as one too.
 *
 * <p>SQS counts in whole seconds and approximately, and cannot list finished jobs: the admin's
 * history of done jobs is empty on this adapter, and a stale receipt's ack may be accepted by SQS
 * without effect.
 */
public class SqsJobQueue implements JobStore {

	private static final String ATTR_JOB_ID = "jobId";
	private static final String ATTR_ERROR = "lastError";
	private static final String ATTR_ATTEMPTS = "attempts";
	private static final String ATTR_CREATED = "createdAt";
	private static final String ATTR_QUEUE = "queue";
	private static final String ATTR_FAILURES = "failures";
	private static final String ATTR_EXPIRIES = "leaseExpiries";
	/** How long past its backoff a failed job's message stays held, for the copy to be sent. */
	private static final int HOLD_MARGIN_SECONDS = 30;

	private final SqsClient sqs;
	private final QueueSettings settings;
	private final String prefix;
	private final Map<String, String> urls = new ConcurrentHashMap<>();
	private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
		Thread t = new Thread(r, "sqs-retries");
		t.setDaemon(true);
		return t;
	});

	public SqsJobQueue(SqsClient sqs, QueueSettings settings, String prefix) {
		this.sqs = sqs;
		this.settings = settings;
		this.prefix = prefix;
	}

	private String url(String queue) {
		String url = urls.get(queue);
		if (url == null) {
			// The dead-letter queue first: the main queue's redrive policy names it.
			String deadLetter = deadLetterUrl(queue);
			url = urls.computeIfAbsent(queue, q -> ensure(prefix + q + ".fifo", deadLetter));
		}
		return url;
	}

	private String deadLetterUrl(String queue) {
		return urls.computeIfAbsent(queue + "#dlq", q -> ensure(prefix + queue + "-dlq.fifo", null));
	}

	/** The queue's URL, creating it (with its redrive policy) the first time. */
	private String ensure(String name, String deadLetterUrl) {
		try {
			String url = sqs.getQueueUrl(r -> r.queueName(name)).queueUrl();
			if (deadLetterUrl != null) {
				// A queue made by an earlier version keeps its old budget unless it is set again.
				try {
					sqs.setQueueAttributes(r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.REDRIVE_POLICY,
							redrivePolicy(deadLetterUrl))));
				}
				catch (SqsException e) {
					org.slf4j.LoggerFactory.getLogger(SqsJobQueue.class).warn(
							"could not set the redrive policy of {} (maxReceiveCount {}): {}", name,
							settings.maxLeaseExpiries() + 2, e.getMessage());
				}
			}
			return url;
		}
		catch (QueueDoesNotExistException e) {
			Map<QueueAttributeName, String> attributes = new LinkedHashMap<>();
			attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
			attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(seconds(settings.visibilityTimeout())));
			attributes.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, "1209600");
			if (deadLetterUrl != null) {
				attributes.put(QueueAttributeName.REDRIVE_POLICY, redrivePolicy(deadLetterUrl));
			}
			return sqs.createQueue(r -> r.queueName(name).attributes(attributes)).queueUrl();
		}
	}

	/**
	 * A message whose workers died more often than the lease-expiry budget allows reaches a worker
	 * once more so it can be failed with a reason; one more receive and SQS moves it itself.
	 */
	private String redrivePolicy(String deadLetterUrl) {
		String arn = sqs.getQueueAttributes(r -> r.queueUrl(deadLetterUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
				.attributes().get(QueueAttributeName.QUEUE_ARN);
		return "{\"deadLetterTargetArn\":\"" + arn + "\",\"maxReceiveCount\":\"" + (settings.maxLeaseExpiries() + 2) + "\"}";
	}

	private static int seconds(Duration duration) {
		return (int) Math.min(43_200, Math.max(0, (duration.toMillis() + 999) / 1000));
	}

	private static MessageAttributeValue text(String value) {
		return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
	}

	private static String attribute(Message message, String name, String fallback) {
		MessageAttributeValue value = message.messageAttributes().get(name);
		return value == null || value.stringValue() == null ? fallback : value.stringValue();
	}

	@Override
	public Enqueued enqueue(String queue, String payload, String dedupeKey) {
		String jobId = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
		String dedupe = dedupeKey != null ? sanitize(dedupeKey) : jobId;
		var response = sqs.sendMessage(r -> r.queueUrl(url(queue)).messageBody(payload).messageGroupId(jobId)
				.messageDeduplicationId(dedupe)
				.messageAttributes(Map.of(ATTR_JOB_ID, text(jobId), ATTR_CREATED, text(Instant.now().toString()),
						ATTR_QUEUE, text(queue))));
		// SQS answers a duplicate within its deduplication window as a success without delivering it,
		// so whether this call created the job cannot be known here.
		response.messageId();
		return new Enqueued(jobId, true);
	}

	/** SQS deduplication ids: up to 128 of letters, digits and punctuation. */
	private static String sanitize(String key) {
		String clean = key.replaceAll("[^A-Za-z0-9!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~]", "_");
		return clean.length() <= 128 ? clean : clean.substring(0, 128);
	}

	@Override
	public Optional<LeasedJob> lease(String queue, String worker, Duration visibility) {
		var response = sqs.receiveMessage(r -> r.queueUrl(url(queue)).maxNumberOfMessages(1).waitTimeSeconds(0)
				.visibilityTimeout(seconds(visibility))
				.messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)
				.messageAttributeNames("All"));
		if (!response.hasMessages() || response.messages().isEmpty()) {
			return Optional.empty();
		}
		Message message = response.messages().get(0);
		int received = Integer.parseInt(message.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1"));
		int failures = Integer.parseInt(attribute(message, ATTR_FAILURES, "0"));
		int expiries = Integer.parseInt(attribute(message, ATTR_EXPIRIES, "0")) + Math.max(0, received - 1);
		return Optional.of(new LeasedJob(attribute(message, ATTR_JOB_ID, message.messageId()), queue, message.body(),
				failures + expiries + 1, settings.maxAttempts(), worker, message.receiptHandle(), expiries,
				settings.maxLeaseExpiries()));
	}

	@Override
	public boolean heartbeat(LeasedJob job, Duration visibility) {
		return changeVisibility(job, seconds(visibility));
	}

	private boolean changeVisibility(LeasedJob job, int seconds) {
		try {
			sqs.changeMessageVisibility(r -> r.queueUrl(url(job.queue())).receiptHandle(job.leaseToken())
					.visibilityTimeout(seconds));
			return true;
		}
		catch (SqsException e) {
			// ReceiptHandleIsInvalid / MessageNotInflight: the lease was handed on or the job is gone.
			return false;
		}
	}

	@Override
	public boolean ack(LeasedJob job) {
		try {
			sqs.deleteMessage(r -> r.queueUrl(url(job.queue())).receiptHandle(job.leaseToken()));
			return true;
		}
		catch (SqsException e) {
			return false;
		}
	}

	@Override
	public FailOutcome fail(LeasedJob job, String error) {
		if (job.lastChargedAttempt()) {
			return deadLetter(job, error) ? FailOutcome.DEAD : FailOutcome.LOST;
		}
		Duration backoff = backoff(job.chargedAttempt());
		if (!changeVisibility(job, seconds(backoff) + HOLD_MARGIN_SECONDS)) {
			return FailOutcome.LOST;
		}
		retries.schedule(() -> replaceAfterFailure(job, error), backoff.toMillis(), TimeUnit.MILLISECONDS);
		return FailOutcome.RETRY;
	}

	/** The backoff is over: a copy that carries the failure count replaces the message. */
	private void replaceAfterFailure(LeasedJob job, String error) {
		try {
			if (!changeVisibility(job, HOLD_MARGIN_SECONDS)) {
				// Redelivered meanwhile (this hold ran out): it counts as an expiry instead.
				return;
			}
			String message = error == null || error.isEmpty() ? "-" : RetryPolicy.truncate(error);
			// Same message group as the original: the copy cannot be delivered while the original is held.
			sqs.sendMessage(r -> r.queueUrl(url(job.queue())).messageBody(job.payload()).messageGroupId(job.id())
					.messageDeduplicationId(UUID.randomUUID().toString())
					.messageAttributes(Map.of(ATTR_JOB_ID, text(job.id()), ATTR_CREATED, text(Instant.now().toString()),
							ATTR_QUEUE, text(job.queue()), ATTR_ERROR, text(message),
							ATTR_FAILURES, text(String.valueOf(job.chargedAttempt())),
							ATTR_EXPIRIES, text(String.valueOf(job.leaseExpiries())))));
			ack(job);
		}
		catch (RuntimeException e) {
			// The original comes back when its hold runs out (counted as an expiry).
			org.slf4j.LoggerFactory.getLogger(SqsJobQueue.class).warn("job {}: could not requeue it after its failure: {}",
					job.id(), e.getMessage());
		}
	}

	private Duration backoff(int attempt) {
		return RetryPolicy.backoff(settings, attempt);
	}

	/** Visible again at once. SQS still counts the receive: there it counts as a lease expiry. */
	@Override
	public boolean release(LeasedJob job) {
		return changeVisibility(job, 0);
	}

	@Override
	public boolean deadLetter(LeasedJob job, String error) {
		// Only the holder of the lease may move the job: check it (and keep it) before moving.
		if (!changeVisibility(job, seconds(settings.visibilityTimeout()))) {
			return false;
		}
		String message = error == null ? "" : RetryPolicy.truncate(error);
		sqs.sendMessage(r -> r.queueUrl(deadLetterUrl(job.queue())).messageBody(job.payload()).messageGroupId(job.id())
				.messageDeduplicationId(UUID.randomUUID().toString())
				.messageAttributes(Map.of(ATTR_JOB_ID, text(job.id()), ATTR_ERROR, text(message.isEmpty() ? "-" : message),
						ATTR_ATTEMPTS, text(String.valueOf(job.attempt())),
						ATTR_CREATED, text(Instant.now().toString()), ATTR_QUEUE, text(job.queue()))));
		ack(job);
		return true;
	}

	@Override
	public boolean redrive(String jobId) {
		for (String queue : knownQueues()) {
			if (moveBack(queue, jobId) > 0) {
				return true;
			}
		}
		return false;
	}

	@Override
	public int redriveAll(String queue) {
		return moveBack(queue, null);
	}

	/** Moves dead-lettered messages (one job, or all when {@code jobId} is null) back to the queue. */
	private int moveBack(String queue, String jobId) {
		int moved = 0;
		for (Message message : peekDead(queue, Duration.ofSeconds(30))) {
			String id = message.messageId();
			if (jobId != null && !jobId.equals(id) && !jobId.equals(attribute(message, ATTR_JOB_ID, ""))) {
				release(queue, message);
				continue;
			}
			sqs.sendMessage(r -> r.queueUrl(url(queue)).messageBody(message.body()).messageGroupId(UUID.randomUUID().toString())
					.messageDeduplicationId(UUID.randomUUID().toString())
					.messageAttributes(Map.of(ATTR_JOB_ID, text(attribute(message, ATTR_JOB_ID, id)),
							ATTR_CREATED, text(Instant.now().toString()), ATTR_QUEUE, text(queue))));
			sqs.deleteMessage(r -> r.queueUrl(deadLetterUrl(queue)).receiptHandle(message.receiptHandle()));
			moved++;
		}
		return moved;
	}

	/** The queues this process has used, and always the transcode queue (an admin-only process used none). */
	private List<String> knownQueues() {
		java.util.Set<String> queues = new java.util.LinkedHashSet<>();
		queues.add(dev.videoforge.queue.Queues.TRANSCODE);
		urls.keySet().stream().filter(k -> !k.endsWith("#dlq")).forEach(queues::add);
		return List.copyOf(queues);
	}

	/** Makes a dead letter this process held visible again at once. */
	private void release(String queue, Message message) {
		try {
			sqs.changeMessageVisibility(r -> r.queueUrl(deadLetterUrl(queue)).receiptHandle(message.receiptHandle())
					.visibilityTimeout(0));
		}
		catch (SqsException e) {
			// It becomes visible when the hold runs out anyway.
		}
	}

	/**
	 * Reads the dead letters, holding each for {@code hold} so that one pass sees every one of
	 * them once; callers release what they do not consume. Stops when a round brings nothing new.
	 */
	private List<Message> peekDead(String queue, Duration hold) {
		Map<String, Message> seen = new LinkedHashMap<>();
		for (int round = 0; round < 100; round++) {
			var response = sqs.receiveMessage(r -> r.queueUrl(deadLetterUrl(queue)).maxNumberOfMessages(10).waitTimeSeconds(0)
					.visibilityTimeout(seconds(hold)).messageAttributeNames("All"));
			if (!response.hasMessages() || response.messages().isEmpty()) {
				break;
			}
			int before = seen.size();
			// A later read of the same message carries the receipt handle that is valid now.
			response.messages().forEach(m -> seen.put(m.messageId(), m));
			if (seen.size() == before) {
				break;
			}
		}
		return new ArrayList<>(seen.values());
	}

	@Override
	public QueueStats stats(String queue) {
		var main = sqs.getQueueAttributes(r -> r.queueUrl(url(queue)).attributeNames(
				QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
				QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
		var dead = sqs.getQueueAttributes(r -> r.queueUrl(deadLetterUrl(queue))
				.attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes();
		long queued = number(main, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
				+ number(main, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED);
		return new QueueStats(queued, number(main, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE),
				number(dead, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES), 0, 0);
	}

	private static long number(Map<QueueAttributeName, String> attributes, QueueAttributeName name) {
		String value = attributes.get(name);
		return value == null ? 0 : Long.parseLong(value);
	}

	/** Dead letters can be read; SQS cannot list waiting, running or finished jobs. */
	@Override
	public List<JobView> jobs(String queue, JobState state, int limit) {
		if (state != null && state != JobState.DEAD) {
			return List.of();
		}
		List<Message> dead = peekDead(queue, Duration.ofSeconds(30));
		dead.forEach(m -> release(queue, m));
		return dead.stream().limit(limit).map(m -> deadView(queue, m)).toList();
	}

	private JobView deadView(String queue, Message m) {
		Instant created = Instant.parse(attribute(m, ATTR_CREATED, Instant.EPOCH.toString()));
		return new JobView(attribute(m, ATTR_JOB_ID, m.messageId()), queue, m.body(), JobState.DEAD,
				Integer.parseInt(attribute(m, ATTR_ATTEMPTS, "0")), settings.maxAttempts(), attribute(m, ATTR_ERROR, null),
				created, created, null, created, null);
	}

	@Override
	public Optional<JobView> find(String jobId) {
		for (String queue : knownQueues()) {
			for (JobView view : jobs(queue, JobState.DEAD, 10_000)) {
				if (view.id().equals(jobId)) {
					return Optional.of(view);
				}
			}
		}
		return Optional.empty();
	}

	/** SQS forgets deleted messages itself. */
	@Override
	public int purgeDone(String queue, Duration olderThan) {
		return 0;
	}
}
