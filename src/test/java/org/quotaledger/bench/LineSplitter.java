package org.quotaledger.bench;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Flow;

/**
 * Splits a response body into lines for a line subscriber, in one pass over its bytes. The JDK's
 * {@code BodyHandlers.fromLineSubscriber} rescans a line from its start as each chunk of it arrives:
 * a balance stream's snapshot is one line of all 249 balances, and 500 subscribers' snapshots kept
 * the suite's client threads busy for up to minutes (seen in thread dumps while the suite waited
 * for them), so the stream figure measured its own client.
 */
final class LineSplitter implements Flow.Subscriber<List<ByteBuffer>> {

    private final Flow.Subscriber<String> lines;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineSplitter(Flow.Subscriber<String> lines) {
        this.lines = lines;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        lines.onSubscribe(subscription);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        for (ByteBuffer buffer : buffers) {
            while (buffer.hasRemaining()) {
                byte next = buffer.get();
                if (next == '\n') {
                    emit();
                } else {
                    line.write(next);
                }
            }
        }
    }

    private void emit() {
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        line.reset();
        lines.onNext(new String(bytes, 0, length, StandardCharsets.UTF_8));
    }

    @Override
    public void onError(Throwable failure) {
        lines.onError(failure);
    }

    @Override
    public void onComplete() {
        if (line.size() > 0) {
            emit();
        }
        lines.onComplete();
    }
}
