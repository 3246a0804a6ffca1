package org.quotaledger.policy.rules;

/** The rules' verdict on one shipment: a value, never an exception. */
public sealed interface Assessment {

    /** The policy that decided, or null when no enacted policy was in force on the ship date. */
    String policyId();

    /**
     * @param debitTpp  what the shipment takes from the cap (0 unless {@link Classification#COUNTED})
     * @param beyondCap set only in replays: the shipment was recorded but the policy now puts it
     *                  past the cap. It stays recorded; the flag is the record of it.
     */
    record Accepted(Classification classification, String policyId, long debitTpp, boolean beyondCap)
            implements Assessment {
    }

    record Denied(DenialReason reason, String policyId, String detail) implements Assessment {
    }
}
