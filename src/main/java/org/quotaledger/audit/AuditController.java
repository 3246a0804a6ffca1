package org.quotaledger.audit;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.axonframework.queryhandling.QueryGateway;
import org.quotaledger.audit.ChainVerifier.ChainReport;
import org.quotaledger.audit.LedgerFolds.BalanceAsOf;
import org.quotaledger.audit.LedgerFolds.CountryComparison;
import org.quotaledger.audit.ProjectionConsistencyCheck.Discrepancy;
import org.quotaledger.audit.StoredEvents.Page;
import org.quotaledger.infra.InvalidRequestException;
import org.quotaledger.infra.RequestRejectedException.FieldProblem;
import org.quotaledger.policy.PolicyLibrary;
import org.quotaledger.policy.PolicyMessages.FindPolicy;
import org.quotaledger.policy.PolicyMessages.PolicyFound;
import org.quotaledger.policy.rules.IsoCountries;
import org.quotaledger.policy.rules.PolicyDocument;
import org.quotaledger.policy.rules.PolicyValidator;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

/** Auditors prove what the ledger said, when, and under which rules; and ask "what if". */
@RestController
@RequestMapping("/api/v1/audit")
class AuditController {

    /** {@code policyId} names an enacted or shipped policy; {@code policy} is a draft, never enacted. */
    record ReplayRequest(String policyId, PolicyDocument policy, Instant asOf, List<String> countries) {
    }

    record ReplayView(String id, String policyId, Instant asOf, ReplayJobs.State state, int countriesTotal,
                      int countriesDone, Instant startedAt, Long etaSeconds, Instant finishedAt, String error,
                      List<CountryComparison> results) {

        static ReplayView of(ReplayJobs.Job job, Instant now) {
            return new ReplayView(job.id(), job.policyId(), job.asOf(), job.state(), job.countries().size(), job.done(),
                    job.startedAt(), job.etaSeconds(now), job.finishedAt(), job.error(), job.results());
        }
    }

    record Verification(boolean intact, ChainReport chain, List<Discrepancy> projectionDiscrepancies) {
    }

    record BalancesAsOf(Instant asOf, List<BalanceAsOf> balances) {
    }

    private final StoredEvents storedEvents;
    private final LedgerFolds folds;
    private final ReplayJobs jobs;
    private final ChainVerifier chain;
    private final ProjectionConsistencyCheck projections;
    private final QueryGateway queries;
    private final PolicyLibrary library;
    private final Clock clock;

    AuditController(StoredEvents storedEvents, LedgerFolds folds, ReplayJobs jobs, ChainVerifier chain,
                    ProjectionConsistencyCheck projections, QueryGateway queries, PolicyLibrary library, Clock clock) {
        this.storedEvents = storedEvents;
        this.folds = folds;
        this.jobs = jobs;
        this.chain = chain;
        this.projections = projections;
        this.queries = queries;
        this.library = library;
        this.clock = clock;
    }

    /** A country's whole history in order, a page at a time: {@code after} is the last sequence number seen. */
    @GetMapping("/countries/{country}/events")
    ResponseEntity<?> events(@PathVariable String country, @RequestParam(defaultValue = "-1") @Min(-1) long after,
                             @RequestParam(defaultValue = "500") @Min(1) @Max(5000) int limit,
                             @RequestParam(defaultValue = "json") @Pattern(regexp = "json|csv") String format) {
        Page page = storedEvents.page(known(country), after, limit);
        if (format.equals("csv")) {
            return Csv.response(country + "-events.csv", Csv.events(page));
        }
        return ResponseEntity.ok(page);
    }

    /** Every country's balance as it stood at {@code asOf}, folded from the event store. */
    @GetMapping("/balances")
    BalancesAsOf balancesAsOf(@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant asOf) {
        Instant at = asOf == null ? clock.instant() : asOf;
        List<BalanceAsOf> balances = new ArrayList<>();
        for (String country : IsoCountries.all()) {
            BalanceAsOf balance = folds.balanceAsOf(country, at);
            if (balance != null) {
                balances.add(balance);
            }
        }
        return new BalancesAsOf(at, balances);
    }

