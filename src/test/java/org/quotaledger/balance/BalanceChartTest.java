package org.quotaledger.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.quotaledger.balance.HistoryMessages.BalancePoint;
import org.quotaledger.balance.HistoryMessages.Cause;
import org.quotaledger.policy.rules.BalanceStatus;

class BalanceChartTest {

    private static final Instant T0 = Instant.parse("2025-01-15T00:00:00Z");

    private static BalancePoint point(long sequence, Long cap, long consumed, Instant at) {
        return new BalancePoint(sequence, Cause.RECORDED, "S-" + sequence, "p", cap, consumed,
                cap == null ? null : cap - consumed, BalanceStatus.OPEN, at);
    }

    /** The path's coordinates, in order. */
    private static List<double[]> coordinates(String path) {
        List<double[]> found = new ArrayList<>();
        Matcher matcher = Pattern.compile("[ML]([0-9.]+) ([0-9.]+)").matcher(path);
        while (matcher.find()) {
            found.add(new double[] {Double.parseDouble(matcher.group(1)), Double.parseDouble(matcher.group(2))});
        }
        return found;
    }

    @Test
    void aBalanceIsAStepLineThatHoldsUntilTheNextChangeAndRisesWithConsumption() {
        BalanceChart chart = BalanceChart.of("OM", List.of(point(0, 1000L, 0, T0), point(1, 1000L, 500, T0.plusSeconds(60)),
                point(2, 1000L, 250, T0.plusSeconds(120))), T0.plusSeconds(120));

        List<double[]> consumed = coordinates(chart.consumedPath());
        assertThat(consumed).hasSize(6);
        assertThat(consumed.get(0)[0]).isEqualTo(chart.plotLeft());
        assertThat(consumed.get(1)[1]).as("held level until the next point").isEqualTo(consumed.get(0)[1]);
        assertThat(consumed.get(2)[1]).as("more consumed is higher up").isLessThan(consumed.get(0)[1]);
        assertThat(consumed.get(4)[1]).isBetween(consumed.get(2)[1], consumed.get(0)[1]);
        assertThat(consumed.get(5)[0]).as("the latest balance holds to the right edge").isEqualTo(chart.plotRight());
        assertThat(consumed.get(0)[1]).isEqualTo(chart.plotBottom());
        assertThat(chart.capPath()).startsWith("M");
        assertThat(coordinates(chart.capPath())).allSatisfy(xy -> assertThat(xy[1]).isLessThan(consumed.get(2)[1]));
        assertThat(chart.description()).isEqualTo(
                "OM: consumed TPP over time, 3 points from 2025-01-15 00:00 to 2025-01-15 00:02; now 250 TPP of a 1,000 TPP cap");
        assertThat(chart.ticks()).hasSize(5).first().extracting(BalanceChart.Tick::label).isEqualTo("0");
    }

    @Test
    void theTimeAxisRunsToNowSoTheLatestBalanceIsSeenHolding() {
        BalanceChart chart = BalanceChart.of("OM", List.of(point(0, 1000L, 0, T0), point(1, 1000L, 500, T0.plusSeconds(60))),
                T0.plusSeconds(120));

        List<double[]> consumed = coordinates(chart.consumedPath());
        double middle = (chart.plotLeft() + chart.plotRight()) / 2.0;
        assertThat(consumed.get(2)[0]).as("the shipment, half way to now").isCloseTo(middle, offset(0.11));
        assertThat(consumed.get(3)[0]).isEqualTo(chart.plotRight());
        assertThat(chart.to()).isEqualTo("2025-01-15 00:02");
    }

    @Test
    void timeNeverRunsBackwardsOnTheChart() {
        // a policy reaches a country at its enactment time, which may precede a shipment recorded before it
        BalanceChart chart = BalanceChart.of("OM", List.of(point(0, 1000L, 0, T0), point(1, 1000L, 500, T0.plusSeconds(120)),
                point(2, 1000L, 500, T0.plusSeconds(60)), point(3, 1000L, 700, T0.plusSeconds(180))), T0.plusSeconds(180));

        List<double[]> consumed = coordinates(chart.consumedPath());
        for (int i = 1; i < consumed.size(); i++) {
            assertThat(consumed.get(i)[0]).isGreaterThanOrEqualTo(consumed.get(i - 1)[0]);
        }
    }

    @Test
    void anUncappedStretchHasNoCapLine() {
        BalanceChart chart = BalanceChart.of("AE", List.of(point(0, 1000L, 0, T0), point(1, null, 0, T0.plusSeconds(60)),
                point(2, 2000L, 0, T0.plusSeconds(120))), T0.plusSeconds(120));

        assertThat(chart.capPath()).as("two separate cap segments").matches("M[^M]+ M[^M]+");
        assertThat(chart.description()).endsWith("of a 2,000 TPP cap");
    }

    @Test
    void pointsAtTheSameInstantAreSpreadEvenly() {
        BalanceChart chart = BalanceChart.of("OM", List.of(point(0, 1000L, 0, T0), point(1, 1000L, 100, T0),
                point(2, 1000L, 200, T0)), T0);

        List<double[]> consumed = coordinates(chart.consumedPath());
        assertThat(consumed.get(2)[0] - consumed.get(0)[0]).isCloseTo(consumed.get(4)[0] - consumed.get(2)[0],
                offset(0.11));
    }

    @Test
    void noHistoryDrawsNothing() {
        BalanceChart chart = BalanceChart.of("OM", List.of(), T0);

        assertThat(chart.empty()).isTrue();
        assertThat(chart.description()).isEqualTo("OM: no balance recorded yet");
    }
}
