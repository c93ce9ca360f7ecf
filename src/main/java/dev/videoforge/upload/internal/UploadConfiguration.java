package dev.videoforge.upload.internal;

import dev.videoforge.upload.UploadSettings;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(UploadSettings.class)
@EnableScheduling
class UploadConfiguration {
}
