/**
 * Reaching other machines over SSH, the foundation of clusters across hosts: {@link RemoteHost} connects as
 * {@code USER@HOST[:PORT]} ({@link SshTarget}) with the user's keys and ssh-agent ({@link SshSettings}), trusts a
 * host only through {@code known_hosts} ({@link KnownHosts}: unknown keys are refused with their fingerprint until
 * the user accepts them, changed keys are refused), runs commands, starts commands that outlive the session and
 * uploads files over SFTP, verified by SHA-256. Built on Apache MINA SSHD, whose known_hosts reading and checking,
 * fingerprints and agent protocol are used as they are; docs/remote.md says why and how hosts are reached.
 * {@link RemoteHost} is the face; the work is done by {@link Connector} (connecting, logging in with
 * {@link ClientKeys}), {@link HostKeyVerifier} (the host key check), {@link RemoteCommands} (commands, detached ones
 * too) and {@link SftpUploader} (verified uploads).
 *
 * <p>Floor 1, foundations (beside disk and http): uses nothing of node-runtime, only the JDK and MINA SSHD; the
 * supervisor and the command line build on it. Floors are drawn in docs/architecture.md ("The house") and checked by
 * ArchitectureTest.
 */
package io.predastore.node.remote;
