package org.quotaledger.shipmentimport;

import org.axonframework.common.lock.DeadlockException;
import org.axonframework.common.lock.LockAcquisitionFailedException;
import org.quotaledger.infra.DatabaseUnreachable;

/**
 * What a failed import's job says about its failure: the cause, when it is one the exporter can
 * act on (try later), and what became of the rows, so the job's view is enough to decide what to
 * do next without the service log.
 */
final class ImportFailure {

    private ImportFailure() {
    }

    static String describe(Throwable failure, boolean atomic, String jobId) {
        String rows = atomic
                ? "nothing was recorded"
                : "the rows recorded before it stay recorded; upload the file again to record the rest "
                        + "(rows are idempotent by shipmentId)";
        return cause(failure) + "; " + rows + "; the service log has the details of job " + jobId;
    }

    private static String cause(Throwable failure) {
        if (DatabaseUnreachable.causes(failure)) {
            return "the import stopped: the database could not be reached";
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof DeadlockException) {
                return "the import stopped: a destination country's ledger was locked in a cycle with other work";
            }
            if (cause instanceof LockAcquisitionFailedException) {
                return "the import stopped: a destination country's ledger stayed locked by other work (another "
                        + "atomic import, say) for longer than the ledger waits for it";
            }
        }
        return "the import failed";
    }
}
