package dev.videoforge.web.internal;

import dev.videoforge.catalog.Video;
import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.catalog.VideoStatus;
import dev.videoforge.catalog.Visibility;
import dev.videoforge.storage.BlobStore;
import dev.videoforge.web.WebSettings;
import java.util.Optional;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The web module's settings and the parts its pages and oEmbed share. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebSettings.class)
class WebConfiguration {

	@Bean
	ThumbnailSizes thumbnailSizes(BlobStore blobs) {
		return new ThumbnailSizes(blobs);
	}

	/**
	 * A video anyone may embed: PUBLIC or UNLISTED, and READY (there is something to play). Asked
	 * as nobody, whoever the caller is: an embed is seen by whoever visits the page it is on, so a
	 * PRIVATE video is never embeddable, not even by its owner, and looks exactly like an unknown id.
	 */
	static Optional<Video> embeddable(VideoCatalog catalog, String id) {
		return catalog.find(id).filter(v -> v.visibility() != Visibility.PRIVATE && v.status() == VideoStatus.READY);
	}
}
