package io.predastore.node.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DiskReserveTest {
    private static final long MIB = 1024 * 1024;

    private final AtomicLong usable = new AtomicLong(100 * MIB);
    private final AtomicInteger readings = new AtomicInteger();
    private final AtomicLong now = new AtomicLong();
    private final DiskReserve reserve = new DiskReserve("/data", 10 * MIB, () -> {
        readings.incrementAndGet();
        return usable.get();
    }, now::get);

    @Test
    void admit_aboveReserve_admitsAndCountsTheBytesUntilTheNextReading() throws Exception {
        reserve.admit("store a", 50 * MIB);
        reserve.admit("store b", 40 * MIB);
        // Counted without reading the disk again: exactly the reserve is left.
        assertThat(reserve.usableBytes()).isEqualTo(10 * MIB);
        assertThat(reserve.belowReserve()).isFalse();
        assertThat(readings).hasValue(1);

        usable.set(10 * MIB); // what the disk shows once those writes landed
        assertThatThrownBy(() -> reserve.admit("store c", MIB))
                .isInstanceOf(StorageFullException.class)
                .hasMessage("Cannot store c: it needs 1.0 MiB but this node has only 0 bytes free above its reserve "
                        + "of 10.0 MiB. " + StorageFullException.WHAT_TO_DO);
        assertThat(readings).hasValue(2);
    }

    @Test
    void admit_withinTheSamplingInterval_readsTheFileSystemOnce() throws Exception {
        for (int i = 0; i < 100; i++) {
            reserve.admit("store", 1024);
        }
        assertThat(readings).hasValue(1);
        now.addAndGet(DiskReserve.SAMPLE_NANOS);
        reserve.admit("store", 1024);
        assertThat(readings).hasValue(2);
    }

    @Test
    void admit_belowReserve_refusesEvenEmptyWrites_andSaysWhatToDo() {
        usable.set(5 * MIB);
        assertThatThrownBy(() -> reserve.admit("create bucket b", 0))
                .isInstanceOf(StorageFullException.class)
                .hasMessage("Cannot create bucket b: this node has 5.0 MiB of free space, less than its reserve of "
                        + "10.0 MiB, so it accepts no new data. " + StorageFullException.WHAT_TO_DO);
        assertThat(reserve.belowReserve()).isTrue();
    }

    @Test
    void admit_afterSpaceWasFreed_readsTheDiskAgainAtOnce() throws Exception {
        usable.set(5 * MIB);
        assertThat(reserve.belowReserve()).isTrue();
        usable.set(50 * MIB);
        // No time has passed: the refusal path reads the disk again rather than trust the old reading.
        reserve.admit("store", 1 * MIB);
        assertThat(reserve.belowReserve()).isFalse();
    }

    @Test
    void belowReserve_staysUntilFreeSpaceIsBackAboveTheReserveByAMargin() throws Exception {
        assertThat(reserve.hysteresisBytes()).isEqualTo(10 * MIB / 8);
        usable.set(9 * MIB);
        assertThat(reserve.belowReserve()).isTrue();

        usable.set(11 * MIB); // above the reserve, but not by the margin: a flush or purge at the edge
        now.addAndGet(DiskReserve.SAMPLE_NANOS);
        assertThat(reserve.belowReserve()).isTrue();
        assertThatThrownBy(() -> reserve.admit("store x", 0)).isInstanceOf(StorageFullException.class)
                .hasMessage("Cannot store x: this node fell below its reserve of 10.0 MiB and accepts new data "
                        + "again once it has 11.3 MiB free; it has 11.0 MiB. " + StorageFullException.WHAT_TO_DO);

        usable.set(12 * MIB);
        now.addAndGet(DiskReserve.SAMPLE_NANOS);
        assertThat(reserve.belowReserve()).isFalse();
        reserve.admit("store y", MIB);
        usable.set(10 * MIB + MIB / 2); // back near the edge, but above the reserve: still accepting
        now.addAndGet(DiskReserve.SAMPLE_NANOS);
        assertThat(reserve.belowReserve()).isFalse();
    }

    @Test
    void reserve_countsAWriteInProgressUntilClosed_thenUntilTheNextReading() throws Exception {
        DiskReserve.Reservation upload = reserve.reserve("upload", 60 * MIB);
        now.addAndGet(DiskReserve.SAMPLE_NANOS);
        // A new reading does not forget a write still in progress.
        assertThat(reserve.usableBytes()).isEqualTo(40 * MIB);
        assertThatThrownBy(() -> reserve.reserve("another", 31 * MIB)).isInstanceOf(StorageFullException.class);

        upload.close();
        upload.close(); // closing twice counts once
        assertThat(reserve.usableBytes()).isEqualTo(40 * MIB);
        usable.set(40 * MIB); // the upload is on disk now
        now.addAndGet(DiskReserve.SAMPLE_NANOS);
        assertThat(reserve.usableBytes()).isEqualTo(40 * MIB);
        reserve.reserve("another", 30 * MIB).close();
    }

    @Test
    void belowReserve_whenTheDiskCannotBeRead_assumesFull() {
        DiskReserve unreadable = new DiskReserve("/data", MIB, () -> {
            throw new UncheckedIOException(new java.io.IOException("stale file handle"));
        }, now::get);
        assertThat(unreadable.belowReserve()).isTrue();
        assertThatThrownBy(() -> unreadable.admit("store", 0)).isInstanceOf(StorageFullException.class);
    }

    @Test
    void defaultReserve_fivePercentBetween64MiBAnd1GiB_atMostAQuarter() {
        assertThat(DiskReserve.defaultReserve(100L << 30)).isEqualTo(1L << 30);
        assertThat(DiskReserve.defaultReserve(10L << 30)).isEqualTo((10L << 30) / 100 * 5);
        assertThat(DiskReserve.defaultReserve(1L << 30)).isEqualTo(64 * MIB);
        assertThat(DiskReserve.defaultReserve(100 * MIB)).isEqualTo(25 * MIB);
    }

    @Test
    void new_negativeReserve_isRefused() {
        assertThatThrownBy(() -> new DiskReserve("/data", -1, usable::get, now::get))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
