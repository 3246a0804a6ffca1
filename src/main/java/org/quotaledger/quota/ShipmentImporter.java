package org.quotaledger.quota;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.quotaledger.catalog.ChipModel;
import org.quotaledger.infra.RequestRejectedException;
import org.quotaledger.infra.RequestRejectedException.FieldProblem;
import org.quotaledger.quota.QuotaCommands.RecordShipment;
import org.quotaledger.quota.QuotaCommands.RecordShipments;
import org.quotaledger.quota.ShipmentImportJobs.Outcome;
import org.quotaledger.quota.ShipmentImportJobs.Result;
import org.quotaledger.quota.ShipmentImportJobs.State;
import org.quotaledger.security.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.annotation.PreDestroy;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

/**
 * Runs a bulk import: reads the file a row at a time, checks each row exactly as
 * {@code POST /api/v1/shipments} does (bean validation, then {@link ShipmentRequests}), and sends
 * the good rows of each chunk as one {@link RecordShipments} per destination country.
 *
 * <p>Not atomic: each chunk commits on its own; a row's failure is only that row's.
 * Atomic: one unit of work with one database transaction around every chunk; the countries'
 * commands run nested in it, so their events, registry rows and aggregate locks are held until
 * the end, and nothing is kept if any row fails. The aggregate cache drops what a rollback undid.
 */
@Component
class ShipmentImporter {

    private static final Logger log = LoggerFactory.getLogger(ShipmentImporter.class);
    static final int MAX_ROWS = 100_000;

    private final CommandGateway retryingCommands;
    /** Atomic imports must not retry: a retry runs on another thread, outside the import's transaction. */
    private final CommandGateway commandsInTransaction;
    private final TransactionManager transactions;
    private final Cache countryQuotaCache;
    private final ShipmentRequests requests;
    private final Validator validator;
    private final ObjectMapper json;
    private final ShipmentImportJobs jobs;
    private final Clock clock;
    private final int chunkRows;
    private final ExecutorService executor;

