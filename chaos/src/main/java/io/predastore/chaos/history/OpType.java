package io.predastore.chaos.history;

/** What a client operation did to (or asked of) one object, as the checker models it. */
public enum OpType {
    /** PutObject of a whole value: the object becomes that value. */
    PUT,
    /** A multipart upload completed: the object becomes the assembled value. */
    MULTIPART,
    /** PutObject with {@code If-None-Match: *}: becomes the value only if the object is absent. */
    CREATE,
    /** PutObject with {@code If-Match}: becomes the value only if the object holds {@link Op#expected()}. */
    REPLACE,
    /** DeleteObject: the object becomes absent (deleting an absent object succeeds too). */
    DELETE,
    /** GetObject: observes the value (or its absence) and its bytes. */
    GET,
    /** HeadObject: observes which value the object holds (or its absence), without the bytes. */
    HEAD,
    /** ListObjectsV2 of a prefix: observes which keys exist; checked for eventual completeness, not per key. */
    LIST;

    /** Whether the operation may change the object. */
    public boolean writes() {
        return this == PUT || this == MULTIPART || this == CREATE || this == REPLACE || this == DELETE;
    }

    /** Whether the operation observes the object's value. */
    public boolean reads() {
        return this == GET || this == HEAD;
    }
}
