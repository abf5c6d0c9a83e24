package io.predastore.node.store.meta;

import io.predastore.node.meta.MetaCursor;
import io.predastore.node.meta.MetaEntry;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.meta.MetadataStore;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link MetaCursor} over {@link MetadataStore#scan}: each seek reads one page of entries, and walking past the
 * end of a full page reads the next. Not thread-safe.
 */
public final class ScanCursor implements MetaCursor {
    private final MetadataStore meta;
    private final MetaTable table;
    private final byte[] prefix;
    private final int pageSize;
    private List<MetaEntry> page = List.of();
    private int at;

    /**
     * @param pageSize entries read per scan: a seek costs one scan of up to this many entries
     */
    public ScanCursor(MetadataStore meta, MetaTable table, byte[] prefix, int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size " + pageSize + " < 1");
        }
        this.meta = meta;
        this.table = table;
        this.prefix = prefix.clone();
        this.pageSize = pageSize;
    }

    @Override
    public void seek(byte[] target) throws IOException {
        load(target);
    }

    private void load(byte[] from) throws IOException {
        page = meta.scan(table, prefix, from, pageSize);
        at = 0;
    }

    @Override
    public boolean valid() {
        return at < page.size();
    }

    @Override
    public byte[] key() {
        return page.get(at).key();
    }

    @Override
    public byte[] value() {
        return page.get(at).value();
    }

    @Override
    public void next() throws IOException {
        at++;
        if (at == page.size() && page.size() == pageSize) {
            byte[] last = page.get(at - 1).key();
            load(Arrays.copyOf(last, last.length + 1));
        }
    }

    @Override
    public void close() {
        page = List.of();
    }
}
