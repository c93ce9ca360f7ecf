package dev.videoforge.streaming.internal;

import dev.videoforge.streaming.StreamingSettings;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StreamingSettings.class)
class StreamingConfiguration {
}
