package io.predastore.node.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

class NoSpaceTest {

    @Test
    void isCause_enospcFromTheJdk_anywhereInTheChain() {
        IOException enospc = new IOException("No space left on device");
        assertThat(NoSpace.isCause(enospc)).isTrue();
        assertThat(NoSpace.isCause(new IOException("could not write blob", enospc))).isTrue();
        assertThat(NoSpace.isCause(new FileSystemException("/d/x", null, "Disk quota exceeded"))).isTrue();
    }

    @Test
    void isCause_rocksDbNoSpaceStatus() {
        RocksDBException rocks = new RocksDBException("While appending to file: 000015.sst",
                new Status(Status.Code.IOError, Status.SubCode.NoSpace, "While appending to file: 000015.sst"));
        assertThat(NoSpace.isCause(new IOException("metadata write failed", rocks))).isTrue();
    }

    @Test
    void isCause_otherFailures_areNot() {
        assertThat(NoSpace.isCause(new IOException("Input/output error"))).isFalse();
        assertThat(NoSpace.isCause(new RocksDBException("Corruption: block checksum mismatch",
                new Status(Status.Code.Corruption, Status.SubCode.None, "")))).isFalse();
        assertThat(NoSpace.isCause(null)).isFalse();
    }

    @Test
    void classify_fullDisk_becomesStorageFullWithTheCause() {
        IOException enospc = new IOException("No space left on device");
        IOException classified = NoSpace.classify("store the object", enospc);
        assertThat(classified).isInstanceOf(StorageFullException.class).hasCause(enospc)
                .hasMessage("Could not store the object: this node's disk is full. " + StorageFullException.WHAT_TO_DO);
    }

    @Test
    void classify_otherFailures_areKept() {
        IOException other = new IOException("Input/output error");
        assertThat(NoSpace.classify("store", other)).isSameAs(other);
        StorageFullException full = new StorageFullException("full");
        assertThat(NoSpace.classify("store", full)).isSameAs(full);
    }
}
