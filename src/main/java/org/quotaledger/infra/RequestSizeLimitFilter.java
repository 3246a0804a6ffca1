package org.quotaledger.infra;

import java.io.IOException;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Refuses request bodies over the limit with 413, whether they announce their length or stream
 * it in chunks, before any of it is parsed. A bulk import's file has a larger limit of its own;
 * it is streamed to disk, never parsed whole.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestSizeLimitFilter extends OncePerRequestFilter {

    /** Thrown while reading a chunked body that grows past the limit. */
    static class BodyTooLargeException extends IOException {
        BodyTooLargeException(long limit) {
            super("request body is larger than " + limit + " bytes");
        }
    }

    /** The bulk import's path, which takes files of up to {@code quota-ledger.max-import-bytes}. */
    static final String IMPORT_PATH = "/api/v1/shipments/batch";

    private final long maxBytes;
    private final long maxImportBytes;

    RequestSizeLimitFilter(@Value("${quota-ledger.max-request-bytes:1048576}") long maxBytes,
                           @Value("${quota-ledger.max-import-bytes:67108864}") long maxImportBytes) {
        this.maxBytes = maxBytes;
        this.maxImportBytes = maxImportBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = "POST".equals(request.getMethod()) && IMPORT_PATH.equals(request.getRequestURI())
                ? maxImportBytes : maxBytes;
        if (request.getContentLengthLong() > limit) {
            reject(response, limit);
            return;
        }
        chain.doFilter(new LimitedRequest(request, limit), response);
    }

    private void reject(HttpServletResponse response, long maxBytes) throws IOException {
        response.setStatus(HttpStatus.PAYLOAD_TOO_LARGE.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Payload Too Large\",\"status\":413,"
                + "\"detail\":\"request body is larger than " + maxBytes + " bytes\"}");
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {
        private final long limit;

        LimitedRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            ServletInputStream in = super.getInputStream();
            return new ServletInputStream() {
                private long read;

                @Override
                public int read() throws IOException {
                    int b = in.read();
                    if (b >= 0 && ++read > limit) {
                        throw new BodyTooLargeException(limit);
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = in.read(buffer, offset, length);
                    if (n > 0 && (read += n) > limit) {
                        throw new BodyTooLargeException(limit);
                    }
                    return n;
                }

                @Override
                public boolean isFinished() {
                    return in.isFinished();
                }

                @Override
                public boolean isReady() {
                    return in.isReady();
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    in.setReadListener(listener);
                }
            };
        }
    }
}
