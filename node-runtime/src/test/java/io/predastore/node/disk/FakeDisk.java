package io.predastore.node.disk;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link NodeDisk} whose free space a test sets: every reading of the free space returns {@link #usable}, and the
 * clock advances past the sampling interval between calls, so a change is seen at once.
 */
public final class FakeDisk {
    public static final long MIB = 1024 * 1024;

    /** The free bytes the disk reports. */
    public final AtomicLong usable;
    public final NodeDisk disk;

    private FakeDisk(long usableBytes, long reserveBytes) throws IOException {
        this.usable = new AtomicLong(usableBytes);
        AtomicLong ticks = new AtomicLong();
        DiskReserve reserve = new DiskReserve("fake", reserveBytes, usable::get,
                () -> ticks.addAndGet(DiskReserve.SAMPLE_NANOS));
        this.disk = new NodeDisk(reserve, System::nanoTime);
    }

    /** A disk with 1 GiB free and a reserve of 64 MiB. */
    public static FakeDisk roomy() throws IOException {
        return new FakeDisk(1024 * MIB, 64 * MIB);
    }

    /** Makes free space fall below the reserve ({@code true}) or come back well above it. */
    public void full(boolean full) {
        usable.set(full ? 10 * MIB : 1024 * MIB);
    }
}
