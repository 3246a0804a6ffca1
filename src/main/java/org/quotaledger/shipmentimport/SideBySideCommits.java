package org.quotaledger.shipmentimport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.quotaledger.quota.BatchAnswer;
import org.quotaledger.quota.MultiCountryCommit;
import org.quotaledger.quota.MultiCountryCommit.CountryAnswers;
import org.quotaledger.quota.MultiCountryCommit.CountryBatch;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.concurrent.DelegatingSecurityContextExecutorService;
import org.springframework.stereotype.Component;

import jakarta.annotation.PreDestroy;

/**
 * Commits a non-atomic import's chunk as a few commits of disjoint countries at once, not one of
 * them all: while one part's transaction waits on the database, another part's rows are decided.
 * One commit of every country kept the import's thread waiting on each commit, with a core idle.
 *
 * <p>The parts are consecutive runs of the chunk's alphabetical countries, and each commit takes
 * its own countries in that order, so no lock cycle can form with each other or any other writer.
 * Every row's answer is what it would be in one commit: a country is in one part only.
 */
@Component
class SideBySideCommits {

    private final MultiCountryCommit commit;
    private final int parts;
    /** Runs every part but the last, as the job's caller (the events' author). */
    private final ExecutorService otherParts;

    SideBySideCommits(MultiCountryCommit commit,
                      @Value("${quota-ledger.import.commits-per-chunk:2}") int parts,
                      @Value("${quota-ledger.import.concurrent-jobs:2}") int concurrentJobs) {
        if (parts < 1) {
            throw new IllegalArgumentException("quota-ledger.import.commits-per-chunk must be at least 1, was " + parts);
        }
        this.commit = commit;
        this.parts = parts;
        ExecutorService threads = Executors.newFixedThreadPool(Math.max(1, concurrentJobs * (parts - 1)), runnable -> {
            Thread thread = new Thread(runnable, "shipment-import-commit");
            thread.setDaemon(true);
            return thread;
        });
        this.otherParts = new DelegatingSecurityContextExecutorService(threads);
    }

    /**
     * The answers of every country's batch, in the batches' (alphabetical) order, each country's
     * failure thrown as {@link CountryAnswers#answersOrThrow} does.
     */
    List<List<BatchAnswer>> commit(List<CountryBatch> batches) {
        if (batches.isEmpty()) {
            return List.of();
        }
        List<List<CountryBatch>> split = split(batches, parts);
        List<Future<List<CountryAnswers>>> others = new ArrayList<>();
        for (List<CountryBatch> part : split.subList(0, split.size() - 1)) {
            others.add(otherParts.submit(() -> commit.commitHolding(part)));
        }
        List<CountryAnswers> last = commit.commitHolding(split.get(split.size() - 1));
        List<CountryAnswers> all = new ArrayList<>(batches.size());
        for (Future<List<CountryAnswers>> other : others) {
            all.addAll(await(other));
        }
        all.addAll(last);
        return all.stream().map(CountryAnswers::answersOrThrow).toList();
    }

    /** Consecutive runs of nearly equal size; fewer when there are fewer batches than parts. */
    static <T> List<List<T>> split(List<T> batches, int parts) {
        int count = Math.max(1, Math.min(parts, batches.size()));
        List<List<T>> split = new ArrayList<>(count);
        for (int part = 0; part < count; part++) {
            split.add(batches.subList(batches.size() * part / count, batches.size() * (part + 1) / count));
        }
        return split;
    }

    private static List<CountryAnswers> await(Future<List<CountryAnswers>> part) {
        try {
            return part.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            // The part goes on and commits; its rows' outcomes are lost with the failed job, and
            // uploading the file again answers them (rows are idempotent).
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a part of a chunk committed", e);
        }
    }

    @PreDestroy
    void stop() {
        otherParts.shutdownNow();
    }
}
