package io.predastore.node.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHFsyncExtension;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHStatExtensionInfo;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHStatPathExtension;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * Uploads over SFTP on one logged-in session, all-or-nothing and verified (see {@link #upload}): skipped when the
 * remote file already has the same SHA-256, otherwise written to a temporary file beside the target, checked by
 * SHA-256 on the host and renamed into place. Failures are explained: a full disk, a read-only file system, a
 * missing directory or a permission problem, each naming host and path and what to do. Helper commands
 * ({@code mkdir}, {@code sha256sum}) run through {@link RemoteCommands}.
 */
final class SftpUploader {
    private static final int COPY_BUFFER = 64 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** statvfs's flag for a read-only mount. */
    private static final long ST_RDONLY = 1;

    private final SshTarget target;
    private final ClientSession session;
    private final RemoteCommands commands;

    SftpUploader(SshTarget target, ClientSession session, RemoteCommands commands) {
        this.target = target;
        this.session = session;
        this.commands = commands;
    }

    /**
     * Copies {@code local} to {@code remotePath} so that the remote file has exactly its content and {@code mode}, or
     * is untouched; see {@link RemoteHost#upload} for the steps.
     *
     * @throws RemoteException naming the host and path when the disk is full, a directory cannot be created, writing
     *                         is not permitted, the copy does not verify or the connection fails
     */
    UploadResult upload(Path local, String remotePath, int mode) throws IOException {
        RemotePaths.check(remotePath, "path");
        if (remotePath.endsWith("/")) {
            throw new IllegalArgumentException("the remote path '" + remotePath + "' names a directory, not a file");
        }
        if (mode < 0 || mode > 0777) {
            throw new IllegalArgumentException("mode " + Integer.toOctalString(mode) + " is not permission bits "
                    + "(0 to 0777)");
        }
        String name = remotePath.substring(remotePath.lastIndexOf('/') + 1);
        if (name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("the remote path '" + remotePath + "' does not end in a file name");
        }
        String dir = RemotePaths.parentOf(remotePath);
        Digest digest = Digest.of(local);
        try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            SftpClient.Attributes existing = statOrNull(sftp, remotePath);
            if (existing != null) {
                if (existing.isDirectory()) {
                    throw new RemoteException(target, remotePath + " on " + target + " is a directory; the file "
                            + local.getFileName() + " cannot replace it. Remove it or choose another path");
                }
                if (existing.getSize() == digest.size() && digest.sha256().equals(remoteSha256(sftp, remotePath))) {
                    if ((existing.getPermissions() & 0777) != mode) {
                        sftp.setStat(remotePath, new SftpClient.Attributes().perms(mode));
                    }
                    return new UploadResult(remotePath, false, digest.size(), digest.sha256());
                }
            }
            if (dir != null) {
                createDirectories(dir, remotePath);
            }
            String temp = (dir == null ? "" : dir + "/") + "." + name + ".upload-"
                    + HexFormat.of().formatHex(randomBytes(6));
            AtomicBoolean created = new AtomicBoolean();
            try {
                write(sftp, local, temp, created);
                String copied = remoteSha256(sftp, temp);
                if (!digest.sha256().equals(copied)) {
                    throw new RemoteException(target, "the copy of " + local + " on " + target + " (" + temp + ") has "
                            + "SHA-256 " + copied + ", not " + digest.sha256() + ": it was damaged on the way or on "
                            + "the remote disk. Nothing was replaced; try again, and check that disk if it repeats");
                }
                sftp.setStat(temp, new SftpClient.Attributes().perms(mode));
                rename(sftp, temp, remotePath);
            } catch (IOException e) {
                // Removed first, so that the free space measured for the message is what the disk really has.
                String left = !created.get() || removeQuietly(sftp, temp, e) ? "" : " (the temporary file " + temp
                        + " could not be removed; delete it by hand)";
                throw explain(e, sftp, dir, remotePath, digest.size(), left);
            }
            return new UploadResult(remotePath, true, digest.size(), digest.sha256());
        } catch (RemoteException e) {
            throw e;
        } catch (IOException e) {
            throw new RemoteException(target, "uploading " + local + " to " + remotePath + " on " + target
                    + " failed: " + e.getMessage() + (session.isOpen() ? "" : " (the connection is closed; connect "
                    + "again)"), e);
        }
    }

    private void write(SftpClient sftp, Path local, String temp, AtomicBoolean created) throws IOException {
        try (InputStream in = Files.newInputStream(local);
             OutputStream out = sftp.write(temp, COPY_BUFFER, SftpClient.OpenMode.Write, SftpClient.OpenMode.Create,
                     SftpClient.OpenMode.Exclusive)) {
            created.set(true);
            // Owner-only before the first byte, whatever the server's umask made of it.
            sftp.setStat(temp, new SftpClient.Attributes().perms(0600));
            in.transferTo(out);
        }
        OpenSSHFsyncExtension fsync = sftp.getExtension(OpenSSHFsyncExtension.class);
        if (fsync != null && fsync.isSupported()) {
            try (SftpClient.CloseableHandle handle = sftp.open(temp, SftpClient.OpenMode.Read)) {
                fsync.fsync(handle);
            }
        }
    }

    private void rename(SftpClient sftp, String from, String to) throws IOException {
        OpenSSHPosixRenameExtension posix = sftp.getExtension(OpenSSHPosixRenameExtension.class);
        if (posix != null && posix.isSupported()) {
            posix.posixRename(from, to);
            return;
        }
        CommandResult r = commands.run(List.of("mv", "-f", "--", from, to), RemoteCommands.HELPER_TIMEOUT);
        if (!r.ok()) {
            throw new RemoteException(target, "could not move " + from + " to " + to + " on " + target + ": "
                    + r.describe());
        }
    }

    private void createDirectories(String dir, String forPath) throws IOException {
        CommandResult r = commands.run("umask 077 && mkdir -p -- " + Shell.quote(dir), RemoteCommands.HELPER_TIMEOUT);
        if (r.ok()) {
            return;
        }
        String err = r.stderr().toLowerCase(Locale.ROOT);
        String advice;
        if (err.contains("permission denied")) {
            advice = target.user() + " may not create it: choose a directory " + target.user() + " owns (e.g. under "
                    + "its home), or have it created with the right owner";
        } else if (err.contains("no space left")) {
            advice = "the disk there is full: free space on it or choose another directory";
        } else if (err.contains("not a directory") || err.contains("file exists")) {
            advice = "a part of that path is a file, not a directory: remove it or choose another path";
        } else if (err.contains("read-only")) {
            advice = "its file system is read-only: choose a writable directory";
        } else {
            advice = "check the path and its permissions";
        }
        throw new RemoteException(target, "cannot create the directory " + dir + " on " + target + " for " + forPath
                + " (" + r.describe() + "): " + advice);
    }

    /** The remote file's SHA-256 in lower-case hex, by {@code sha256sum} or, where that is missing, read back. */
    private String remoteSha256(SftpClient sftp, String path) throws IOException {
        CommandResult r = commands.run(List.of("sha256sum", "--", path), RemoteCommands.HELPER_TIMEOUT);
        if (r.ok()) {
            String out = r.stdout().strip();
            if (out.startsWith("\\")) {
                out = out.substring(1);  // sha256sum escapes the line of a name with a backslash or newline
            }
            if (out.length() >= 64 && out.substring(0, 64).matches("[0-9a-f]{64}")) {
                return out.substring(0, 64);
            }
            throw new RemoteException(target, "sha256sum on " + target + " printed '" + Text.abbreviate(out)
                    + "' for " + path + ", not a SHA-256");
        }
        if (r.exitCode() == 127) {
            try (InputStream in = sftp.read(path)) {
                return Digest.of(in).sha256();
            }
        }
        throw new RemoteException(target, "cannot compute the SHA-256 of " + path + " on " + target + ": "
                + r.describe());
    }

    private SftpClient.Attributes statOrNull(SftpClient sftp, String path) throws IOException {
        try {
            return sftp.stat(path);
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE
                    || e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_PATH) {
                return null;
            }
            if (e.getStatus() == SftpConstants.SSH_FX_PERMISSION_DENIED) {
                throw new RemoteException(target, "permission denied on " + target + ": " + target.user() + " may "
                        + "not look at " + path + ". Choose a path " + target.user() + " owns, or fix the "
                        + "permissions of its directories", e);
            }
            throw e;
        }
    }

    /** Turns a failure while writing, verifying or renaming into a message that says what is wrong and what to do. */
    private IOException explain(IOException e, SftpClient sftp, String dir, String path, long size, String left) {
        if (e instanceof RemoteException r) {
            return left.isEmpty() ? r : new RemoteException(target, r.getMessage() + left, r);
        }
        String where = dir == null ? "the home directory of " + target.user()
                : dir.startsWith("/") ? dir : "~/" + dir;
        int status = e instanceof SftpException s ? s.getStatus() : -1;
        if (status == SftpConstants.SSH_FX_PERMISSION_DENIED) {
            return new RemoteException(target, "permission denied on " + target + ": " + target.user() + " may not "
                    + "write " + path + " in " + where + ". Choose a directory " + target.user() + " owns, or fix its "
                    + "permissions; nothing was replaced" + left, e);
        }
        if (status == SftpConstants.SSH_FX_NO_SUCH_FILE || status == SftpConstants.SSH_FX_NO_SUCH_PATH) {
            return new RemoteException(target, "no such directory on " + target + ": " + where + " (for " + path
                    + ") is missing, or was removed during the upload. Create it or choose another path; nothing was "
                    + "replaced" + left, e);
        }
        FileSystemState fs = fileSystem(sftp, dir);
        if (status == SftpConstants.SSH_FX_WRITE_PROTECT || fs.readOnly()) {
            return new RemoteException(target, "the file system of " + where + " on " + target + " is read-only; "
                    + "choose a writable directory for " + path + left, e);
        }
        long free = fs.free();
        if (status == SftpConstants.SSH_FX_NO_SPACE_ON_FILESYSTEM || status == SftpConstants.SSH_FX_QUOTA_EXCEEDED
                || (status == SftpConstants.SSH_FX_FAILURE && free >= 0 && free < size)) {
            return new RemoteException(target, "no space left on " + target + " for " + path + ": the file system of "
                    + where + " has " + Text.bytes(Math.max(free, 0)) + " free and the file needs " + Text.bytes(size)
                    + ". Free space there or choose another directory; nothing was replaced" + (left.isEmpty()
                    ? " and the partial copy was removed" : left), e);
        }
        if (!session.isOpen()) {
            return new RemoteException(target, "the connection to " + target + " was lost while uploading " + path
                    + " (" + e.getMessage() + "); connect again and retry" + left, e);
        }
        return new RemoteException(target, "writing " + path + " on " + target + " failed: " + e.getMessage()
                + ". Check the disk and permissions of " + where + "; nothing was replaced" + left, e);
    }

    /** What OpenSSH's statvfs extension tells about a file system. */
    private record FileSystemState(long free, boolean readOnly) {
    }

    /**
     * The free bytes for this user in {@code dir} and whether it is mounted read-only (OpenSSH's statvfs extension);
     * free is -1 when it cannot be told.
     */
    private FileSystemState fileSystem(SftpClient sftp, String dir) {
        try {
            OpenSSHStatPathExtension statvfs = sftp.getExtension(OpenSSHStatPathExtension.class);
            if (statvfs == null || !statvfs.isSupported()) {
                return new FileSystemState(-1, false);
            }
            OpenSSHStatExtensionInfo info = statvfs.stat(dir == null ? "." : dir);
            long blocks = target.user().equals("root") ? info.f_bfree : info.f_bavail;
            long free = blocks * (info.f_frsize > 0 ? info.f_frsize : info.f_bsize);
            return new FileSystemState(free, (info.f_flag & ST_RDONLY) != 0);
        } catch (IOException | RuntimeException e) {
            return new FileSystemState(-1, false);
        }
    }

    /** Removes {@code path}; false (with the reason added to {@code into}) when it exists and could not be. */
    private boolean removeQuietly(SftpClient sftp, String path, Throwable into) {
        try {
            sftp.remove(path);
            return true;
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                return true;
            }
            into.addSuppressed(e);
            return false;
        } catch (IOException | RuntimeException e) {
            into.addSuppressed(e);
            return false;
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** The SHA-256 and size of a stream's bytes. */
    private record Digest(String sha256, long size) {
        static Digest of(Path file) throws IOException {
            try (InputStream in = Files.newInputStream(file)) {
                return of(in);
            } catch (NoSuchFileException e) {
                throw new IOException("the local file " + file + " does not exist", e);
            }
        }

        static Digest of(InputStream in) throws IOException {
            MessageDigest sha;
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this Java has no SHA-256", e);
            }
            byte[] buffer = new byte[COPY_BUFFER];
            long size = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
                size += n;
            }
            return new Digest(HexFormat.of().formatHex(sha.digest()), size);
        }
    }
}
