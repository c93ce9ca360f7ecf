package dev.videoforge.queue;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Amazon SQS settings ({@code videoforge.queue.sqs.*}), used when {@code videoforge.queue.type=sqs}.
 * Credentials come from the AWS SDK's default chain (environment, profile, instance or task role).
 *
 * @param endpoint an SQS-compatible endpoint (ElasticMQ, LocalStack); empty for AWS itself
 * @param region the AWS region
 * @param prefix prepended to queue names: {@code <prefix>transcode.fifo} and {@code <prefix>transcode-dlq.fifo}
 */
@ConfigurationProperties("videoforge.queue.sqs")
public record SqsSettings(URI endpoint, @DefaultValue("us-east-1") String region, @DefaultValue("videoforge-") String prefix) {
}
