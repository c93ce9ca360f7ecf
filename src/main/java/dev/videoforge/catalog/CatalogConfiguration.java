package dev.videoforge.catalog;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ CatalogSettings.class, CaptionSettings.class })
class CatalogConfiguration {
}
