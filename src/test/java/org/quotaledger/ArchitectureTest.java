package org.quotaledger;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The structure that matters, enforced rather than hoped for. */
@AnalyzeClasses(packages = "org.quotaledger", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** One rules engine, callable from the aggregate, the replays and the checks alike. */
    @ArchTest
    static final ArchRule theRulesEngineIsPlainJava = noClasses().that().resideInAPackage("..policy.rules..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.axonframework..",
                    "jakarta..", "com.fasterxml..", "org.quotaledger.quota..", "org.quotaledger.balance..",
                    "org.quotaledger.infra..");

    @ArchTest
    static final ArchRule featurePackagesDoNotDependOnEachOtherInCycles = slices()
            .matching("org.quotaledger.(*)..").should().beFreeOfCycles();

    /**
     * The command-line client is a client like any other: it knows the ledger only through its
     * HTTP API, and runs without Spring or Axon (ops/ledger starts it from the service's jar).
     */
    @ArchTest
    static final ArchRule theCommandLineClientTalksHttpOnly = noClasses().that().resideInAPackage("org.quotaledger.cli..")
            .should().dependOnClassesThat(resideInAPackage("org.quotaledger..")
                    .and(not(resideInAPackage("org.quotaledger.cli.."))))
            .orShould().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.axonframework..",
                    "jakarta..");

    @ArchTest
    static final ArchRule theServiceDoesNotDependOnItsClient = noClasses().that().resideOutsideOfPackage("org.quotaledger.cli..")
            .should().dependOnClassesThat().resideInAPackage("org.quotaledger.cli..");

    /** Aggregates decide; projections answer: no aggregate reaches into a read model. */
    @ArchTest
    static final ArchRule aggregatesDoNotReadProjections = noClasses().that()
            .areAnnotatedWith(org.axonframework.spring.stereotype.Aggregate.class)
            .should().dependOnClassesThat().resideInAnyPackage("org.quotaledger.balance..", "org.quotaledger.audit..",
                    "org.springframework.jdbc..");

    /**
     * Spring MVC checks a controller's parameter constraints itself, as a 400 naming the parameter
     * (ApiExceptionHandler). A class-level {@code @Validated} hands that to an AOP proxy instead,
     * whose ConstraintViolationException answered 500, and which validated every body twice.
     */
    @ArchTest
    static final ArchRule controllersLeaveParameterChecksToSpringMvc = noClasses().that()
            .areAnnotatedWith(org.springframework.web.bind.annotation.RestController.class)
            .or().areAnnotatedWith(org.springframework.stereotype.Controller.class)
            .should().beAnnotatedWith(org.springframework.validation.annotation.Validated.class);
}
