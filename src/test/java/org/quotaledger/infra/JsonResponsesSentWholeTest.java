package org.quotaledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonResponsesSentWholeTest {

    @Test
    void jsonAndJsonSuffixedTypesAreHeldAndEverythingElseIsFlushed() {
        assertThat(JsonResponsesSentWhole.isJson("application/json")).isTrue();
        assertThat(JsonResponsesSentWhole.isJson("application/json;charset=UTF-8")).isTrue();
        assertThat(JsonResponsesSentWhole.isJson("Application/Problem+JSON")).isTrue();
        assertThat(JsonResponsesSentWhole.isJson("text/event-stream")).isFalse();
        assertThat(JsonResponsesSentWhole.isJson("application/x-ndjson")).isFalse();
        assertThat(JsonResponsesSentWhole.isJson("text/csv")).isFalse();
        assertThat(JsonResponsesSentWhole.isJson(null)).isFalse();
    }
}
