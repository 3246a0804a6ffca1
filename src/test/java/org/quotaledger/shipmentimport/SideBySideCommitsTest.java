package org.quotaledger.shipmentimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class SideBySideCommitsTest {

    @Test
    void partsAreConsecutiveRunsOfNearlyEqualSizeThatKeepTheOrder() {
        List<String> countries = List.of("AE", "BR", "IN", "MX", "SA");

        assertThat(SideBySideCommits.split(countries, 2)).containsExactly(List.of("AE", "BR"), List.of("IN", "MX", "SA"));
        assertThat(SideBySideCommits.split(countries, 3)).containsExactly(List.of("AE"), List.of("BR", "IN"), List.of("MX", "SA"));
        assertThat(SideBySideCommits.split(countries, 1)).containsExactly(countries);
    }

    @Test
    void fewerCountriesThanPartsMakeOnePartEach() {
        assertThat(SideBySideCommits.split(List.of("AE", "BR"), 4)).containsExactly(List.of("AE"), List.of("BR"));
        assertThat(SideBySideCommits.split(List.of("AE"), 2)).containsExactly(List.of("AE"));
    }
}
