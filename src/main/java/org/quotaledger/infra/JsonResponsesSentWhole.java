package org.quotaledger.infra;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Sends a JSON answer in one write, with its length, rather than in chunks. Spring's message
 * converters flush the response as soon as they have written a body; flushed before the request
 * ends, Tomcat commits it without knowing its length, so every JSON answer went out chunked, in two
 * socket writes (the body, then the closing chunk). Here a flush of a JSON body is held back:
 * Tomcat sends the body when the request ends, with {@code Content-Length}, if it fits its
 * buffer (8 KiB by default; a bigger body goes out in chunks as the buffer fills, as before).
 * Anything else (the balance stream's events, CSV and NDJSON downloads) is flushed as asked.
 * Measured in the seventeenth round of docs/benchmarks.md.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class JsonResponsesSentWhole extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(request, new JsonFlushesHeld(response));
    }

    /** Whether the response's content type is JSON: {@code application/json} or a {@code +json} type such as problem details. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.getType().equals("application")
                    && (type.getSubtype().equals("json") || "json".equals(type.getSubtypeSuffix()));
        } catch (InvalidMediaTypeException unreadable) {
            return false;
        }
    }

    private static final class JsonFlushesHeld extends HttpServletResponseWrapper {

        private ServletOutputStream stream;

        JsonFlushesHeld(HttpServletResponse response) {
            super(response);
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (stream == null) {
                stream = new FlushHeldWhileJson(super.getOutputStream(), this);
            }
            return stream;
        }

        @Override
        public void flushBuffer() throws IOException {
            if (!isJson(getContentType())) {
                super.flushBuffer();
            }
        }
    }

    private static final class FlushHeldWhileJson extends ServletOutputStream {

        private final ServletOutputStream out;
        private final HttpServletResponse response;

        FlushHeldWhileJson(ServletOutputStream out, HttpServletResponse response) {
            this.out = out;
            this.response = response;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            if (!isJson(response.getContentType())) {
                out.flush();
            }
        }

        @Override
        public void close() throws IOException {
            out.close();
        }

        @Override
        public boolean isReady() {
            return out.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            out.setWriteListener(listener);
        }
    }
}
