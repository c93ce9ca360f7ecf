package dev.videoforge.upload.internal;

import dev.videoforge.upload.UploadSettings;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(UploadSettings.class)
class UploadConfiguration {
}
