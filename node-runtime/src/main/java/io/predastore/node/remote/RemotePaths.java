package io.predastore.node.remote;

/** Paths on a remote host, as its user sees them: absolute, or relative to the user's home directory. */
final class RemotePaths {
    private RemotePaths() {
    }

    /** The directory part of a remote path, or null when it has none (a name in the home directory). */
    static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        if (slash < 0) {
            return null;
        }
        return slash == 0 ? "/" : path.substring(0, slash);
    }

    /**
     * Refuses a path that is empty or holds a NUL or newline (which no shell command or SFTP request carries intact).
     *
     * @param what what the path is, for the message ({@code path}, {@code log file})
     */
    static void check(String path, String what) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("the remote " + what + " is empty");
        }
        if (path.indexOf('\0') >= 0 || path.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("the remote " + what + " '" + Text.abbreviate(path) + "' holds a NUL "
                    + "or newline");
        }
    }
}
