package org.quotaledger.quota;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;
import org.quotaledger.policy.rules.Assessment;
import org.quotaledger.policy.rules.Balance;
import org.quotaledger.policy.rules.CountryLedger;
import org.quotaledger.policy.rules.CountryRules;
import org.quotaledger.policy.rules.Hold;
import org.quotaledger.policy.rules.LedgerReplay;
import org.quotaledger.policy.rules.ShipmentFacts;
import org.quotaledger.quota.QuotaCommands.ApplyPolicy;
import org.quotaledger.quota.QuotaCommands.RecordShipment;
import org.quotaledger.quota.QuotaCommands.RecordShipments;
import org.quotaledger.quota.QuotaCommands.VoidShipment;
import org.quotaledger.quota.QuotaEvents.PolicyApplied;
import org.quotaledger.quota.QuotaEvents.QuotaStatusChanged;
import org.quotaledger.quota.QuotaEvents.ShipmentDenied;
import org.quotaledger.quota.QuotaEvents.ShipmentRecorded;
import org.quotaledger.quota.QuotaEvents.ShipmentVoided;
import org.quotaledger.quota.QuotaEvents.ShipmentsRecorded;
import org.quotaledger.quota.ReservationCommands.ReleaseReservation;
import org.quotaledger.quota.ReservationCommands.ReservationDeadline;
import org.quotaledger.quota.ReservationCommands.ReserveQuota;
import org.quotaledger.quota.ReservationEvents.QuotaReserved;
import org.quotaledger.quota.ReservationEvents.ReservationConfirmed;
import org.quotaledger.quota.ReservationEvents.ReservationDenied;
import org.quotaledger.quota.ReservationEvents.ReservationExpired;
import org.quotaledger.quota.ReservationEvents.ReservationReleased;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One destination country's quota. It decides with the rules engine ({@link CountryLedger}) and
 * records the outcome; every state change is in an event sourcing handler.
 *
 * <p>Fields are visible to Jackson because snapshots serialize the aggregate itself.
 */
@Aggregate(snapshotTriggerDefinition = "countryQuotaSnapshotTrigger", cache = "countryQuotaCache",
        lockFactory = "countryQuotaLockFactory")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE, isGetterVisibility = JsonAutoDetect.Visibility.NONE)
class CountryQuota {

    @AggregateIdentifier
    private String country;
    private List<CountryRules> timeline = new ArrayList<>();
    private Map<String, Long> countedByPolicy = new HashMap<>();
    private Map<String, Long> consigneeYearTotals = new HashMap<>();
    /** Active reservations by id: bounded by what is reserved now, not by history. */
    private Map<String, Hold> holds = new HashMap<>();
    /**
     * While one author's batch is decided (null otherwise): the recorded shipments not yet applied
     * as their {@link ShipmentsRecorded}. Each is on the ledger already, so that it counts for the
     * next row.
     */
    @JsonIgnore
    private transient List<ShipmentRecorded> unappliedBatch;

    CountryQuota() {
        // for Axon and Jackson
    }

