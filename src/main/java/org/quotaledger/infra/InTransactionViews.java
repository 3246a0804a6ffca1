package org.quotaledger.infra;

/**
 * The processing group of the views written inside the command's own transaction (a subscribing
 * processor, see application.yml): the shipment registry, the reservation registry and the
 * policy book's table. They share one processor because each processor handles every event of a
 * unit of work, and three did that three times over inside every command (measured on the bulk
 * import: the subscribing processors took half of the import thread's samples).
 */
public final class InTransactionViews {

    public static final String PROCESSING_GROUP = "in-transaction-views";

    private InTransactionViews() {
    }
}
