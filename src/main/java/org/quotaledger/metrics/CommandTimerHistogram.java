package org.quotaledger.metrics;

import java.time.Duration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;

/**
 * Command latency as a Prometheus histogram. axon-micrometer times every command on the command
 * bus ({@code commandBus_allTimer_seconds}, tagged by payload type; see {@link AxonMonitors}); this
 * filter makes those timers publish
 * percentile histogram buckets, so {@code histogram_quantile()} works across instances.
 */
@Configuration(proxyBeanMethods = false)
class CommandTimerHistogram {

    @Bean
    MeterFilter commandLatencyHistogram() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getType() == Meter.Type.TIMER && id.getName().startsWith("commandBus")) {
                    return DistributionStatisticConfig.builder().percentilesHistogram(true)
                            .minimumExpectedValue((double) Duration.ofMillis(1).toNanos())
                            .maximumExpectedValue((double) Duration.ofSeconds(10).toNanos())
                            .build().merge(config);
                }
                return config;
            }
        };
    }
}
