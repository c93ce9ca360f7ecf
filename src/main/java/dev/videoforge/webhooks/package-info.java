/**
 * Webhooks: an account's endpoints, deliveries of its videos' events signed per Standard Webhooks
 * and sent as jobs with retries for over a day, the delivery log, and the outbound-address guard.
 */
package dev.videoforge.webhooks;