    @GetMapping("/countries/{country}/balance")
    BalanceAsOf balanceAsOf(@PathVariable String country,
                            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant asOf) {
        Instant at = asOf == null ? clock.instant() : asOf;
        BalanceAsOf balance = folds.balanceAsOf(known(country), at);
        if (balance == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "the ledger of " + country + " was not open at " + at);
        }
        return balance;
    }

    /** Recomputes every hash chain and compares every projection with a fresh fold of the event store. */
    @GetMapping("/verify")
    Verification verify() {
        ChainReport report = chain.verify();
        List<Discrepancy> discrepancies = projections.check();
        return new Verification(report.intact() && discrepancies.isEmpty(), report, discrepancies);
    }

    /** Starts a what-if replay; poll the job it answers with. Nothing is written to the ledger. */
    @PostMapping("/replays")
    ResponseEntity<ReplayView> replay(@RequestBody ReplayRequest request) {
        PolicyDocument policy = policyOf(request);
        List<String> countries = request.countries() == null || request.countries().isEmpty()
                ? List.copyOf(IsoCountries.all()) : request.countries();
        List<FieldProblem> problems = new ArrayList<>();
        for (int i = 0; i < countries.size(); i++) {
            if (!IsoCountries.isKnown(countries.get(i))) {
                problems.add(new FieldProblem("countries[" + i + "]", "is not an ISO 3166-1 alpha-2 code"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        ReplayJobs.Job job = jobs.start(policy, request.asOf() == null ? clock.instant() : request.asOf(), countries);
        return ResponseEntity.accepted().location(URI.create("/api/v1/audit/replays/" + job.id())).body(view(job));
    }

    /** {@code results=false}: progress only, for polling (the results are null then). */
    @GetMapping("/replays/{jobId}")
    ReplayView replayJob(@PathVariable String jobId, @RequestParam(defaultValue = "true") boolean results) {
        return view(jobs.find(jobId, results).orElseThrow(() -> unknownJob(jobId)));
    }

    @GetMapping("/replays/{jobId}/balances.csv")
    ResponseEntity<String> replayBalances(@PathVariable String jobId) {
        return Csv.response("replay-" + jobId + "-balances.csv", Csv.replayBalances(job(jobId).results()));
    }

    @GetMapping("/replays/{jobId}/shipments.csv")
    ResponseEntity<String> replayShipments(@PathVariable String jobId) {
        return Csv.response("replay-" + jobId + "-shipments.csv", Csv.replayShipments(job(jobId).results()));
    }

    @DeleteMapping("/replays/{jobId}")
    ReplayView cancel(@PathVariable String jobId) {
        return view(jobs.cancel(jobId).orElseThrow(() -> unknownJob(jobId)));
    }

    private ReplayView view(ReplayJobs.Job job) {
        return ReplayView.of(job, clock.instant());
    }

    private ReplayJobs.Job job(String jobId) {
        return jobs.find(jobId).orElseThrow(() -> unknownJob(jobId));
    }

    private static ResponseStatusException unknownJob(String jobId) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "no replay job with that id");
    }

    private PolicyDocument policyOf(ReplayRequest request) {
        if ((request.policyId() == null) == (request.policy() == null)) {
            throw new InvalidRequestException(List.of(new FieldProblem("policyId",
                    "give either policyId (an enacted or shipped policy) or policy (a draft document), not both")));
        }
        if (request.policy() != null) {
            var problems = PolicyValidator.validate(request.policy(), null);
            if (!problems.isEmpty()) {
                throw new InvalidRequestException(problems.stream()
                        .map(p -> new FieldProblem("policy." + p.field(), p.message())).toList());
            }
            return request.policy();
        }
        PolicyDocument enacted = queries.query(new FindPolicy(request.policyId()), PolicyFound.class).join().document();
        return Objects.requireNonNullElseGet(enacted, () -> library.find(request.policyId()).orElseThrow(() ->
                new InvalidRequestException(List.of(new FieldProblem("policyId", "is neither enacted nor shipped")))));
    }

    private static String known(String country) {
        if (!IsoCountries.isKnown(country)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "unknown country code: use ISO 3166-1 alpha-2");
        }
        return country;
    }
}
