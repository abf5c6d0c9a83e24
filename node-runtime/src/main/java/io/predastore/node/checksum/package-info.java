/**
 * S3 flexible checksums (CRC32, CRC32C, CRC64NVME, SHA-1, SHA-256): the algorithms, their header names and
 * streaming computers whose results are encoded the way S3 carries them (base64 of the big-endian bytes).
 */
package io.predastore.node.checksum;
