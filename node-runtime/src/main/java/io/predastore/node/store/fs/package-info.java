/**
 * The single-node filesystem backend: {@link io.predastore.node.store.fs.FilesystemBackend}.
 *
 * <ul>
 *   <li><b>Metadata</b> lives in a {@link io.predastore.node.meta.LocalMetadataStore} under {@code <dataDir>/meta}:
 *       the tables every backend shares ({@code buckets}, {@code objects} keyed {@code bucket 0x00 key},
 *       {@code uploads}, {@code parts}), written with the shared record codecs
 *       ({@link io.predastore.node.store.meta}) and {@link io.predastore.node.store.fs.BlobSegment} as the byte
 *       location, plus {@code intents} and {@code garbage} (blob ids). {@code <dataDir>/FORMAT} names the directory's
 *       format; older ones are migrated on open ({@code DataDirFormat}).</li>
 *   <li><b>Data</b> of objects up to 64 KiB is stored inline in the object record (one synced batch per
 *       PUT). Larger objects and all parts go to blob files {@code <dataDir>/blobs/<2 hex>/<id>} with random
 *       128-bit ids, never named after keys. A multipart object's record lists its part blobs in order; nothing
 *       is copied on completion.</li>
 *   <li><b>Writes</b>: stream to {@code tmp/<id>} with MD5, fsync, synced intent, rename, fsync directory, then
 *       one synced batch commits the record, drops the intent and marks replaced blobs as garbage; garbage files
 *       are deleted after the commit. Preconditions are checked under a striped per-key lock around the commit.
 *       </li>
 *   <li><b>Recovery</b> on open empties {@code tmp/} and deletes blobs named by leftover intents and garbage
 *       entries; nothing is scanned beyond those two tables.</li>
 *   <li><b>Reads</b>: a handle opens the version's blob channels (reference counted with the bodies it opens),
 *       so overwrites and deletes never disturb a read in progress. Listing seeks past rolled-up prefixes.</li>
 * </ul>
 *
 * <p>Floor 7, backends (beside store.cluster, which it does not use): uses the storage contract, local stores (meta),
 * foundations (disk) and the leaves (checksum). Only the runtime uses it. Floors are drawn in
 * docs/architecture.md ("The house") and checked by ArchitectureTest.
 */
package io.predastore.node.store.fs;
