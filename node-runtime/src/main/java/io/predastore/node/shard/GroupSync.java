package io.predastore.node.shard;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Leader/follower group commit of one segment file. A committer takes a ticket after appending; if no fsync of
 * the file is running it becomes the leader, fsyncs once and completes every ticket issued before its fsync
 * started. Committers that arrive during an fsync wait and are served together by the next leader, so N
 * concurrent commits to one segment cost about two fsyncs instead of N. Different segments sync independently
 * (in parallel).
 *
 * <p>A failed fsync poisons the segment: the state of its dirty pages is unknown afterwards, so every later
 * commit to it fails too.
 */
final class GroupSync {

    /** Store-wide counters shared by all segments. */
    record Counters(AtomicLong fsyncs, AtomicLong requests) {
        Counters() {
            this(new AtomicLong(), new AtomicLong());
        }
    }

    private final FileChannel channel;
    private final Counters counters;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition done = lock.newCondition();
    private long issued;
    private long completed;
    private boolean syncing;
    private IOException failure;

    GroupSync(FileChannel channel, Counters counters) {
        this.channel = channel;
        this.counters = counters;
    }

    /** Returns once everything appended to the segment before this call is on stable storage. */
    void sync() throws IOException {
        counters.requests().incrementAndGet();
        lock.lock();
        try {
            long ticket = ++issued;
            while (true) {
                if (failure != null) {
                    throw new IOException("an fsync of this segment failed; it takes no more commits", failure);
                }
                if (completed >= ticket) {
                    return;
                }
                if (!syncing) {
                    lead();
                } else {
                    done.awaitUninterruptibly();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Called with the lock held; releases it during the fsync. */
    private void lead() {
        syncing = true;
        long upTo = issued;
        lock.unlock();
        IOException error = null;
        try {
            channel.force(false);
            counters.fsyncs().incrementAndGet();
        } catch (IOException e) {
            error = e;
        } finally {
            lock.lock();
            syncing = false;
            if (error != null) {
                failure = error;
            } else {
                completed = upTo;
            }
            done.signalAll();
        }
    }
}
