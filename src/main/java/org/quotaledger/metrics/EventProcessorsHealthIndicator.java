package org.quotaledger.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component {@code eventProcessors}: Axon's Spring Boot auto-configuration
 * has a health indicator for Axon Server only, none for the event processors. DOWN when a
 * processor is not running or a streaming processor is in error (it then retries with back-off
 * and its projection falls behind); the details give each processor's state and segments.
 */
@Component("eventProcessors")
class EventProcessorsHealthIndicator extends AbstractHealthIndicator {

    private final EventProcessingConfiguration processing;

    EventProcessorsHealthIndicator(EventProcessingConfiguration processing) {
        super("Event processor health check failed");
        this.processing = processing;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean healthy = true;
        Map<String, Object> processors = new LinkedHashMap<>();
        for (Map.Entry<String, EventProcessor> entry : processing.eventProcessors().entrySet()) {
            EventProcessor processor = entry.getValue();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("running", processor.isRunning());
            details.put("error", processor.isError());
            healthy &= processor.isRunning() && !processor.isError();
            if (processor instanceof StreamingEventProcessor streaming) {
                Map<Integer, EventTrackerStatus> segments = streaming.processingStatus();
                details.put("type", "streaming");
                details.put("segmentsClaimed", segments.size());
                details.put("caughtUp", !segments.isEmpty()
                        && segments.values().stream().allMatch(EventTrackerStatus::isCaughtUp));
                details.put("replaying", segments.values().stream().anyMatch(EventTrackerStatus::isReplaying));
                segments.values().stream().filter(EventTrackerStatus::isErrorState).findFirst()
                        .ifPresent(failed -> details.put("lastError", String.valueOf(failed.getError())));
            } else {
                details.put("type", "subscribing");
            }
            details.put("status", processor.isRunning() && !processor.isError() ? "UP" : "DOWN");
            processors.put(entry.getKey(), details);
        }
        (healthy ? builder.up() : builder.down()).withDetail("processors", processors);
    }
}
