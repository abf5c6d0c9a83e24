package io.predastore.node.jobs;

import io.predastore.protocol.admin.JobStatus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The background jobs of one node, in the order they were added, for the admin status. Thread-safe. */
public final class JobRegistry {
    private final List<BackgroundJob> jobs = new CopyOnWriteArrayList<>();

    /** Adds {@code job} and returns it. */
    public BackgroundJob add(BackgroundJob job) {
        jobs.add(job);
        return job;
    }

    /** What every job last did. */
    public List<JobStatus> statuses() {
        return jobs.stream().map(BackgroundJob::status).toList();
    }
}
