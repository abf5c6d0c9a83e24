package io.predastore.node.shard;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Leader/follower group commit of segment files. A committer registers the segment it appended to and takes a
 * ticket; if no sync is running it becomes the leader, takes every segment registered so far, fsyncs each once
 * and completes all tickets up to the last one it took. Committers that arrive during a sync wait and are served
 * by the next leader, so N concurrent commits cost about two rounds of fsyncs instead of N.
 *
 * <p>A failed fsync poisons the store: the page cache state of the file is unknown afterwards, so every later
 * commit fails too.
 */
final class GroupSync {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition done = lock.newCondition();
    private final Set<Segment> dirty = new LinkedHashSet<>();
    private long issued;
    private long completed;
    private boolean syncing;
    private IOException failure;

    final AtomicLong fsyncs = new AtomicLong();
    final AtomicLong groups = new AtomicLong();
    final AtomicLong requests = new AtomicLong();

    /** Returns once everything appended to {@code segment} before this call is on stable storage. */
    void sync(Segment segment) throws IOException {
        requests.incrementAndGet();
        lock.lock();
        try {
            dirty.add(segment);
            long ticket = ++issued;
            while (true) {
                if (failure != null) {
                    throw new IOException("segment fsync failed earlier; the shard store is read-only", failure);
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

    /** Called with the lock held; releases it while syncing. */
    private void lead() {
        syncing = true;
        long upTo = issued;
        Segment[] batch = dirty.toArray(new Segment[0]);
        dirty.clear();
        lock.unlock();
        IOException error = null;
        try {
            for (Segment s : batch) {
                try {
                    s.channel.force(false);
                    fsyncs.incrementAndGet();
                } catch (IOException e) {
                    if (error == null) {
                        error = e;
                    }
                }
            }
            groups.incrementAndGet();
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
