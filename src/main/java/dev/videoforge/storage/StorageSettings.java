package dev.videoforge.storage;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Storage settings ({@code videoforge.storage.*}).
 *
 * @param type which adapter: {@code local} (default)
 * @param localRoot folder of the local adapter; defaults to {@code <data-dir>/blobs}
 */
@ConfigurationProperties("videoforge.storage")
public record StorageSettings(String type, Path localRoot) {
}
