package org.quotaledger.metrics;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.LoggingErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Counting runs in the command's transaction (a subscribing processor) but must never fail a
 * command: unlike every other handler (see infra's AxonConfiguration), a metrics failure is only logged.
 */
@Configuration(proxyBeanMethods = false)
class MetricsErrorHandling {

    @Bean
    ConfigurerModule metricsFailuresAreLoggedOnly() {
        return configurer -> configurer.eventProcessing()
                .registerListenerInvocationErrorHandler(LedgerMetrics.PROCESSING_GROUP, c -> new LoggingErrorHandler());
    }
}
