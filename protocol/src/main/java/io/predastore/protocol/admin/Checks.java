package io.predastore.protocol.admin;

import java.util.List;
import java.util.Objects;

/** Argument checks shared by the admin records. */
final class Checks {
    private Checks() {
    }

    static String nonBlank(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    static long nonNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, not " + value);
        }
        return value;
    }

    static Long nonNegative(Long value, String name) {
        if (value != null && value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, not " + value);
        }
        return value;
    }

    static <T> List<T> list(List<T> values, String name) {
        Objects.requireNonNull(values, name);
        for (T v : values) {
            Objects.requireNonNull(v, () -> name + " must not contain null");
        }
        return List.copyOf(values);
    }
}
