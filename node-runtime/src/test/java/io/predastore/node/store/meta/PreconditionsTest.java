package io.predastore.node.store.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.node.store.DeletePrecondition;
import io.predastore.node.store.ObjectMetadata;
import io.predastore.node.store.StorageError;
import io.predastore.node.store.StorageException;
import io.predastore.node.store.WritePrecondition;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PreconditionsTest {
    @Test
    void check_ifNoneMatchAny_onlyWhenAbsent() {
        WritePrecondition create = new WritePrecondition(null, true);

        assertThatCode(() -> Preconditions.check(create, null, "b", "k")).doesNotThrowAnyException();
        assertPreconditionFailed(() -> Preconditions.check(create, "e1", "b", "k"));
    }

    @Test
    void check_ifMatch_onlyThatEtagOrAnyWithStar() {
        assertThatCode(() -> Preconditions.check(new WritePrecondition("E1", false), "e1", "b", "k"))
                .doesNotThrowAnyException();
        assertThatCode(() -> Preconditions.check(new WritePrecondition("\"e1\"", false), "e1", "b", "k"))
                .doesNotThrowAnyException();
        assertThatCode(() -> Preconditions.check(new WritePrecondition("*", false), "e1", "b", "k"))
                .doesNotThrowAnyException();
        assertPreconditionFailed(() -> Preconditions.check(new WritePrecondition("e2", false), "e1", "b", "k"));
        // With no version to compare with, the key is missing, as S3 answers it.
        assertError(() -> Preconditions.check(new WritePrecondition("*", false), null, "b", "k"),
                StorageError.NO_SUCH_KEY);
        assertError(() -> Preconditions.check(new WritePrecondition("e1", false), null, "b", "k"),
                StorageError.NO_SUCH_KEY);
    }

    @Test
    void checkDelete_everyConditionGivenMustHold() {
        ObjectHeader current = new ObjectHeader(4, "e1", Instant.parse("2025-01-02T03:04:05.678Z"),
                ObjectMetadata.EMPTY, 0, null);
        Instant second = Instant.parse("2025-01-02T03:04:05Z");

        assertThat(Preconditions.checkDelete(DeletePrecondition.NONE, current, "b", "k")).isTrue();
        assertThat(Preconditions.checkDelete(new DeletePrecondition("*", second, 4L), current, "b", "k")).isTrue();
        assertThat(Preconditions.checkDelete(new DeletePrecondition("\"E1\"", null, null), current, "b", "k"))
                .isTrue();
        assertPreconditionFailed(() -> Preconditions.checkDelete(new DeletePrecondition("e2", null, null), current,
                "b", "k"));
        assertPreconditionFailed(() -> Preconditions.checkDelete(new DeletePrecondition(null, second.plusSeconds(1),
                null), current, "b", "k"));
        assertPreconditionFailed(() -> Preconditions.checkDelete(new DeletePrecondition("e1", second, 5L), current,
                "b", "k"));
    }

    @Test
    void checkDelete_absentKey_noSuchKeyOnlyWhenAnEtagIsRequired() {
        assertThat(Preconditions.checkDelete(DeletePrecondition.NONE, null, "b", "k")).isFalse();
        assertThat(Preconditions.checkDelete(new DeletePrecondition(null, Instant.EPOCH, 1L), null, "b", "k"))
                .isFalse();
        assertError(() -> Preconditions.checkDelete(new DeletePrecondition("*", null, null), null, "b", "k"),
                StorageError.NO_SUCH_KEY);
    }

    @Test
    void check_none_alwaysHolds() {
        assertThatCode(() -> Preconditions.check(WritePrecondition.NONE, "e1", "b", "k")).doesNotThrowAnyException();
        assertThatCode(() -> Preconditions.check(WritePrecondition.NONE, null, "b", "k")).doesNotThrowAnyException();
    }

    private static void assertPreconditionFailed(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertError(call, StorageError.PRECONDITION_FAILED);
    }

    private static void assertError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, StorageError error) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.error()).isEqualTo(error));
    }
}
