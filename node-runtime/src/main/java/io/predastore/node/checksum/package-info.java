/**
 * S3 flexible checksums (CRC32, CRC32C, CRC64NVME, SHA-1, SHA-256): the algorithms, their header names, the values
 * as S3 carries them (base64 of the big-endian bytes) and streaming computers that produce them.
 *
 * <p>Floor 0, a leaf: uses nothing of node-runtime. Floors are drawn in docs/architecture.md ("The house") and
 * checked by ArchitectureTest.
 */
package io.predastore.node.checksum;
