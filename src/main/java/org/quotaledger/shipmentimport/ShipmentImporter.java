package org.quotaledger.shipmentimport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.quotaledger.quota.BatchAnswer;
import org.quotaledger.quota.MultiCountryCommit;
import org.quotaledger.quota.MultiCountryCommit.CountryAnswers;
import org.quotaledger.quota.MultiCountryCommit.CountryBatch;
import org.quotaledger.quota.ShipmentOutcome;
import org.quotaledger.quota.ShipmentRequests;
import org.quotaledger.quota.QuotaCommands.RecordShipments;
import org.quotaledger.shipmentimport.ShipmentImportReader.Pending;
import org.quotaledger.shipmentimport.ShipmentImportJobs.Outcome;
import org.quotaledger.shipmentimport.ShipmentImportJobs.Result;
import org.quotaledger.shipmentimport.ShipmentImportJobs.State;
import org.quotaledger.security.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.annotation.PreDestroy;
import jakarta.validation.Validator;

/**
 * Runs a bulk import: one thread reads and checks the file's rows ({@link ShipmentImportReader}),
 * the job's thread sends each chunk's good rows as one {@link RecordShipments} per destination
 * country and stores every row's outcome.
 *
 * <p>Not atomic: each chunk commits on its own, its countries together ({@link MultiCountryCommit});
 * a row's failure is only that row's.
 * Atomic: one unit of work with one database transaction around every chunk. It first takes the
 * lock of every country the file names, in alphabetical order (a first pass over the file), so
 * that it never waits in a cycle with another import. The countries' commands run nested in it,
 * so their events, registry rows and aggregate locks are held until the end (the decided events
 * stay in memory until then), and nothing is kept if any row fails.
 * The aggregate cache drops what a rollback undid (Axon does, for every aggregate the unit loaded).
 */
@Component
class ShipmentImporter {

    private static final Logger log = LoggerFactory.getLogger(ShipmentImporter.class);
    static final int MAX_ROWS = 100_000;

    private final MultiCountryCommit sharedCommit;
    private final TransactionManager transactions;
    private final ShipmentRequests requests;
    private final Validator validator;
    private final ObjectMapper json;
    private final ShipmentImportJobs jobs;
    private final Clock clock;
    private final int chunkRows;
    private final ExecutorService executor;
    private final ExecutorService readers;

    ShipmentImporter(MultiCountryCommit sharedCommit, TransactionManager transactions,
                     ShipmentRequests requests,
                     Validator validator, ObjectMapper json, ShipmentImportJobs jobs, Clock clock,
                     @Value("${quota-ledger.import.chunk-rows:5000}") int chunkRows,
                     @Value("${quota-ledger.import.concurrent-jobs:2}") int concurrentJobs) {
        this.sharedCommit = sharedCommit;
        this.transactions = transactions;
        this.requests = requests;
        this.validator = validator;
        this.json = json;
        this.jobs = jobs;
        this.clock = clock;
        this.chunkRows = chunkRows;
        this.executor = Executors.newFixedThreadPool(concurrentJobs, daemon("shipment-import"));
        this.readers = Executors.newFixedThreadPool(concurrentJobs, daemon("shipment-import-reader"));
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
        Run run = new Run(jobId, atomic);
        ShipmentImportReader reader = new ShipmentImportReader(validator, requests, Caller.current());
        BlockingQueue<Object> chunks = new ArrayBlockingQueue<>(1);
        Future<?> reading = readers.submit(() -> read(file, format, reader, run, chunks));
        UnitOfWork<?> transaction = null;
        try {
            if (atomic) {
                transaction = begin(jobId);
                long holding = System.nanoTime();
                sharedCommit.holdAllUntilTheUnitEnds(ShipmentImportFile.destinationCountries(file, format, json));
                run.holdNanos = System.nanoTime() - holding;
            }
            for (Object next = chunks.take(); next != END; next = chunks.take()) {
                if (next instanceof RuntimeException failed) {
                    throw failed;
                }
                run.flush((ShipmentImportReader.Chunk) next);
            }
            if (atomic && run.failedRows > 0) {
                transaction.rollback();
                jobs.rollBack(jobId, "not recorded: the atomic import was rolled back because "
                        + run.failedRows + " row(s) were invalid or denied");
                jobs.finish(jobId, State.ROLLED_BACK, reader.rows(), null, clock.instant());
                return;
            }
            if (atomic) {
                transaction.commit();
            }
            jobs.finish(jobId, State.COMPLETED, reader.rows(), null, clock.instant());
        } catch (RuntimeException | InterruptedException e) {
            reading.cancel(true);
            log.error("Shipment import {} failed", jobId, e);
            if (transaction != null && transaction.isActive()) {
                transaction.rollback(e);
            }
            if (atomic) {
                jobs.rollBack(jobId, "not recorded: the atomic import failed");
            }
            jobs.finish(jobId, State.FAILED, null, ImportFailure.describe(e, atomic, jobId), clock.instant());
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        } finally {
            log.info("Shipment import {} (atomic {}) ended: {} ms finding and taking its countries first (atomic only), "
                            + "{} ms reading and checking rows (alongside), {} ms in commands, {} ms storing outcomes",
                    jobId, atomic, run.holdNanos / 1_000_000, run.readNanos / 1_000_000, run.sendNanos / 1_000_000,
                    run.saveNanos / 1_000_000);
        }
    }

