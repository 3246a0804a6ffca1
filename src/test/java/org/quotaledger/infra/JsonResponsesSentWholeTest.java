package org.quotaledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * What the filter does with a flush, on Spring's mock response (which commits when flushed): a
 * JSON body's flushes, of the stream and of the buffer, are held; any other type's go through.
 */
class JsonResponsesSentWholeTest {

    @Test
    void aJsonBodysFlushesAreHeldSoTheResponseIsNotCommittedBeforeItEnds() throws Exception {
        for (String json : new String[] {"application/json", "application/problem+json;charset=UTF-8"}) {
            MockHttpServletResponse response = writtenAndFlushed(json);
            assertThat(response.isCommitted()).as(json).isFalse();
            assertThat(response.getContentAsString()).isEqualTo("{\"a\":1}");
        }
    }

    @Test
    void anyOtherBodyIsFlushedAsAsked() throws Exception {
        for (String other : new String[] {"text/event-stream", "application/x-ndjson", "text/csv", "application/jsonx"}) {
            assertThat(writtenAndFlushed(other).isCommitted()).as(other).isTrue();
        }
    }

    /** A body written through the filter, then its stream flushed and its buffer flushed, as Spring's converters may. */
    private static MockHttpServletResponse writtenAndFlushed(String contentType) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        new JsonResponsesSentWhole().doFilter(new MockHttpServletRequest("GET", "/api/v1/balances/OM"), response,
                (request, wrapped) -> {
                    wrapped.setContentType(contentType);
                    var out = wrapped.getOutputStream();
                    out.write("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    wrapped.flushBuffer();
                });
        return response;
    }
}
