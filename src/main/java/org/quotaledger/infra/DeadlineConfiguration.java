package org.quotaledger.infra;

import java.time.Duration;

import org.axonframework.deadline.dbscheduler.DbSchedulerBinaryDeadlineDetails;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManager;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;

/**
 * Persisted deadlines: Axon's DbSchedulerDeadlineManager (auto-configured once db-scheduler's
 * starter is present) keeps them in the {@code scheduled_tasks} table, so a deadline due while the
 * service is down runs after it is back, and with several nodes one of them picks each.
 */
@Configuration(proxyBeanMethods = false)
class DeadlineConfiguration {

    /**
     * Axon's deadline task, retried soon after a failure. A deadline fails when a node's cached
     * aggregate was stale (another node changed it); the failure evicts the copy, and the retry
     * decides on fresh state. db-scheduler's default would wait five minutes before retrying.
     * Replaces the auto-configured task of the same qualifier.
     */
    @Bean
    @Qualifier("deadlineDetailsTask")
    Task<DbSchedulerBinaryDeadlineDetails> deadlineDetailsTask(ApplicationContext context) {
        Task<DbSchedulerBinaryDeadlineDetails> axonTask =
                DbSchedulerDeadlineManager.binaryTask(() -> context.getBean(DbSchedulerDeadlineManager.class));
        return Tasks.oneTime(axonTask.getName(), axonTask.getDataClass())
                .onFailure(new FailureHandler.ExponentialBackoffFailureHandler<>(Duration.ofSeconds(2), 2.0))
                .execute((instance, execution) -> axonTask.execute(instance, execution));
    }
}
