package org.quotaledger.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void percentilesAreNearestRankAndTheSlowestKeepTheirPlaces() {
        Latencies latencies = new Latencies();
        for (int i = 1; i <= 100; i++) {
            latencies.add(i == 7 ? 90_000_000L : i * 100_000L); // the 7th took 90 ms, the others 0.1-10 ms
        }
        assertThat(latencies.percentileMillis(50)).isEqualTo(5.1); // the 50th of 0.1..10.0 without 0.7, plus 90
        assertThat(latencies.percentileMillis(99)).isEqualTo(10.0);
        assertThat(latencies.percentileMillis(100)).isEqualTo(90.0);
        assertThat(latencies.slowest(3)).isEqualTo("90.0 ms (#7), 10.0 ms (#100), 9.9 ms (#99)");
        assertThat(new Latencies().slowest(3)).isEmpty();
    }
}
