package org.quotaledger.security;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A token bucket per principal (per client address for anonymous calls). Over the limit:
 * 429 with Retry-After, and the request goes no further.
 *
 * <p>Buckets that have refilled to capacity are swept away now and then: a full bucket is what a
 * new one would be, so forgetting it changes no answer, and the map cannot grow with every address
 * that ever called.
 */
@Component
class RateLimitFilter extends OncePerRequestFilter {

    private final SecuritySettings.RateLimit limit;
    static final int SWEEP_EVERY = 4096;

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();

    RateLimitFilter(SecuritySettings settings) {
        this.limit = settings.rateLimit();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (requests.incrementAndGet() % SWEEP_EVERY == 0) {
            sweep();
        }
        ConsumptionProbe probe = buckets.computeIfAbsent(keyOf(request), key -> newBucket()).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            chain.doFilter(request, response);
            return;
        }
        long seconds = Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds() + 1);
        response.setHeader("Retry-After", Long.toString(seconds));
        ProblemAuthenticationEntryPoint.write(response, HttpStatus.TOO_MANY_REQUESTS,
                "rate limit of " + limit.perSecond() + " requests per second exceeded; retry after " + seconds + " s");
    }

    /** Forgets every bucket that is full again. */
    void sweep() {
        buckets.values().removeIf(bucket -> bucket.getAvailableTokens() >= limit.capacity());
    }

    int bucketCount() {
        return buckets.size();
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(limit.capacity())
                        .refillGreedy(limit.perSecond(), Duration.ofSeconds(1)).build())
                .build();
    }

    private static String keyOf(HttpServletRequest request) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.isAuthenticated() && !"anonymousUser".equals(authentication.getName())) {
            return "principal:" + authentication.getName();
        }
        return "address:" + request.getRemoteAddr();
    }
}