    ShipmentImporter(CommandGateway commands, CommandBus commandBus, TransactionManager transactions,
                     @Qualifier("countryQuotaCache") Cache countryQuotaCache, ShipmentRequests requests,
                     Validator validator, ObjectMapper json, ShipmentImportJobs jobs, Clock clock,
                     @Value("${quota-ledger.import.chunk-rows:20000}") int chunkRows,
                     @Value("${quota-ledger.import.concurrent-jobs:2}") int concurrentJobs) {
        this.retryingCommands = commands;
        this.commandsInTransaction = DefaultCommandGateway.builder().commandBus(commandBus).build();
        this.transactions = transactions;
        this.countryQuotaCache = countryQuotaCache;
        this.requests = requests;
        this.validator = validator;
        this.json = json;
        this.jobs = jobs;
        this.clock = clock;
        this.chunkRows = chunkRows;
        this.executor = Executors.newFixedThreadPool(concurrentJobs, runnable -> {
            Thread thread = new Thread(runnable, "shipment-import");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs the job in the background, as the caller who started it; the file is deleted after. */
    void start(String jobId, String exporterId, boolean atomic, Path file, ShipmentImportFile.Format format) {
        SecurityContext caller = SecurityContextHolder.createEmptyContext();
        caller.setAuthentication(SecurityContextHolder.getContext().getAuthentication());
        executor.submit(() -> {
            SecurityContextHolder.setContext(caller);
            try {
                run(jobId, exporterId, atomic, file, format);
            } finally {
                SecurityContextHolder.clearContext();
                deleteQuietly(file);
            }
        });
    }

    void run(String jobId, String exporterId, boolean atomic, Path file, ShipmentImportFile.Format format) {
        Run run = new Run(jobId, exporterId, atomic);
        UnitOfWork<?> transaction = null;
        try (ShipmentImportFile rows = ShipmentImportFile.open(file, format, json)) {
            if (atomic) {
                transaction = DefaultUnitOfWork.startAndGet(new GenericMessage<>(jobId));
                transaction.attachTransaction(transactions);
            }
            while (true) {
                long reading = System.nanoTime();
                if (!rows.hasNext()) {
                    break;
                }
                run.add(rows.next());
                run.readNanos += System.nanoTime() - reading;
                if (run.chunk.size() >= chunkRows) {
                    run.flush();
                }
            }
            run.flush();
            if (atomic && run.failedRows > 0) {
                transaction.rollback();
                evict(run.countries);
                jobs.rollBack(jobId, "not recorded: the atomic import was rolled back because "
                        + run.failedRows + " row(s) were invalid or denied");
                jobs.finish(jobId, State.ROLLED_BACK, run.rows, null, clock.instant());
                return;
            }
            if (atomic) {
                transaction.commit();
            }
            jobs.finish(jobId, State.COMPLETED, run.rows, null, clock.instant());
        } catch (RuntimeException e) {
            log.error("Shipment import {} failed after {} rows", jobId, run.rows, e);
            if (transaction != null && transaction.isActive()) {
                transaction.rollback(e);
            }
            if (atomic) {
                evict(run.countries);
                jobs.rollBack(jobId, "not recorded: the atomic import failed");
            }
            jobs.finish(jobId, State.FAILED, run.rows, "the import failed after " + run.rows
                    + " rows; see the service log for job " + jobId, clock.instant());
        } finally {
            log.info("Shipment import {} ({} rows, atomic {}) ended: {} ms reading and checking rows, {} ms in "
                            + "commands, {} ms storing outcomes", jobId, run.rows, atomic, run.readNanos / 1_000_000,
                    run.sendNanos / 1_000_000, run.saveNanos / 1_000_000);
        }
    }

    /**
     * Axon drops a rolled-back aggregate from its cache already; this makes sure of it, since a
     * cached state that was never stored would decide the next command and break its stream.
     */
    private void evict(Set<String> countries) {
        countries.forEach(countryQuotaCache::remove);
    }

    /** A valid row, waiting for its chunk to be sent. */
    private record Pending(int row, RecordShipment command) {
    }

    /** A row repeating a shipment id of an earlier row in the same file. */
    private record Repeat(int row, String contentHash, FirstSeen first) {
    }

    /** The first row of a shipment id in this file, and its outcome once decided. */
    private static final class FirstSeen {
        final String contentHash;
        Result result;

        FirstSeen(String contentHash) {
            this.contentHash = contentHash;
        }
    }

    /** One job's progress through its file. */
    private final class Run {
        final String jobId;
        final String exporterId;
        final boolean atomic;
        final List<Pending> chunk = new ArrayList<>();
        final List<Repeat> repeats = new ArrayList<>();
        final List<Result> results = new ArrayList<>();
        /** Bounded by the file's 100,000 rows: ids and hashes, not requests. */
        final Map<String, FirstSeen> seen = new HashMap<>();
        final Set<String> countries = new LinkedHashSet<>();
        /** The catalog as of the job's start; a model changed during the import is seen by the next one. */
        final Function<String, Optional<ChipModel>> models = requests.catalogLookup();
        int rows;
        int failedRows;
        long readNanos;
        long sendNanos;
        long saveNanos;

        Run(String jobId, String exporterId, boolean atomic) {
            this.jobId = jobId;
            this.exporterId = exporterId;
            this.atomic = atomic;
        }

        void add(ShipmentImportFile.Row row) {
            rows++;
            if (row.number() > MAX_ROWS) {
                invalid(row.number(), row.shipmentId(), "TOO_MANY_ROWS",
                        new FieldProblem("", "an import takes at most " + MAX_ROWS + " rows"));
                return;
            }
            if (row.unreadable() != null) {
                invalid(row.number(), row.shipmentId(), "INVALID_FIELD", row.unreadable());
                return;
            }
            RecordShipment command;
            try {
                command = toCommand(row.request());
            } catch (RequestRejectedException rejected) {
                String reason = rejected instanceof NotYourShipmentsException ? "NOT_YOUR_EXPORTER" : "INVALID_FIELD";
                invalid(row.number(), row.request().shipmentId(), reason, rejected.problems().get(0));
                return;
            }
            FirstSeen first = seen.get(command.shipmentId());
            if (first != null) {
                repeats.add(new Repeat(row.number(), command.contentHash(), first));
                return;
            }
            seen.put(command.shipmentId(), new FirstSeen(command.contentHash()));
            chunk.add(new Pending(row.number(), command));
        }

        /** The single-shipment path's checks, in its order; the first failing field is the row's. */
        private RecordShipment toCommand(RecordShipmentRequest request) {
            List<ConstraintViolation<RecordShipmentRequest>> violations = new ArrayList<>(validator.validate(request));
            if (!violations.isEmpty()) {
                violations.sort(Comparator.comparing(violation -> violation.getPropertyPath().toString()));
                ConstraintViolation<RecordShipmentRequest> first = violations.get(0);
                throw new org.quotaledger.infra.InvalidRequestException(List.of(
                        new FieldProblem(first.getPropertyPath().toString(), first.getMessage())));
            }
            String exporter = ExporterScope.exporterOf(Caller.current(), request.exporterId(), "exporterId");
            return requests.toCommand(request, exporter, models);
        }

        private void invalid(int row, String shipmentId, String reason, FieldProblem problem) {
            results.add(new Result(row, shipmentId, Outcome.INVALID, reason, problem.field(), problem.message(), null, false));
        }

        /** Sends the chunk, one command per country, and stores its rows' outcomes. */
        void flush() {
            // Countries in one order for every import, so that two imports never wait on each other in a cycle.
            Map<String, List<Pending>> byCountry = new TreeMap<>();
            for (Pending pending : chunk) {
                byCountry.computeIfAbsent(pending.command().country(), country -> new ArrayList<>()).add(pending);
            }
            countries.addAll(byCountry.keySet());
            long sending = System.nanoTime();
            results.addAll(atomic ? send(byCountry, commandsInTransaction) : sendInOneTransaction(byCountry));
            long saving = System.nanoTime();
            sendNanos += saving - sending;
            for (Repeat repeat : repeats) {
                results.add(answerRepeat(repeat));
            }
            if (!results.isEmpty()) {
                results.sort(Comparator.comparingInt(Result::row));
                failedRows += (int) results.stream().filter(result -> result.outcome() != Outcome.RECORDED).count();
                jobs.saveChunk(jobId, results);
            }
            saveNanos += System.nanoTime() - saving;
            chunk.clear();
            repeats.clear();
            results.clear();
        }

        /**
         * Not atomic: the chunk's countries in one transaction, far cheaper than a commit per
         * country; each row still stands alone, as denials and conflicts are answers, not failures.
         * Should the transaction fail (a write race with another node, a lock cycle), the
         * countries go one by one, each in its own transaction with the gateway's retries.
         */
        private List<Result> sendInOneTransaction(Map<String, List<Pending>> byCountry) {
            UnitOfWork<?> unit = DefaultUnitOfWork.startAndGet(new GenericMessage<>(jobId));
            unit.attachTransaction(transactions);
            List<Result> decided;
            try {
                decided = send(byCountry, commandsInTransaction);
            } catch (RuntimeException e) {
                unit.rollback(e);
                return sendOneByOne(byCountry, e);
            }
            try {
                unit.commit();
            } catch (RuntimeException e) {
                return sendOneByOne(byCountry, e);
            }
            return decided;
        }

        private List<Result> sendOneByOne(Map<String, List<Pending>> byCountry, RuntimeException cause) {
            evict(byCountry.keySet());
            log.warn("Shipment import {}: a chunk's transaction failed ({}); sending its countries one by one", jobId,
                    cause.toString());
            return send(byCountry, retryingCommands);
        }

        private List<Result> send(Map<String, List<Pending>> byCountry, CommandGateway gateway) {
            List<Result> decided = new ArrayList<>(chunk.size());
            for (Map.Entry<String, List<Pending>> group : byCountry.entrySet()) {
                List<Pending> rows = group.getValue();
                List<BatchAnswer> answers = gateway.sendAndWait(
                        new RecordShipments(group.getKey(), rows.stream().map(Pending::command).toList()));
                for (int i = 0; i < rows.size(); i++) {
                    Pending pending = rows.get(i);
                    Result result = result(pending.row(), pending.command().shipmentId(), answers.get(i));
                    seen.get(pending.command().shipmentId()).result = result;
                    decided.add(result);
                }
            }
            return decided;
        }

        private Result result(int row, String shipmentId, BatchAnswer answer) {
            if (answer.conflict()) {
                return new Result(row, shipmentId, Outcome.INVALID, "CONFLICT", "shipmentId",
                        "shipment " + shipmentId + " was already answered for other content", null, false);
            }
            ShipmentOutcome outcome = answer.outcome();
            if (outcome.status() == ShipmentOutcome.Status.DENIED) {
                return new Result(row, shipmentId, Outcome.DENIED, outcome.reason() == null ? null : outcome.reason().name(),
                        null, outcome.detail(), outcome.tpp(), false);
            }
            return new Result(row, shipmentId, Outcome.RECORDED, null, null, null, outcome.tpp(), !answer.repeated());
        }

        /** The same shipment twice in one file gets the first row's answer; other content is a conflict. */
        private Result answerRepeat(Repeat repeat) {
            Result first = repeat.first().result;
            String shipmentId = first.shipmentId();
            if (!repeat.contentHash().equals(repeat.first().contentHash)) {
                return new Result(repeat.row(), shipmentId, Outcome.INVALID, "CONFLICT", "shipmentId",
                        "row " + first.row() + " has shipment " + shipmentId + " with other content", null, false);
            }
            return new Result(repeat.row(), shipmentId, first.outcome(), first.reason(), first.field(), first.detail(),
                    first.tpp(), false);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (java.io.IOException e) {
            log.warn("Could not delete the import file {}", file, e);
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
