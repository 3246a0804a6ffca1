package org.quotaledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Only the coordinator's wait for room in its work packages and its idle poll are shortened. */
class PromptCoordinatorExecutorTest {

    private final PromptCoordinatorExecutor executor = new PromptCoordinatorExecutor("balances", Duration.ofMillis(5),
            Duration.ofMillis(20));

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void theFullBufferRetryAndTheIdlePollAreShortenedAndEveryOtherDelayKept() {
        assertThat(executor.prompter(100, TimeUnit.MILLISECONDS)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(5));
        assertThat(executor.prompter(500, TimeUnit.MILLISECONDS)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(20));
        assertThat(executor.prompter(1_000, TimeUnit.MILLISECONDS)).as("the first error back-off")
                .isEqualTo(TimeUnit.MILLISECONDS.toNanos(1_000));
        assertThat(executor.prompter(100_000, TimeUnit.MICROSECONDS)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(5));
        assertThat(executor.prompter(0, TimeUnit.MILLISECONDS)).isZero();
        assertThat(executor.prompter(99, TimeUnit.MILLISECONDS)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(99));
        assertThat(executor.prompter(5, TimeUnit.SECONDS)).isEqualTo(TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void aScheduledRetryIsDueAfterTheShortenedDelay() {
        ScheduledFuture<?> retry = executor.schedule(() -> { }, 100, TimeUnit.MILLISECONDS);
        ScheduledFuture<?> claim = executor.schedule(() -> { }, 5, TimeUnit.SECONDS);

        assertThat(retry.getDelay(TimeUnit.MILLISECONDS)).isLessThanOrEqualTo(5);
        assertThat(claim.getDelay(TimeUnit.MILLISECONDS)).isGreaterThan(4_000);
    }

    @Test
    void aWaitConfiguredLongerThanAxonsIsLeftAsAxonAsked() {
        PromptCoordinatorExecutor patient = new PromptCoordinatorExecutor("balances", Duration.ofMillis(250),
                Duration.ofMillis(750));
        try {
            assertThat(patient.prompter(100, TimeUnit.MILLISECONDS)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
            assertThat(patient.prompter(500, TimeUnit.MILLISECONDS)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
        } finally {
            patient.shutdownNow();
        }
    }
}
