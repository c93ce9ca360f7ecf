package dev.videoforge.queue;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Job queue settings ({@code videoforge.queue.*}).
 *
 * @param type which adapter: {@code jdbc} (the database, default) or {@code sqs}
 * @param visibilityTimeout how long a lease lasts without a heartbeat before the job is redelivered
 * @param maxAttempts failed attempts (the worker reported an error) before a job is dead-lettered
 * @param backoffBase wait before the first retry; doubles with each further attempt (plus jitter)
 * @param backoffMax longest wait between attempts
 * @param pollInterval how often an idle worker looks for work
 * @param retention how long finished jobs are kept for the admin's history
 * @param maxLeaseExpiries redeliveries after a worker died holding the job (its lease ran out)
 *        before the job is dead-lettered; apart from {@code maxAttempts}, as a processor that
 *        dies is not the file's fault
 * @param maxInFlightPerAccount most jobs of one account running at once across the fleet (0: no
 *        cap); whatever it is, a free worker takes the oldest job of the account with the fewest
 *        jobs running, so one account's backlog never holds every worker while others wait
 *        (database queue; SQS takes jobs in its own order)
 * @param fleetReportInterval how often each worker pool reports itself to the fleet registry
 *        ({@link Fleet}; what the admin figures of every process are made of)
 * @param fleetTimeout a pool that has not reported for this long is no longer counted (its process
 *        died without leaving); several report intervals
 */
@ConfigurationProperties("videoforge.queue")
public record QueueSettings(@DefaultValue("jdbc") String type, @DefaultValue("30s") Duration visibilityTimeout, @DefaultValue("3") int maxAttempts,
		@DefaultValue("2s") Duration backoffBase, @DefaultValue("5m") Duration backoffMax,
		@DefaultValue("1s") Duration pollInterval, @DefaultValue("7d") Duration retention,
		@DefaultValue("5") int maxLeaseExpiries, @DefaultValue("0") int maxInFlightPerAccount,
		@DefaultValue("5s") Duration fleetReportInterval, @DefaultValue("20s") Duration fleetTimeout) {
}
