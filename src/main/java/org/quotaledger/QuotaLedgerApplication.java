package org.quotaledger;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class QuotaLedgerApplication {

    /** Axon's update checker posts usage data to its vendor; an export-control ledger must not. */
    public static final String UPDATE_CHECKER_DISABLED = "axoniq.update-checker.disabled";

    public static void main(String[] args) {
        disableUpdateChecker();
        SpringApplication.run(QuotaLedgerApplication.class, args);
    }

    public static void disableUpdateChecker() {
        System.setProperty(UPDATE_CHECKER_DISABLED, "true");
    }
}
