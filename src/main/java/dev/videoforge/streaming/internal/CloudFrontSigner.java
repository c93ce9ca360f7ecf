package dev.videoforge.streaming.internal;

import dev.videoforge.catalog.VideoFiles;
import java.nio.file.Path;
import java.time.Instant;
import software.amazon.awssdk.services.cloudfront.CloudFrontUtilities;
import software.amazon.awssdk.services.cloudfront.url.SignedUrl;

/**
 * CloudFront signed URLs through the AWS SDK's {@link CloudFrontUtilities}: a custom policy whose
 * resource is a wildcard over one video's files, so the one query string ({@code Policy},
 * {@code Signature}, {@code Key-Pair-Id}) opens its playlists and segments at the edge.
 */
class CloudFrontSigner {

	private final CloudFrontUtilities utilities = CloudFrontUtilities.create();
	private final String keyPairId;
	private final Path privateKey;

	CloudFrontSigner(String keyPairId, Path privateKey) {
		this.keyPairId = keyPairId;
		this.privateKey = privateKey;
	}

	/** The CloudFront query string for every URL matching {@code resourcePattern} until {@code expires}. */
	String query(String resourcePattern, Instant expires) {
		String resource = resourcePattern.replace("*", VideoFiles.MASTER);
		SignedUrl signed;
		try {
			signed = utilities.getSignedUrlWithCustomPolicy(request -> {
				try {
					request.resourceUrl(resource).resourceUrlPattern(resourcePattern).privateKey(privateKey)
							.keyPairId(keyPairId).expirationDate(expires);
				}
				catch (Exception e) {
					throw new IllegalStateException("cannot read the CloudFront private key " + privateKey, e);
				}
			});
		}
		catch (IllegalStateException e) {
			throw e;
		}
		String url = signed.url();
		return url.substring(url.indexOf('?') + 1);
	}
}
