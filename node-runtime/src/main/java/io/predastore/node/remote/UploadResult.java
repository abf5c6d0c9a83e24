package io.predastore.node.remote;

/**
 * What {@link RemoteHost#upload} did.
 *
 * @param path   the remote path, as given
 * @param copied true when the file was copied, false when the remote file already had the same content
 * @param size   its size in bytes
 * @param sha256 its SHA-256, lower-case hex
 */
public record UploadResult(String path, boolean copied, long size, String sha256) {
}
