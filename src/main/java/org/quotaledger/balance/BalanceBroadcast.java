package org.quotaledger.balance;

import java.util.Set;
import java.util.TreeSet;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.quotaledger.balance.BalanceMessages.BalanceFound;
import org.quotaledger.balance.BalanceMessages.BalanceList;
import org.quotaledger.balance.BalanceMessages.CountryBalance;
import org.quotaledger.balance.BalanceMessages.FindAllBalances;
import org.quotaledger.balance.BalanceMessages.FindBalance;
import org.quotaledger.infra.PostgresChannels;
import org.springframework.stereotype.Component;

/**
 * Brings each written balance to the live stream's subscribers ({@link FindAllBalances}) on every
 * node. The balances processor is pooled: the node that handles an event is often not the node a
 * subscriber is connected to. So on PostgreSQL the projection's batch announces the countries it
 * changed on a channel when it commits, and every node (the handling one too, through the same
 * path, so nobody gets an update twice) reads those rows and emits them to its own subscribers. On
 * the embedded H2 there is one node, and the projection emits directly.
 */
@Component
class BalanceBroadcast {

    static final String CHANNEL = "ql_balance_changed";
    private static final String CHANGED_IN_THIS_BATCH = BalanceBroadcast.class.getName() + ".changed";

    private final QueryGateway queries;
    private final QueryUpdateEmitter updates;
    private final PostgresChannels channels;

    BalanceBroadcast(QueryGateway queries, QueryUpdateEmitter updates, PostgresChannels channels) {
        this.queries = queries;
        this.updates = updates;
        this.channels = channels;
        if (channels.available()) {
            channels.listen(CHANNEL, countries -> {
                for (String country : countries.split(",")) {
                    emit(country);
                }
            });
            channels.onReconnect(this::emitAll);
        }
    }

    /**
     * The projection writes {@code country}'s balance in the current unit of work. Subscribers
     * hear of it once the batch commits: through the channel on PostgreSQL (NOTIFY is delivered at
     * commit), directly after the commit on H2, never before the row is there to read.
     */
    void changed(String country) {
        if (!CurrentUnitOfWork.isStarted()) {
            if (channels.available()) {
                channels.notify(CHANNEL, country);
            } else {
                emit(country);
            }
            return;
        }
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        Set<String> changed = batch.getOrComputeResource(CHANGED_IN_THIS_BATCH, key -> {
            Set<String> countries = new TreeSet<>();
            if (channels.available()) {
                batch.onPrepareCommit(committing -> channels.notify(CHANNEL, String.join(",", countries)));
            } else {
                batch.afterCommit(committed -> countries.forEach(this::emit));
            }
            return countries;
        });
        changed.add(country);
    }

    /** The country's row as written, to this node's subscribers; with nobody subscribed it reads nothing. */
    private void emit(String country) {
        if (watched()) {
            CountryBalance written = queries.query(new FindBalance(country), BalanceFound.class).join().balance();
            if (written != null) {
                updates.emit(FindAllBalances.class, query -> true, written);
            }
        }
    }

    /** After a lost channel: every row, since some changes may not have been announced to this node. */
    private void emitAll() {
        if (watched()) {
            for (CountryBalance balance : queries.query(new FindAllBalances(), BalanceList.class).join().balances()) {
                updates.emit(FindAllBalances.class, query -> true, balance);
            }
        }
    }

    private boolean watched() {
        return updates.activeSubscriptions().stream()
                .anyMatch(subscription -> subscription.getPayload() instanceof FindAllBalances);
    }
}