    private CountryLedger ledger() {
        return CountryLedger.over(timeline, countedByPolicy, consigneeYearTotals, holds);
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(ApplyPolicy command, CountryHistory history) {
        if (ledger().hasAdopted(command.rules().policyId())) {
            return;
        }
        LocalDate asOf = dateOf(command.enactedAt());
        List<CountryRules> timelineBefore = ledger().timeline();
        List<CountryRules> timelineAfter = new ArrayList<>(timelineBefore);
        timelineAfter.add(command.rules());
        List<LedgerReplay.Entry> entries = country == null ? List.of() : history.of(country).entries();
        LedgerReplay.Result then = LedgerReplay.replay(timelineBefore, entries);
        LedgerReplay.Result now = LedgerReplay.replay(timelineAfter, entries);
        Balance before = ledger().balance(asOf);
        Balance after = now.ledger().balance(asOf);
        apply(new PolicyApplied(command.country(), command.rules(), before, after, now.ledger().countedByPolicy(),
                then.outcomes().size(), LedgerReplay.reclassifications(then, now), now.beyondCap(), command.enactedAt(),
                now.ledger().holds()));
        recordStatusChange(command.country(), before, after, command.rules().policyId(), command.enactedAt());
    }

    /**
     * Puts a change of the quota's status on the record, right after the event that caused it.
     * Opening a country's ledger (no policy before) is not a change anyone is alerted to.
     */
    private void recordStatusChange(String country, Balance before, Balance after, String causedBy, Instant at) {
        recordStatusChange(country, before, after, causedBy, at, MetaData.emptyInstance());
    }

    private void recordStatusChange(String country, Balance before, Balance after, String causedBy, Instant at,
                                    MetaData author) {
        if (before.policyId() != null && before.status() != after.status()) {
            applyInOrder(new QuotaStatusChanged(country, after.policyId(), before.status(), after.status(), after,
                    causedBy, at), author);
        }
    }

    @CommandHandler
    ShipmentOutcome handle(RecordShipment command, ShipmentRegistry registry, ReservationRegistry reservations) {
        return decide(command, registry.find(command.shipmentId()).map(Answered::of).orElse(null), reservations,
                MetaData.emptyInstance());
    }

    /**
     * Decides each shipment in order, as {@link #handle(RecordShipment, ShipmentRegistry, ReservationRegistry)} would
     * one by one; a conflict is that row's answer rather than the whole batch's failure.
     *
     * <p>Rows of one author (a bulk import's) that are recorded are recorded together, as one
     * {@link ShipmentsRecorded} for each run of them; anything else decided between (a denial, a
     * reservation confirmed, a status change) stays an event of its own, in its place. Rows with
     * authors of their own (the group commit's requests) are each an event of their own: an event
     * has one author.
     */
    @CommandHandler
    List<BatchAnswer> handle(RecordShipments command, MetaData metaData, ShipmentRegistry registry,
                             ReservationRegistry reservations) {
        List<MetaData> authors = authorsOf(command, metaData);
        unappliedBatch = rowsHaveAuthorsOfTheirOwn(metaData) ? null : new ArrayList<>();
        try {
            Map<String, Answered> answered = idsTakenAsNew(metaData) ? new HashMap<>() : answeredBefore(command, registry);
            return decideEach(command, authors, answered, reservations);
        } finally {
            unappliedBatch = null;
        }
    }

    /** The batch's shipment ids the registry holds already, with what each was answered. */
    private static Map<String, Answered> answeredBefore(RecordShipments command, ShipmentRegistry registry) {
        Map<String, Answered> answered = new HashMap<>();
        registry.findAll(command.shipments().stream().map(RecordShipment::shipmentId).toList())
                .forEach((id, shipment) -> answered.put(id, Answered.of(shipment)));
        return answered;
    }

    /**
     * @param answered the ids answered before the batch (from the registry, or none when the batch
     *                 takes them as new); each row decided is added, so a repeat later in the batch
     *                 is answered from it
     */
    private List<BatchAnswer> decideEach(RecordShipments command, List<MetaData> authors, Map<String, Answered> answered,
                                         ReservationRegistry reservations) {
        List<BatchAnswer> answers = new ArrayList<>(command.shipments().size());
        for (int row = 0; row < command.shipments().size(); row++) {
            RecordShipment shipment = command.shipments().get(row);
            if (!shipment.country().equals(command.country())) {
                throw new IllegalArgumentException("shipment " + shipment.shipmentId() + " goes to "
                        + shipment.country() + ", not " + command.country());
            }
            try {
                Answered known = answered.get(shipment.shipmentId());
                ShipmentOutcome outcome = decide(shipment, known, reservations, authors.get(row));
                answers.add(new BatchAnswer(outcome, known != null, false));
                answered.putIfAbsent(shipment.shipmentId(), new Answered(shipment.contentHash(), outcome));
            } catch (ShipmentConflictException conflict) {
                answers.add(new BatchAnswer(null, true, true));
            } catch (ReservationRejectedException refusal) {
                answers.add(BatchAnswer.refused(refusal));
            }
        }
        applyUnappliedBatch();
        return answers;
    }

    /** Records the batch's shipments decided since the last event, as one event. */
    private void applyUnappliedBatch() {
        if (unappliedBatch == null || unappliedBatch.isEmpty()) {
            return;
        }
        ShipmentsRecorded batch = new ShipmentsRecorded(country, unappliedBatch);
        unappliedBatch = new ArrayList<>();
        apply(batch);
    }

    /** An event decided while shipments are recorded together comes after those decided before it. */
    private void applyInOrder(Object event, MetaData author) {
        applyUnappliedBatch();
        apply(event, author);
    }

    /**
     * Each row's author, when the batch carries them ({@link RecordShipments#AUTHORS}); otherwise
     * none, and every event is attributed to whoever sent the batch.
     */
    private static List<MetaData> authorsOf(RecordShipments command, MetaData metaData) {
        int rows = command.shipments().size();
        if (!rowsHaveAuthorsOfTheirOwn(metaData)) {
            return Collections.nCopies(rows, MetaData.emptyInstance());
        }
        List<?> authors = (List<?>) metaData.get(RecordShipments.AUTHORS);
        if (authors.size() != rows) {
            throw new IllegalArgumentException(authors.size() + " authors for " + rows + " shipments");
        }
        List<MetaData> each = new ArrayList<>(rows);
        for (Object author : authors) {
            Map<String, Object> entries = new HashMap<>();
            ((Map<?, ?>) author).forEach((key, value) -> entries.put(key.toString(), value));
            each.add(MetaData.from(entries));
        }
        return each;
    }

    /** Whether the sender takes the batch's ids as new, the registry's primary key catching one that is not. */
    private static boolean idsTakenAsNew(MetaData metaData) {
        return Boolean.TRUE.equals(metaData.get(RecordShipments.IDS_TAKEN_AS_NEW));
    }

    /** Whether the batch gathers several callers' rows (the group commit's), each with its author. */
    private static boolean rowsHaveAuthorsOfTheirOwn(MetaData metaData) {
        return metaData.get(RecordShipments.AUTHORS) instanceof List<?>;
    }

    /** A shipment id answered before: by the registry, or earlier in the same batch. */
    private record Answered(String contentHash, ShipmentOutcome firstAnswer) {
        static Answered of(RegisteredShipment shipment) {
            return new Answered(shipment.contentHash(), shipment.firstAnswer());
        }
    }

    /** @param author the request's own attribution for its events, over the command's (empty: the command's) */
    private ShipmentOutcome decide(RecordShipment command, Answered known, ReservationRegistry reservations,
                                   MetaData author) {
        if (known != null) {
            if (!known.contentHash().equals(command.contentHash())) {
                throw new ShipmentConflictException(command.shipmentId());
            }
            return known.firstAnswer();
        }
        ShipmentFacts facts = command.facts();
        String reservationId = command.reservationId();
        if (reservationId != null) {
            Reservations.checkConsignee(Reservations.usable(reservations, reservationId, country, command.exporterId(),
                    command.requestedAt(), ledger().holds(reservationId)), command.consignee());
        }
        Assessment assessment = reservationId == null ? ledger().assess(facts)
                : ledger().assessConfirming(facts, reservationId);
        LocalDate asOf = dateOf(command.requestedAt());
        if (assessment instanceof Assessment.Denied denied) {
            ShipmentDenied event = new ShipmentDenied(country, command.shipmentId(), command.exporterId(),
                    command.consignee(), command.shipDate(), command.items(), command.licenseReference(),
                    facts.tpp(), denied.reason(), denied.detail(), denied.policyId(), ledger().balance(asOf),
                    command.contentHash(), command.requestedAt());
            applyInOrder(event, author);
            return ShipmentOutcome.of(event);
        }
        Assessment.Accepted accepted = (Assessment.Accepted) assessment;
        Balance before = ledger().balance(asOf);
        ShipmentRecorded event = new ShipmentRecorded(country, command.shipmentId(), command.exporterId(),
                command.consignee(), command.shipDate(), command.items(), command.licenseReference(), facts.tpp(),
                accepted.classification(), accepted.debitTpp(), accepted.policyId(),
                balanceAfter(facts, accepted, asOf, reservationId), command.contentHash(), command.requestedAt());
        if (unappliedBatch != null && reservationId == null) {
            on(event); // on the ledger now, for the next row; recorded with the rest of its run
            unappliedBatch.add(event);
        } else {
            applyInOrder(event, author);
        }
        if (reservationId != null) {
            long reserved = ledger().holdOf(reservationId).tpp();
            applyInOrder(new ReservationConfirmed(country, reservationId, command.exporterId(), command.shipmentId(),
                    reserved, facts.tpp(), reserved - facts.tpp(), event.balance(), command.requestedAt()), author);
        }
        recordStatusChange(country, before, event.balance(), command.shipmentId(), command.requestedAt(), author);
        return ShipmentOutcome.of(event);
    }

    @CommandHandler
    VoidOutcome handle(VoidShipment command, ShipmentRegistry registry) {
        RegisteredShipment shipment = registry.find(command.shipmentId())
                .filter(found -> found.country().equals(country))
                .orElseThrow(() -> new ShipmentNotVoidableException(command.shipmentId(),
                        ShipmentNotVoidableException.Why.NOT_FOUND));
        switch (shipment.state()) {
            case DENIED -> throw new ShipmentNotVoidableException(command.shipmentId(), ShipmentNotVoidableException.Why.DENIED);
            case VOIDED -> throw new ShipmentNotVoidableException(command.shipmentId(), ShipmentNotVoidableException.Why.ALREADY_VOIDED);
            case RECORDED -> { }
        }
        CountryLedger after = scratchLedger();
        after.unrecord(shipment.consigneeId(), shipment.shipDate(), shipment.tpp(), shipment.policyId(),
                shipment.debitedTpp());
        Balance before = ledger().balance(dateOf(command.requestedAt()));
        Balance balance = after.balance(dateOf(command.requestedAt()));
        apply(new ShipmentVoided(country, command.shipmentId(), shipment.exporterId(), shipment.consigneeId(),
                shipment.shipDate(), shipment.tpp(), command.reason(), shipment.debitedTpp(), shipment.policyId(),
                balance, command.requestedAt()));
        recordStatusChange(country, before, balance, command.shipmentId(), command.requestedAt());
        return new VoidOutcome(command.shipmentId(), country, shipment.debitedTpp(), balance.remainingTpp());
    }

    /**
     * Holds TPP for an exporter's shipment until it expires: denied (the denial recorded, nothing
     * held) when the rules would not let the TPP through, else recorded with a persisted expiry deadline.
     */
    @CommandHandler
    ReservationOutcome handle(ReserveQuota command, ReservationRegistry reservations, DeadlineManager deadlines) {
        var known = reservations.find(command.reservationId());
        if (known.isPresent()) {
            return Reservations.repeated(known.get(), command.contentHash());
        }
        LocalDate on = dateOf(command.requestedAt());
        Instant expiresAt = Reservations.expiryOf(command, ledger().policyInForceOn(on));
        String consigneeId = command.consignee().id();
        Assessment assessment = ledger().assessHold(consigneeId, on, command.tpp());
        if (assessment instanceof Assessment.Denied denied) {
            Balance balance = ledger().balance(on);
            apply(new ReservationDenied(country, command.reservationId(), command.exporterId(), command.consignee(),
                    command.tpp(), denied.reason(), denied.detail(), denied.policyId(), balance, command.requestedAt()));
            return new ReservationOutcome(command.reservationId(), country, command.exporterId(), consigneeId,
                    command.tpp(), null, expiresAt, balance.availableTpp(), denied.reason(), denied.detail(),
                    denied.policyId());
        }
        Assessment.Accepted accepted = (Assessment.Accepted) assessment;
        CountryLedger after = scratchLedger();
        after.hold(command.reservationId(), consigneeId, on, command.tpp(), accepted);
        Balance balance = after.balance(on);
        apply(new QuotaReserved(country, command.reservationId(), command.exporterId(), command.consignee(),
                command.tpp(), accepted.classification(), accepted.debitTpp(), accepted.policyId(), expiresAt, balance,
                command.contentHash(), command.requestedAt()));
        deadlines.schedule(expiresAt, ReservationDeadline.NAME,
                new ReservationDeadline(command.reservationId(), command.exporterId(), expiresAt));
        return new ReservationOutcome(command.reservationId(), country, command.exporterId(), consigneeId,
                command.tpp(), ReservationRegistry.Status.ACTIVE, expiresAt, balance.availableTpp(), null, null,
                accepted.policyId());
    }

    @CommandHandler
    ReservationOutcome handle(ReleaseReservation command, ReservationRegistry reservations) {
        String reservationId = command.reservationId();
        var reservation = Reservations.usable(reservations, reservationId, country, command.exporterId(),
                command.requestedAt(), ledger().holds(reservationId));
        Balance balance = balanceWithout(reservationId, dateOf(command.requestedAt()));
        apply(new ReservationReleased(country, reservationId, command.exporterId(), reservation.reservedTpp(), balance,
                command.requestedAt()));
        return new ReservationOutcome(reservationId, country, command.exporterId(), reservation.consigneeId(),
                reservation.reservedTpp(), ReservationRegistry.Status.RELEASED, reservation.expiresAt(),
                balance.availableTpp(), null, null, null);
    }

    /**
     * A reservation still active at its expiry expires; one resolved before has nothing left to do.
     * With several nodes this node's cached copy may be stale: a hold it lacks but the registry
     * (committed with the events) calls active means exactly that, and the failure evicts the copy
     * and has the deadline retried on fresh state (a stale copy that holds it conflicts on append).
     */
    @DeadlineHandler(deadlineName = ReservationDeadline.NAME)
    void expire(ReservationDeadline deadline, ReservationRegistry reservations) {
        Hold hold = ledger().holdOf(deadline.reservationId());
        if (hold == null && reservations.find(deadline.reservationId())
                .filter(found -> found.status() == ReservationRegistry.Status.ACTIVE).isPresent()) {
            throw new ConcurrencyException("the cached ledger of " + country + " lacks active reservation "
                    + deadline.reservationId() + ": it is stale");
        }
        if (hold != null) {
            apply(new ReservationExpired(country, hold.reservationId(), deadline.exporterId(), hold.tpp(),
                    balanceWithout(hold.reservationId(), dateOf(deadline.expiresAt())), deadline.expiresAt()));
        }
    }

    private Balance balanceWithout(String reservationId, LocalDate asOf) {
        CountryLedger after = scratchLedger();
        after.release(reservationId);
        return after.balance(asOf);
    }

    private Balance balanceAfter(ShipmentFacts facts, Assessment.Accepted accepted, LocalDate asOf, String reservationId) {
        CountryLedger after = scratchLedger();
        if (reservationId != null) {
            after.release(reservationId);
        }
        after.record(facts, accepted);
        return after.balance(asOf);
    }

    /**
     * A ledger to compute a balance in a command handler without touching state: only event
     * sourcing handlers change state. A balance needs the counts, not the consignee totals, so
     * those start empty rather than being copied on every command.
     */
    private CountryLedger scratchLedger() {
        return CountryLedger.over(timeline, new HashMap<>(countedByPolicy), new HashMap<>(), new HashMap<>(holds));
    }

    @EventSourcingHandler
    void on(PolicyApplied event) {
        country = event.country();
        CountryLedger ledger = ledger();
        ledger.adopt(event.rules());
        ledger.replaceCounts(event.countedByPolicy());
        ledger.replaceHolds(event.holds());
    }

    @EventSourcingHandler
    void on(QuotaReserved event) {
        ledger().hold(event.reservationId(), event.consignee().id(), dateOf(event.reservedAt()), event.tpp(),
                new Assessment.Accepted(event.classification(), event.policyId(), event.heldTpp(), false));
    }

    @EventSourcingHandler
    void on(ReservationEvents.Resolution event) {
        ledger().release(event.reservationId());
    }

    @EventSourcingHandler
    void on(ShipmentRecorded event) {
        ledger().record(event.facts(), new Assessment.Accepted(event.classification(), event.policyId(), event.debitedTpp(), false));
    }

    /**
     * While deciding a batch, the only such event is its own, whose rows went on the ledger as they
     * were decided; otherwise (sourced from the store) each shipment goes on now.
     */
    @EventSourcingHandler
    void on(ShipmentsRecorded event) {
        if (unappliedBatch == null) {
            event.shipments().forEach(this::on);
        }
    }

    @EventSourcingHandler
    void on(ShipmentVoided event) {
        ledger().unrecord(event.consigneeId(), event.shipDate(), event.tpp(), event.policyId(), event.creditedTpp());
    }

    private static LocalDate dateOf(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }
}
