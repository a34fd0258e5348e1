package org.asynctask.exporter.simulator;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/** Injects the wire faults ({@link FaultKind#wire}) in front of one provider's simulator. */
final class FaultFilter extends Filter {
    private static final byte[] CUT_JSON =
            "{\"RequestId\":\"7d5c-cut\",\"data\":[{\"id\":\"a1\",\"status\":\"Runn".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PROXY_PAGE =
            "<html><head><title>502 Bad Gateway</title></head><body>502 Bad Gateway</body></html>"
                    .getBytes(StandardCharsets.UTF_8);

    private final String provider;
    private final Faults faults;
    private final ErrorAnswers answers;
    private final AtomicLong malformed = new AtomicLong();
    private final RequestLog requests;

    FaultFilter(String provider, Faults faults, ErrorAnswers answers, RequestLog requests) {
        this.provider = provider;
        this.faults = faults;
        this.answers = answers;
        this.requests = requests;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        requests.record(provider);
        FaultKind fault = faults.wireFault(provider);
        if (fault == null) {
            chain.doFilter(exchange);
            return;
        }
        try {
            switch (fault) {
                case SERVER_ERROR -> answers.refuse(exchange, answers.serverError());
                case THROTTLE -> answers.refuse(exchange, answers.throttled(faults.retryAfterSeconds()));
                case SLOW -> {
                    sleep();
                    chain.doFilter(exchange);
                }
                case RESET -> {
                    // Closing before any response is sent drops the connection: the client gets no answer.
                }
                case TRUNCATED -> {
                    exchange.setStreams(null, new HalfBody(exchange.getResponseBody()));
                    chain.doFilter(exchange);
                }
                case MALFORMED -> {
                    boolean html = malformed.incrementAndGet() % 2 == 0;
                    byte[] body = html ? PROXY_PAGE : CUT_JSON;
                    exchange.getResponseHeaders().set("Content-Type", html ? "text/html" : "application/json");
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                }
                default -> throw new IllegalStateException("not a wire fault: " + fault);
            }
        } finally {
            exchange.close();
        }
    }

    private void sleep() {
        try {
            Thread.sleep(faults.slow().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String description() {
        return "fault injection for " + provider;
    }

    /**
     * Lets only the first half of the body through (the headers promised all of it), then fails: the
     * server drops the connection at once, so the client sees a premature end of the body.
     */
    private static final class HalfBody extends FilterOutputStream {
        HalfBody(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len / 2);
            out.flush();
            throw new IOException("fault injection: body cut after " + len / 2 + " bytes");
        }

        @Override
        public void write(int b) throws IOException {
            throw new IOException("fault injection: body cut");
        }

        @Override
        public void close() {
            // The real stream stays short: the dropped connection is the fault.
        }
    }
}
