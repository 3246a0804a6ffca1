package org.quotaledger.balance;

import java.util.function.Consumer;
import java.util.function.Supplier;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * What a projection of the pooled "balances" processor writes is gathered over the processor's
 * whole batch and written once, as the batch's transaction is about to commit: a few JDBC batches
 * per batch of events instead of a statement or two per event (a rebuild reads hundreds of
 * thousands of events). Outside a unit of work (a handler called directly) it is written at once.
 */
final class BatchWrites {

    private BatchWrites() {
    }

    /**
     * Adds to the pending writes of the current batch, made with {@code create} the first time and
     * handed to {@code write} before the batch commits.
     */
    static <T> void add(String key, Supplier<T> create, Consumer<T> add, Consumer<T> write) {
        if (!CurrentUnitOfWork.isStarted()) {
            T single = create.get();
            add.accept(single);
            write.accept(single);
            return;
        }
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        T pending = batch.getOrComputeResource(key, ignored -> {
            T created = create.get();
            batch.onPrepareCommit(committing -> write.accept(created));
            return created;
        });
        add.accept(pending);
    }
}
