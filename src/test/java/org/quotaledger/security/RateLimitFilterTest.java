package org.quotaledger.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class RateLimitFilterTest {

    private static RateLimitFilter filter(long capacity, long perSecond) {
        return new RateLimitFilter(new SecuritySettings(List.of(), null, new SecuritySettings.RateLimit(capacity, perSecond)));
    }

    private static int call(RateLimitFilter filter, String address) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/balances");
        request.setRemoteAddr(address);
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());
        return response.getStatus();
    }

    @Test
    void bucketsThatRefilledAreForgottenAndOnesStillDrainedAreKept() throws Exception {
        RateLimitFilter filter = filter(3, 1_000_000);
        for (int i = 0; i < 50; i++) {
            assertThat(call(filter, "10.0.0." + i)).isEqualTo(200);
        }
        Thread.sleep(5);

        filter.sweep();

        assertThat(filter.bucketCount()).isZero();
    }

    @Test
    void aDrainedBucketSurvivesTheSweepSoTheLimitStillHolds() throws Exception {
        RateLimitFilter filter = filter(2, 1);
        assertThat(call(filter, "10.0.0.1")).isEqualTo(200);
        assertThat(call(filter, "10.0.0.1")).isEqualTo(200);

        filter.sweep();

        assertThat(filter.bucketCount()).isEqualTo(1);
        assertThat(call(filter, "10.0.0.1")).isEqualTo(429);
    }
}
