package org.quotaledger.metrics;

import org.axonframework.commandhandling.CommandBus;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.EventProcessorLatencyMonitor;
import org.axonframework.micrometer.MessageTimerMonitor;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.NoOpMessageMonitor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The Axon message monitors the ledger runs, in place of axon-micrometer's auto-configured set
 * ({@code axon.metrics.auto-configuration.enabled=false}): command latency on the command bus
 * ({@code commandBus_allTimer_seconds}, by payload type, a histogram through
 * {@link CommandTimerHistogram}) and each streaming processor's lag ({@code eventProcessor_latency},
 * by processor name), which is what the dashboards and alerts in ops/ read.
 *
 * <p>The auto-configured set also counts, times and measures the capacity of every event in every
 * processor, the subscribing ones inside each command's transaction included, and looks its
 * tagged meters up per message: measured on a bulk import, about an eighth of the service's CPU
 * went to those monitors, and the import ran 19 % faster without them (docs/benchmarks.md).
 */
@Configuration(proxyBeanMethods = false)
class AxonMonitors {

    @Bean
    ConfigurerModule axonMessageMonitors(MeterRegistry registry) {
        return configurer -> configurer.configureMessageMonitor(
                configuration -> (componentType, componentName) -> monitorFor(componentType, componentName, registry));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static MessageMonitor<Message<?>> monitorFor(Class<?> componentType, String componentName, MeterRegistry registry) {
        if (CommandBus.class.isAssignableFrom(componentType)) {
            return (MessageMonitor) MessageTimerMonitor.builder().meterNamePrefix("commandBus").meterRegistry(registry)
                    .tagsBuilder(message -> Tags.of("payloadType", message.getPayloadType().getSimpleName()))
                    .build();
        }
        if (StreamingEventProcessor.class.isAssignableFrom(componentType)) {
            return (MessageMonitor) EventProcessorLatencyMonitor.builder().meterNamePrefix("eventProcessor")
                    .meterRegistry(registry).tagsBuilder(message -> Tags.of("processorName", componentName))
                    .build();
        }
        return NoOpMessageMonitor.instance();
    }
}
