package org.quotaledger.infra;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.commandhandling.gateway.IntervalRetryScheduler;
import org.axonframework.commandhandling.gateway.RetryScheduler;
import org.axonframework.common.AxonNonTransientException;
import org.axonframework.common.lock.DeadlockException;
import org.axonframework.common.lock.LockAcquisitionFailedException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The command gateway, with retries: when two writers append to one country's stream at once,
 * the loser gets a ConcurrencyException (a duplicate key, see {@link PostgresDuplicateKeyResolver})
 * and is retried on fresh state, as is the side Axon fails to break a lock cycle. A refused request
 * is never retried, nor one that already waited the whole wait for its country's lock
 * ({@code quota-ledger.country-lock-wait}, a minute): each retry would wait as long again.
 */
@Configuration(proxyBeanMethods = false)
class CommandGatewayConfiguration {

    @Bean(destroyMethod = "shutdown")
    ScheduledExecutorService commandRetryExecutor() {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "command-retry");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Each retry scheduled is counted ({@code ledger_command_retries_total}): how often nodes collide. */
    @Bean
    RetryScheduler commandRetryScheduler(ScheduledExecutorService commandRetryExecutor,
                                         @Value("${quota-ledger.command-retries:5}") int retries,
                                         MeterRegistry metrics) {
        RetryScheduler scheduler = IntervalRetryScheduler.builder()
                .retryExecutor(commandRetryExecutor)
                .retryInterval(20)
                .maxRetryCount(retries)
                .nonTransientFailurePredicate(failure -> failure instanceof RequestRejectedException
                        || failure instanceof AxonNonTransientException
                        || failure instanceof IllegalArgumentException
                        || failure instanceof LockAcquisitionFailedException && !(failure instanceof DeadlockException))
                .build();
        Counter retried = Counter.builder("ledger.command.retries")
                .description("commands dispatched again after a transient failure, such as a write conflict")
                .register(metrics);
        return (command, failure, failures, dispatch) -> {
            boolean scheduled = scheduler.scheduleRetry(command, failure, failures, dispatch);
            if (scheduled) {
                retried.increment();
            }
            return scheduled;
        };
    }

    @Bean
    CommandGateway commandGateway(CommandBus commandBus, RetryScheduler commandRetryScheduler) {
        return DefaultCommandGateway.builder().commandBus(commandBus).retryScheduler(commandRetryScheduler).build();
    }
}
