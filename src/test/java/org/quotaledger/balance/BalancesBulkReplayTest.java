package org.quotaledger.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventMessageHandler;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.junit.jupiter.api.Test;
import org.quotaledger.quota.QuotaEvents.ShipmentRecorded;
import org.quotaledger.quota.QuotaEvents.ShipmentVoided;

/** Where the processor goes on after a bulk replay: the last index read, minding the overlap's gaps. */
class BalancesBulkReplayTest {

    @Test
    void theProcessorGoesOnAfterTheLastEventReadWithAGapAtEachIndexOfTheOverlapNotRead() {
        long[] ring = new long[5];
        long events = 0;
        for (long index : new long[] {1, 2, 3, 5, 6, 9, 10}) {
            ring[(int) (events++ % ring.length)] = index;
        }

        GapAwareTrackingToken token = (GapAwareTrackingToken) BalancesBulkReplay.handOver(ring, events);

        assertThat(token.getIndex()).isEqualTo(10);
        assertThat(token.getGaps()).as("indexes 6 to 10 are the overlap; 7 and 8 were not read").containsExactly(7L, 8L);
    }

    @Test
    void aStoreShorterThanTheOverlapHasGapsOnlyBetweenTheEventsRead() {
        long[] ring = new long[100];
        ring[0] = 4;
        ring[1] = 6;

        GapAwareTrackingToken token = (GapAwareTrackingToken) BalancesBulkReplay.handOver(ring, 2);

        assertThat(token.getIndex()).isEqualTo(6);
        assertThat(token.getGaps()).containsExactly(5L);
    }

    @Test
    void anEventAnotherHandlerOfTheProcessorWantsIsReadWhole() {
        List<EventMessageHandler> projections = List.of(handler(BalanceProjection.class, ShipmentRecorded.class,
                ShipmentVoided.class), handler(BalanceHistoryProjection.class, ShipmentRecorded.class));

        assertThat(BalancesBulkReplay.leanTypes(projections)).isEqualTo(StoredBalanceChanges.READINGS.keySet());
        assertThat(BalancesBulkReplay.leanTypes(append(projections, handler(Object.class, ShipmentRecorded.class))))
                .doesNotContain(ShipmentRecorded.class.getName()).contains(ShipmentVoided.class.getName())
                .hasSize(StoredBalanceChanges.READINGS.size() - 1);
    }

    private static List<EventMessageHandler> append(List<EventMessageHandler> handlers, EventMessageHandler more) {
        List<EventMessageHandler> all = new ArrayList<>(handlers);
        all.add(more);
        return all;
    }

    /** A handler of a class that handles the given event types. */
    private static EventMessageHandler handler(Class<?> target, Class<?>... handles) {
        return new EventMessageHandler() {
            @Override
            public Object handle(EventMessage<?> event) {
                return null;
            }

            @Override
            public boolean canHandleType(Class<?> payloadType) {
                return Set.of(handles).contains(payloadType);
            }

            @Override
            public Class<?> getTargetType() {
                return target;
            }
        };
    }
}
