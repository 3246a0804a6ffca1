package org.quotaledger.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.quotaledger.policy.rules.TestPolicies.JAN_13_2025;
import static org.quotaledger.policy.rules.TestPolicies.capped;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quotaledger.policy.PolicyMessages.PolicyEnacted;
import org.quotaledger.policy.rules.IsoCountries;
import org.quotaledger.quota.QuotaCommands.ApplyPolicy;

/** The fan-out sends every country its own command, from threads of its own, and fails whole if one country fails. */
class PolicyFanOutTest {

    private static final PolicyEnacted ENACTED = new PolicyEnacted(capped("p1", JAN_13_2025, 1_000_000, null), 1,
            Instant.parse("2025-01-13T00:00:00Z"));

    private final CommandGateway commands = mock(CommandGateway.class);
    private final Set<String> applied = ConcurrentHashMap.newKeySet();
    private final Set<String> senders = ConcurrentHashMap.newKeySet();
    private final PolicyFanOut fanOut = new PolicyFanOut(commands, 2);

    @AfterEach
    void stop() {
        fanOut.stop();
    }

    @Test
    void everyCountryIsSentItsRulesFromTheSenderThreads() throws Exception {
        answerEachCountry(null);

        fanOut.on(ENACTED);

        assertThat(applied).isEqualTo(IsoCountries.all());
        assertThat(senders).isNotEmpty().allMatch(name -> name.startsWith("policy-fanout-commands-"))
                .hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void oneCountrysFailureFailsTheFanOutOnceEveryOtherCountryIsDone() {
        answerEachCountry("AE");

        assertThatThrownBy(() -> fanOut.on(ENACTED)).isInstanceOf(IllegalStateException.class)
                .hasMessage("AE refused");
        assertThat(applied).as("the other countries were not abandoned midway, so a retry finds them applied")
                .hasSize(IsoCountries.all().size() - 1).doesNotContain("AE");
    }

    @Test
    void aFanOutNeedsAThread() {
        assertThatThrownBy(() -> new PolicyFanOut(commands, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("quota-ledger.policy.fan-out-threads must be at least 1, not 0");
    }

    private void answerEachCountry(String failing) {
        doAnswer(invocation -> {
            ApplyPolicy apply = (ApplyPolicy) ((CommandMessage<?>) invocation.getArgument(0)).getPayload();
            assertThat(apply.rules().policyId()).isEqualTo("p1");
            senders.add(Thread.currentThread().getName());
            if (apply.country().equals(failing)) {
                throw new IllegalStateException(failing + " refused");
            }
            applied.add(apply.country());
            return null;
        }).when(commands).sendAndWait(any());
    }
}
