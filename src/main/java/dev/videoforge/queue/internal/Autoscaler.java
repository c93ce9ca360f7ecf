package dev.videoforge.queue.internal;

import java.time.Duration;

/**
 * How many transcodes this process should run at once: enough for the backlog, between a
 * minimum and a maximum. Up at once when work waits; down one step at a time, and only after
 * the backlog has stayed low for the cooldown, so a short lull does not thrash the pool.
 */
public final class Autoscaler {

	private final int min;
	private final int max;
	private final long cooldownNanos;
	private int desired;
	private long lastChange;

	public Autoscaler(int min, int max, Duration cooldown, long nowNanos) {
		this.min = Math.max(1, min);
		this.max = Math.max(this.min, max);
		this.cooldownNanos = cooldown.toNanos();
		this.desired = this.min;
		this.lastChange = nowNanos;
	}

	/**
	 * @param backlog jobs waiting in the queue
	 * @param busy transcodes this process is running now
	 */
	public synchronized int update(long backlog, int busy, long nowNanos) {
		long wanted = Math.max(min, Math.min(max, busy + backlog));
		if (wanted > desired) {
			desired = (int) wanted;
			lastChange = nowNanos;
		}
		else if (wanted < desired) {
			if (nowNanos - lastChange >= cooldownNanos) {
				desired--;
				lastChange = nowNanos;
			}
		}
		else {
			// The backlog still justifies this size: the cooldown starts again.
			lastChange = nowNanos;
		}
		return desired;
	}

	public synchronized int desired() {
		return desired;
	}

	public int max() {
		return max;
	}
}