    /**
     * A unit of work with its database transaction, for commands sent inside it. (The registry
     * plans its lookups at each execution itself, infra/PlannedEachTime, on this path as on every
     * other.) Its message is a command, the job, as the whole atomic import acts as one: Axon's
     * repository warns when it loads an aggregate in a unit of work that is not a command's, and
     * this unit loads every country's first.
     */
    private UnitOfWork<?> begin(String jobId) {
        UnitOfWork<?> unit = DefaultUnitOfWork.startAndGet(GenericCommandMessage.asCommandMessage(jobId));
        unit.attachTransaction(transactions);
        return unit;
    }

    /**
     * The reading half, on a thread of its own: it reads and checks the next chunk while the job's
     * thread sends the last one. The queue holds one chunk, so at most three are in memory.
     */
    private void read(Path file, ShipmentImportFile.Format format, ShipmentImportReader reader, Run run,
                      BlockingQueue<Object> chunks) {
        try {
            try (ShipmentImportFile rows = ShipmentImportFile.open(file, format, json)) {
                long started = System.nanoTime();
                while (rows.hasNext()) {
                    reader.add(rows.next());
                    if (reader.pendingRows() >= chunkRows) {
                        run.readNanos += System.nanoTime() - started;
                        chunks.put(reader.takeChunk());
                        started = System.nanoTime();
                    }
                }
                run.readNanos += System.nanoTime() - started;
                chunks.put(reader.takeChunk());
            } catch (RuntimeException e) {
                chunks.put(e);
                return;
            }
            chunks.put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the job failed and stopped reading
        }
    }

    /** The end of the file, after its last chunk. */
    private static final Object END = new Object();

    /** The sending half of one job. */
    private final class Run {
        final String jobId;
        final boolean atomic;
        int failedRows;
        long holdNanos;
        volatile long readNanos;
        long sendNanos;
        long saveNanos;

        Run(String jobId, boolean atomic) {
            this.jobId = jobId;
            this.atomic = atomic;
        }

        /** Sends the chunk, one command per country, and stores its rows' outcomes. */
        void flush(ShipmentImportReader.Chunk chunk) {
            // Alphabetical, the order MultiCountryCommit takes countries in.
            Map<String, List<Pending>> byCountry = new TreeMap<>();
            for (Pending pending : chunk.pending()) {
                byCountry.computeIfAbsent(pending.command().country(), country -> new ArrayList<>()).add(pending);
            }
            List<Result> results = new ArrayList<>(chunk.answered());
            long sending = System.nanoTime();
            results.addAll(send(byCountry));
            long saving = System.nanoTime();
            sendNanos += saving - sending;
            for (ShipmentImportReader.Repeat repeat : chunk.repeats()) {
                results.add(ShipmentImportReader.answer(repeat));
            }
            if (!results.isEmpty()) {
                results.sort(Comparator.comparingInt(Result::row));
                failedRows += (int) results.stream().filter(result -> result.outcome() != Outcome.RECORDED).count();
                jobs.saveChunk(jobId, results);
            }
            saveNanos += System.nanoTime() - saving;
        }

        /**
         * Atomic: inside the job's unit of work. Otherwise the chunk's countries share one commit,
         * far cheaper than one each; each row still stands alone, as denials and conflicts are
         * answers, not failures, and a failed shared commit is redone country by country.
         */
        private List<Result> send(Map<String, List<Pending>> byCountry) {
            List<CountryBatch> batches = byCountry.entrySet().stream()
                    .map(group -> new CountryBatch(new RecordShipments(group.getKey(),
                            group.getValue().stream().map(Pending::command).toList())))
                    .toList();
            List<List<BatchAnswer>> answers = atomic
                    ? sharedCommit.decideInCurrentUnitOfWork(batches)
                    : sharedCommit.commitHolding(batches).stream()
                            .map(CountryAnswers::answersOrThrow).toList();
            List<Result> decided = new ArrayList<>();
            int country = 0;
            for (List<Pending> rows : byCountry.values()) {
                List<BatchAnswer> countryAnswers = answers.get(country++);
                for (int i = 0; i < rows.size(); i++) {
                    Pending pending = rows.get(i);
                    Result result = result(pending.row(), pending.command().shipmentId(), countryAnswers.get(i));
                    pending.first().result = result;
                    decided.add(result);
                }
            }
            return decided;
        }

        private Result result(int row, String shipmentId, BatchAnswer answer) {
            if (answer.refusal() != null) {
                // The field the single request would name: reservationId, or consignee.id for a mismatch.
                String field = answer.refusal().field() == null ? "reservationId" : answer.refusal().field();
                return new Result(row, shipmentId, Outcome.INVALID, answer.refusal().reason(), field,
                        answer.refusal().detail(), null, false);
            }
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
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (java.io.IOException e) {
            log.warn("Could not delete the import file {}", file, e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @PreDestroy
    void stop() {
        readers.shutdownNow();
        executor.shutdownNow();
    }
}
