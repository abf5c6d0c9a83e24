package io.predastore.node.s3;

import io.predastore.node.error.S3Exception;
import io.predastore.node.error.S3Error;
import java.util.regex.Pattern;

/** The S3 general-purpose bucket naming rules. */
final class BucketNames {
    private static final Pattern SHAPE = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    private BucketNames() {
    }

    /** Throws InvalidBucketName, saying which rule the name breaks. */
    static void validate(String name) {
        String why = violation(name);
        if (why != null) {
            throw new S3Exception(S3Error.INVALID_BUCKET_NAME,
                    "The bucket name '" + printable(name) + "' is not valid: " + why + ".", "/" + printable(name),
                    null);
        }
    }

    static String violation(String name) {
        if (name.length() < 3 || name.length() > 63) {
            return "it must be 3 to 63 characters long";
        }
        if (!SHAPE.matcher(name).matches()) {
            return "use only lower-case letters, digits, dots and hyphens, and begin and end with a letter or digit";
        }
        if (name.contains("..")) {
            return "it must not contain two adjacent periods";
        }
        if (name.contains(".-") || name.contains("-.")) {
            return "a period must not be next to a hyphen";
        }
        if (IP_ADDRESS.matcher(name).matches()) {
            return "it must not look like an IP address";
        }
        if (name.startsWith("xn--") || name.startsWith("sthree-") || name.startsWith("amzn-s3-demo-")) {
            return "it must not begin with a reserved prefix (xn--, sthree-, amzn-s3-demo-)";
        }
        if (name.endsWith("-s3alias") || name.endsWith("--ol-s3") || name.endsWith(".mrap")
                || name.endsWith("--x-s3") || name.endsWith("--table-s3")) {
            return "it must not end with a reserved suffix";
        }
        return null;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 80; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }
}
