import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Packs the rendered PNG sizes of the application icon into a Windows {@code .ico} and a macOS {@code .icns}.
 * Both formats are plain containers of PNG images, so no image library is needed. Run from the repository root
 * with the JDK's single-file launcher: {@code java assets/tools/IconContainers.java assets/icons}.
 */
public final class IconContainers {
    private IconContainers() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "assets/icons");
        Files.write(dir.resolve("predastore.ico"), ico(dir, new int[] {16, 32, 48, 64, 128, 256}));
        Map<String, Integer> icns = new LinkedHashMap<>();
        icns.put("icp4", 16);
        icns.put("icp5", 32);
        icns.put("icp6", 64);
        icns.put("ic07", 128);
        icns.put("ic08", 256);
        icns.put("ic09", 512);
        Files.write(dir.resolve("predastore.icns"), icns(dir, icns));
    }

    private static byte[] png(Path dir, int size) throws IOException {
        return Files.readAllBytes(dir.resolve("predastore-" + size + ".png"));
    }

    /** ICONDIR, one ICONDIRENTRY per size, then the PNGs; little-endian; 256 is written as 0. */
    static byte[] ico(Path dir, int[] sizes) throws IOException {
        byte[][] images = new byte[sizes.length][];
        int offset = 6 + 16 * sizes.length;
        ByteBuffer head = ByteBuffer.allocate(offset).order(ByteOrder.LITTLE_ENDIAN);
        head.putShort((short) 0).putShort((short) 1).putShort((short) sizes.length);
        for (int i = 0; i < sizes.length; i++) {
            images[i] = png(dir, sizes[i]);
            head.put((byte) (sizes[i] >= 256 ? 0 : sizes[i])).put((byte) (sizes[i] >= 256 ? 0 : sizes[i]));
            head.put((byte) 0).put((byte) 0);
            head.putShort((short) 1).putShort((short) 32);
            head.putInt(images[i].length).putInt(offset);
            offset += images[i].length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(head.array());
        for (byte[] image : images) {
            out.write(image);
        }
        return out.toByteArray();
    }

    /** "icns", total length, then per image its four-letter type, its length with this 8-byte header, the PNG. */
    static byte[] icns(Path dir, Map<String, Integer> types) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(body);
        for (Map.Entry<String, Integer> type : types.entrySet()) {
            byte[] image = png(dir, type.getValue());
            data.writeBytes(type.getKey());
            data.writeInt(8 + image.length);
            data.write(image);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream file = new DataOutputStream(out);
        file.writeBytes("icns");
        file.writeInt(8 + body.size());
        file.write(body.toByteArray());
        return out.toByteArray();
    }
}
