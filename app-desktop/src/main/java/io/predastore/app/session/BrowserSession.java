package io.predastore.app.session;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Which node's S3 endpoint the bucket browser uses, and when it moves to another. A session is either
 * <em>supervised</em> (this app runs the nodes: the browser stays on its node while the node runs, otherwise moves to
 * the first running node) or <em>remote</em> (connected by endpoint: it starts on the first member and moves to the
 * first reachable node only when the admin poll says its node stopped answering).
 *
 * <p>Opening a client takes time (the SDK reads the AWS profile files), so a move yields a {@link Connection} that the
 * caller opens in the background and hands back to {@link #opened}. Every choice bumps the session's generation;
 * a client that arrives for an older generation is discarded, so only the newest choice ever reaches the browser.
 * The client it replaces is retired (closed once its running transfers finish), never closed under them.
 *
 * <p>Not thread-safe: the app calls it on the FX thread only. It holds no JavaFX types.
 *
 * @param <S> the S3 client type
 */
public final class BrowserSession<S> {
    /** Where the session takes its nodes from. */
    public enum Mode {
        /** No cluster open yet: no node is chosen. */
        NONE,
        /** Nodes this app runs; a node counts while its process runs. */
        SUPERVISED,
        /** Nodes reached by endpoint; a node counts until the admin poll finds it unreachable. */
        REMOTE
    }

    /**
     * One choice of node: open the client with {@link #open()} off the UI thread, then pass it to
     * {@link BrowserSession#opened}.
     *
     * @param nodeId     the node the browser moves to
     * @param generation the session's generation when the node was chosen
     */
    public record Connection<S>(int nodeId, long generation, Callable<S> opener) {
        public Connection {
            Objects.requireNonNull(opener);
        }

        /** Opens the client (blocking). */
        public S open() throws Exception {
            return opener.call();
        }
    }

    private final Consumer<? super S> show;
    private final Consumer<? super S> retire;
    private final Consumer<? super S> discard;
    private Mode mode = Mode.NONE;
    private IntFunction<? extends S> connector;
    private Integer node;
    private long generation;
    private S current;

    /**
     * @param show    gives the browser its new client
     * @param retire  closes a replaced client once its transfers finish
     * @param discard closes a client that arrived too late to be used
     */
    public BrowserSession(Consumer<? super S> show, Consumer<? super S> retire, Consumer<? super S> discard) {
        this.show = Objects.requireNonNull(show);
        this.retire = Objects.requireNonNull(retire);
        this.discard = Objects.requireNonNull(discard);
    }

    /**
     * A cluster this app runs was opened: forgets the node chosen for any earlier cluster, so the next report of
     * running nodes picks one of this cluster's. {@code connector} opens a client for one of its nodes.
     */
    public void supervise(IntFunction<? extends S> connector) {
        this.connector = Objects.requireNonNull(connector);
        mode = Mode.SUPERVISED;
        node = null;
        generation++;
    }

    /**
     * Connected by endpoint to a cluster whose members are {@code members} (in the order to try them): the browser
     * starts on the first.
     *
     * @throws IllegalArgumentException if there are no members
     */
    public Connection<S> watch(List<Integer> members, IntFunction<? extends S> connector) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a remote cluster without members has no S3 endpoint to browse");
        }
        this.connector = Objects.requireNonNull(connector);
        mode = Mode.REMOTE;
        return choose(members.get(0));
    }

    /**
     * The supervised nodes whose processes run now, in the order to try them: keeps the browser's node while it
     * runs, otherwise moves to the first running node. Ignored unless the session is supervised.
     */
    public Optional<Connection<S>> running(List<Integer> runningNodes) {
        if (mode != Mode.SUPERVISED || (node != null && runningNodes.contains(node))) {
            return Optional.empty();
        }
        return runningNodes.stream().findFirst().map(this::choose);
    }

    /**
     * The admin poll of a remote cluster: if the browser's node is among the {@code unreachable}, moves to the first
     * of {@code reachable} (if any). Ignored unless the session is remote.
     */
    public Optional<Connection<S>> polled(List<Integer> reachable, Collection<Integer> unreachable) {
        if (mode != Mode.REMOTE || node == null || !unreachable.contains(node)) {
            return Optional.empty();
        }
        return reachable.stream().findFirst().map(this::choose);
    }

    /**
     * The client for {@code connection} is open: the browser uses it if it is still the newest choice (retiring the
     * one it replaces); otherwise it is discarded. Returns whether it is used.
     */
    public boolean opened(Connection<S> connection, S client) {
        Objects.requireNonNull(client);
        if (connection.generation() != generation) {
            discard.accept(client);
            return false;
        }
        S old = current;
        current = client;
        show.accept(client);
        if (old != null && old != client) {
            retire.accept(old);
        }
        return true;
    }

    /** Ends the session: returns the client in use (for the caller to close), if any; later clients are discarded. */
    public Optional<S> close() {
        mode = Mode.NONE;
        node = null;
        generation++;
        S c = current;
        current = null;
        return Optional.ofNullable(c);
    }

    public Mode mode() {
        return mode;
    }

    /** The node the browser uses or is moving to, if one was chosen. */
    public Optional<Integer> node() {
        return Optional.ofNullable(node);
    }

    /** Bumped by every choice; a client opened for an older generation is never used. */
    public long generation() {
        return generation;
    }

    /** The client the browser uses now, if any. */
    public Optional<S> current() {
        return Optional.ofNullable(current);
    }

    private Connection<S> choose(int nodeId) {
        node = nodeId;
        long g = ++generation;
        IntFunction<? extends S> c = connector;
        return new Connection<>(nodeId, g, () -> c.apply(nodeId));
    }
}
