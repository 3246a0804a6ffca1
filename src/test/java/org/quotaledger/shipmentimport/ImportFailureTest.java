package org.quotaledger.shipmentimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLTransientConnectionException;

import org.axonframework.common.lock.DeadlockException;
import org.axonframework.common.lock.LockAcquisitionFailedException;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.CannotCreateTransactionException;

class ImportFailureTest {

    @Test
    void aLockWaitThatRanOutSaysSoAndWhatBecameOfTheRows() {
        String described = ImportFailure.describe(new LockAcquisitionFailedException(
                "Failed to acquire lock for aggregate identifier(AE), maximum attempts exceeded (6000)"), false, "job-1");

        assertThat(described).isEqualTo("the import stopped: a destination country's ledger stayed locked by other "
                + "work (another atomic import, say) for longer than the ledger waits for it; the rows recorded "
                + "before it stay recorded; upload the file again to record the rest (rows are idempotent by "
                + "shipmentId); the service log has the details of job job-1");
    }

    @Test
    void aLockCycleIsNamedApartFromAWaitThatRanOut() {
        assertThat(ImportFailure.describe(new IllegalStateException(new DeadlockException("cycle")), true, "job-2"))
                .startsWith("the import stopped: a destination country's ledger was locked in a cycle with other work; "
                        + "nothing was recorded;");
    }

    @Test
    void anUnreachableDatabaseIsNamed() {
        assertThat(ImportFailure.describe(new CannotCreateTransactionException("no connection",
                new SQLTransientConnectionException("pool timed out")), true, "job-3"))
                .isEqualTo("the import stopped: the database could not be reached; nothing was recorded; "
                        + "the service log has the details of job job-3");
    }

    @Test
    void anythingElseIsTheGenericFailureWithWhatBecameOfTheRows() {
        assertThat(ImportFailure.describe(new IllegalStateException("bug"), false, "job-4"))
                .startsWith("the import failed; the rows recorded before it stay recorded;")
                .endsWith("job job-4");
    }
}
