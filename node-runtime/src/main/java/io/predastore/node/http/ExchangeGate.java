package io.predastore.node.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Serves the HTTP exchanges of one connection one after another, in the order the requests arrived (RFC 9112
 * §9.3.2): the handlers after it are given a request only once the previous request has been read to its end
 * and its final response has been written whole. So nothing they write (an interim {@code 100 Continue}, an
 * early error, a streamed body) can land inside the answer to an earlier request, and answers cannot overtake
 * each other however long each takes.
 *
 * <p>It is the only handler that switches reading from the socket on and off ({@code autoRead}): reading stops
 * once the current request has ended and its answer is pending, so it holds no more than what the socket read
 * that was under way had already decoded, and at most {@value #MAX_HELD_REQUESTS} requests of it; the connection
 * of a client that pipelines more in one go is closed after the answers to those (RFC 9112 lets a client retry
 * what was not answered). A handler that needs the client to slow down in the middle of a body asks with
 * {@link #pauseBody()} and {@link #resumeBody()}.
 *
 * <p>Once a final response says {@code Connection: close}, the rest of the current request still reaches the
 * handlers (so they can drain it), and everything after it is dropped unread.
 *
 * <p>One per connection; every method runs on the channel's event loop.
 */
public final class ExchangeGate extends ChannelDuplexHandler {
    /** Pipelined requests held at most, beyond the one being served. */
    public static final int MAX_HELD_REQUESTS = 64;

    private final ArrayDeque<HttpObject> held = new ArrayDeque<>();
    private int heldRequests;
    private ChannelHandlerContext ctx;
    /** A request has been passed on and its exchange is not over. */
    private boolean inFlight;
    /** The last content of the request in flight has been passed on. */
    private boolean requestEnded;
    /** The final response to the request in flight has been written whole. */
    private boolean responseEnded;
    /** No request after the one in flight will be served (a closing response, or too many pipelined). */
    private boolean noMoreRequests;
    /** Everything read from now on is dropped. */
    private boolean dropping;
    /** This gate added {@code Connection: close} to the last response and closes once it is written. */
    private boolean closeAfterExchange;
    private boolean bodyPaused;
    private boolean draining;
    private boolean reading = true;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Stops reading from the socket until {@link #resumeBody()}: the handler has as much body as it can hold. */
    public void pauseBody() {
        bodyPaused = true;
        updateReading();
    }

    /** Lets reading resume after {@link #pauseBody()}. */
    public void resumeBody() {
        bodyPaused = false;
        updateReading();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpObject http)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (dropping) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest) {
            if (noMoreRequests || heldRequests == MAX_HELD_REQUESTS) {
                // The requests already taken are answered; this one and all after it are dropped unread.
                noMoreRequests = true;
                dropping = true;
                ReferenceCountUtil.release(msg);
                updateReading();
                return;
            }
            heldRequests++;
        }
        held.add(http);
        drain();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean interim = msg instanceof HttpResponse r && r.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        if (!interim && msg instanceof HttpResponse response && inFlight) {
            if (noMoreRequests && heldRequests == 0 && HttpUtil.isKeepAlive(response)) {
                // The last request this connection will serve: say so, and close once it is answered.
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                closeAfterExchange = true;
            }
            if (!HttpUtil.isKeepAlive(response)) {
                closing();
            }
        }
        if (!interim && msg instanceof LastHttpContent && inFlight) {
            ChannelPromise p = promise.unvoid();
            p.addListener(f -> {
                if (f.isSuccess()) {
                    responseEnded = true;
                    drain();
                } else {
                    ctx.close();
                }
            });
            ctx.write(msg, p);
            return;
        }
        ctx.write(msg, promise);
    }

    /** A final response closes the connection: nothing after the request in flight will be served. */
    private void closing() {
        noMoreRequests = true;
        if (!held.isEmpty()) {
            // Held messages all belong to later requests (the one in flight had ended before any was held).
            releaseHeld();
            dropping = true;
        }
        updateReading();
    }

    /**
     * Ends the exchange in flight once both its request and its response are complete, then passes on held
     * messages until the next request has been read whole or nothing is held.
     */
    private void drain() {
        if (draining) {
            // Called back from inside the loop below (a response completed as a message was passed on); the loop
            // looks at the state again after each message.
            return;
        }
        draining = true;
        try {
            while (true) {
                if (inFlight && requestEnded && responseEnded) {
                    inFlight = false;
                    if (closeAfterExchange) {
                        releaseHeld();
                        dropping = true;
                        ctx.close();
                        return;
                    }
                }
                if (held.isEmpty() || (inFlight && requestEnded)) {
                    break;
                }
                pass(held.poll());
            }
        } finally {
            draining = false;
        }
        updateReading();
    }

    private void pass(HttpObject msg) {
        if (msg instanceof HttpRequest) {
            heldRequests--;
            inFlight = true;
            // After a malformed head the decoder drops everything, so no last content will end this request.
            requestEnded = msg.decoderResult().isFailure();
            responseEnded = false;
            bodyPaused = false;
        }
        if (msg instanceof LastHttpContent) {
            requestEnded = true;
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * Reads while the request in flight still has body to come (unless the handler paused it), or while
     * waiting for the next request; never while anything is held or an answer is pending.
     */
    private void updateReading() {
        boolean want;
        if (dropping || !held.isEmpty() || bodyPaused) {
            want = false;
        } else if (inFlight) {
            want = !requestEnded;
        } else {
            want = !noMoreRequests;
        }
        if (want != reading) {
            reading = want;
            // Turning autoRead on also asks the channel for a read.
            ctx.channel().config().setAutoRead(want);
        }
    }

    private void releaseHeld() {
        HttpObject m;
        while ((m = held.poll()) != null) {
            ReferenceCountUtil.release(m);
        }
        heldRequests = 0;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releaseHeld();
        dropping = true;
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseHeld();
    }
}
