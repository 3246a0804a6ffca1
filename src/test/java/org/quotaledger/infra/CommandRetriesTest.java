package org.quotaledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.RetryScheduler;
import org.axonframework.common.lock.DeadlockException;
import org.axonframework.common.lock.LockAcquisitionFailedException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * What a command that failed to take its country's lock comes to: a lock cycle Axon broke is
 * retried; a wait for the lock that ran out (an atomic import held the country for longer than
 * {@code quota-ledger.country-lock-wait}) is not, as each retry would wait as long again, and the
 * caller is told the ledger is busy. {@code CountryHeldByAnAtomicImportIT} shows it end to end.
 */
class CommandRetriesTest {

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final RetryScheduler retries = new CommandGatewayConfiguration().commandRetryScheduler(executor, 5, metrics);

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void aBrokenLockCycleAndAWriteConflictAreRetriedButALockWaitThatRanOutIsNot() {
        assertThat(retried(new DeadlockException("an imminent deadlock was detected"))).isTrue();
        assertThat(retried(new ConcurrencyException("AE was appended to by another node"))).isTrue();
        assertThat(retried(new LockAcquisitionFailedException("Failed to acquire lock for aggregate identifier(AE)")))
                .isFalse();
        assertThat(metrics.get("ledger.command.retries").counter().count()).isEqualTo(2);
    }

    @Test
    void aLockWaitThatRanOutIsAnsweredBusyWithWhenToTryAgain() {
        ResponseEntity<ProblemDetail> answer = new ApiExceptionHandler().unexpected(new CommandExecutionException(
                "the command failed", new LockAcquisitionFailedException("Failed to acquire lock for aggregate identifier(AE)")));

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
        assertThat(answer.getBody().getDetail()).contains("nothing was recorded, try again").doesNotContain("lock");
    }

    @Test
    void anUnexpectedFailureStaysABare500() {
        ResponseEntity<ProblemDetail> answer = new ApiExceptionHandler().unexpected(new IllegalStateException("a bug"));

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(answer.getBody().getDetail()).isEqualTo("the ledger could not complete the request");
    }

    private boolean retried(RuntimeException failure) {
        AtomicInteger dispatched = new AtomicInteger();
        @SuppressWarnings("unchecked")
        List<Class<? extends Throwable>[]> failures = List.<Class<? extends Throwable>[]>of(new Class[] {failure.getClass()});
        return retries.scheduleRetry(GenericCommandMessage.asCommandMessage("record"), failure, failures,
                dispatched::incrementAndGet);
    }
}
