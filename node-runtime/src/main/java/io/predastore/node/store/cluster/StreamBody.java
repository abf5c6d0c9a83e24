package io.predastore.node.store.cluster;

import io.predastore.node.store.ObjectBody;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** An object body read as a stream (the distributed backend has no local files to send). */
final class StreamBody implements ObjectBody {
    interface Opener {
        InputStream open() throws IOException;
    }

    private final long length;
    private final Opener opener;
    private InputStream stream;

    StreamBody(long length, Opener opener) {
        this.length = length;
        this.opener = opener;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public List<FileSlice> fileSlices() {
        return List.of();
    }

    @Override
    public InputStream openStream() throws IOException {
        stream = opener.open();
        return stream;
    }

    @Override
    public void close() throws IOException {
        if (stream != null) {
            stream.close();
        }
    }
}
