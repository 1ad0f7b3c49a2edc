package dev.bulwark.inventory.web;

import dev.bulwark.inventory.config.InventoryProperties;
import dev.bulwark.securitykit.boot.web.BodySizeLimitFilter;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerExceptionResolver;

@Configuration(proxyBeanMethods = false)
class WebConfig {

    @Bean
    FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimitFilter(InventoryProperties properties,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
        // before Spring Security: an oversized body is refused before anything else looks at it
        return BodySizeLimitFilter.registration(properties.maxBodySize().toBytes(), resolver);
    }
}
