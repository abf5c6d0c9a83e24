package io.predastore.node.store;

import java.io.IOException;
import java.io.InputStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Opens the package-private test helpers to backend tests in other packages. */
public final class TestBodiesAccess {
    private TestBodiesAccess() {
    }

    public static long compare(InputStream in, long seed) throws IOException {
        return TestBodies.compareWithGenerated(in, seed, 0);
    }

    public static InputStream generated(long seed, long length) {
        return TestBodies.generated(seed, length);
    }

    public static String md5Hex(long seed, long length) {
        return TestBodies.hex(TestBodies.md5(seed, length));
    }

    public static byte byteAt(long seed, long i) {
        return TestBodies.byteAt(seed, i);
    }

    public static void assertEntityTooSmall(ThrowingCallable call) {
        BackendContractTest.assertStorageError(call, StorageError.PART_TOO_SMALL);
    }
}
