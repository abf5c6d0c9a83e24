package io.predastore.node.store.meta;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.node.store.StorageError;
import io.predastore.node.store.StorageException;
import io.predastore.node.store.WritePrecondition;
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
        assertPreconditionFailed(() -> Preconditions.check(new WritePrecondition("*", false), null, "b", "k"));
    }

    @Test
    void check_none_alwaysHolds() {
        assertThatCode(() -> Preconditions.check(WritePrecondition.NONE, "e1", "b", "k")).doesNotThrowAnyException();
        assertThatCode(() -> Preconditions.check(WritePrecondition.NONE, null, "b", "k")).doesNotThrowAnyException();
    }

    private static void assertPreconditionFailed(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StorageException.class,
                e -> org.assertj.core.api.Assertions.assertThat(e.error()).isEqualTo(StorageError.PRECONDITION_FAILED));
    }
}
