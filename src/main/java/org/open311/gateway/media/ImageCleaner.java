package org.open311.gateway.media;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Keeps only an uploaded image's own data: the structures needed to show it, copied byte for byte, up to
 * the format's end marker. Everything else goes: metadata (EXIF with GPS position, camera and time; XMP;
 * IPTC; comments; text chunks), structures a viewer does not need, and whatever follows the image (the
 * HTML of a PNG+HTML polyglot). Lossless and pixel-free: nothing is decoded or re-compressed, so photos
 * keep their quality and a 250-megapixel image the header check accepts costs no more than its bytes.
 * <p>
 * Orientation: a phone stores a photo taken sideways as it was shot, with an EXIF Orientation tag that
 * viewers (every current browser) apply. Dropping it would show such photos rotated, and applying it would
 * mean decoding and re-encoding (lossy): a JPEG's orientation is kept as a new EXIF block holding that
 * tag alone. PNG, GIF and WebP keep no EXIF at all (cameras write JPEG; browsers rarely honour it there).
 * <p>
 * Written here rather than taken from a library: the JDK's ImageIO re-encodes (lossy for JPEG, pixels in
 * memory, no WebP writer, animation lost), and Apache Commons Imaging's JPEG rewriters remove EXIF, XMP
 * and IPTC but copy comments and everything from the first scan to the end of the file as they are, so
 * the bytes appended after the image would stay. A whitelist of each format's own structures is short
 * and removes what no list of known metadata would.
 */
public final class ImageCleaner {

    private ImageCleaner() {
    }

    /** The image's structure is broken (a length past the end, no end marker, an unknown block). */
    public static final class BrokenImage extends IllegalArgumentException {
        BrokenImage(String problem) {
            super(problem);
        }
    }

    /** The cleaned image. */
    public static byte[] clean(byte[] image, MediaType type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(image.length);
        write(image, type, out);
        return out.toByteArray();
    }

    /** Checks that the image can be cleaned, without keeping the result. */
    public static void check(byte[] image, MediaType type) {
        write(image, type, OutputStream.nullOutputStream());
    }

    private static void write(byte[] image, MediaType type, OutputStream out) {
        Pieces pieces = new Pieces(image);
        switch (type) {
            case JPEG -> jpeg(image, pieces);
            case PNG -> png(image, pieces);
            case GIF -> gif(image, pieces);
            case WEBP -> webp(image, pieces);
        }
        try {
            pieces.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- JPEG (ITU T.81 B.1, JFIF, EXIF 2.3 4.5.4) ----

    private static final int SOS = 0xDA;
    private static final int EOI = 0xD9;
    /** Segments that make up the image: frames, tables, scans, restart interval, line count, hierarchy. */
    private static final Set<Integer> JPEG_IMAGE_SEGMENTS = Set.of(0xC0, 0xC1, 0xC2, 0xC3, 0xC4, 0xC5, 0xC6, 0xC7,
            0xC9, 0xCA, 0xCB, 0xCC, 0xCD, 0xCE, 0xCF, 0xDA, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF);
    private static final byte[] EXIF = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final int ORIENTATION_TAG = 0x0112;

    private static void jpeg(byte[] b, Pieces out) {
        require(b.length >= 4 && u8(b, 0) == 0xFF && u8(b, 1) == 0xD8, "no JPEG start");
        out.copy(0, 2);
        boolean orientationWritten = false;
        int i = 2;
        while (true) {
            require(i < b.length && u8(b, i) == 0xFF, "no marker where one is due");
            while (i < b.length && u8(b, i) == 0xFF) {
                i++; // fill bytes
            }
            require(i < b.length, "ends without EOI");
            int marker = u8(b, i++);
            if (marker == EOI) {
                out.add(new byte[]{(byte) 0xFF, (byte) EOI});
                return;
            }
            if (marker >= 0xD0 && marker <= 0xD7) {
                out.add(new byte[]{(byte) 0xFF, (byte) marker});
                continue;
            }
            require(i + 2 <= b.length, "segment length past the end");
            int start = i - 2;
            int end = i + u16(b, i, false);
            require(end >= i + 2 && end <= b.length, "segment length past the end");
            if (keepsJpegSegment(marker, b, i + 2, end)) {
                out.copy(start, end);
            } else if (marker == 0xE1 && !orientationWritten && startsWith(b, i + 2, end, EXIF)) {
                int orientation = orientation(b, i + 2 + EXIF.length, end);
                if (orientation > 1) {
                    out.add(orientationOnly(orientation));
                }
                orientationWritten = true;
            }
            i = end;
            if (marker == SOS) {
                int scanEnd = scanEnd(b, i);
                out.copy(i, scanEnd);
                i = scanEnd;
            }
        }
    }

    private static boolean keepsJpegSegment(int marker, byte[] b, int from, int to) {
        return JPEG_IMAGE_SEGMENTS.contains(marker)
                || marker == 0xE0 && startsWith(b, from, to, "JFIF\0".getBytes(StandardCharsets.ISO_8859_1))
                // colour: the ICC profile, and Adobe's transform flag (CMYK, YCCK)
                || marker == 0xE2 && startsWith(b, from, to, "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1))
                || marker == 0xEE && startsWith(b, from, to, "Adobe".getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Entropy-coded data ends at the first marker that is not a stuffed 0xFF00 or a restart marker. */
    private static int scanEnd(byte[] b, int i) {
        while (true) {
            require(i + 1 < b.length, "scan data runs to the end");
            if (u8(b, i) != 0xFF) {
                i++;
                continue;
            }
            int next = u8(b, i + 1);
            if (next == 0x00 || next >= 0xD0 && next <= 0xD7) {
                i += 2;
                continue;
            }
            return i;
        }
    }

    /** The Orientation of IFD0 in an EXIF block's TIFF structure (1, upright, if absent or unreadable). */
    static int orientation(byte[] b, int tiff, int end) {
        if (end - tiff < 8) {
            return 1;
        }
        boolean little;
        if (b[tiff] == 'I' && b[tiff + 1] == 'I') {
            little = true;
        } else if (b[tiff] == 'M' && b[tiff + 1] == 'M') {
            little = false;
        } else {
            return 1;
        }
        long ifd = tiff + u32(b, tiff + 4, little);
        if (ifd < tiff + 8 || ifd + 2 > end) {
            return 1;
        }
        int entries = u16(b, (int) ifd, little);
        for (int k = 0; k < entries; k++) {
            int entry = (int) ifd + 2 + 12 * k;
            if (entry + 12 > end) {
                return 1;
            }
            if (u16(b, entry, little) == ORIENTATION_TAG && u16(b, entry + 2, little) == 3 && u32(b, entry + 4, little) == 1) {
                int value = u16(b, entry + 8, little);
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    /** An APP1 segment with an EXIF block whose only entry is the Orientation (big-endian TIFF, one IFD). */
    static byte[] orientationOnly(int orientation) {
        return new byte[]{
                (byte) 0xFF, (byte) 0xE1, 0, 34,
                'E', 'x', 'i', 'f', 0, 0,
                'M', 'M', 0, 42, 0, 0, 0, 8,
                0, 1,
                0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0,
                0, 0, 0, 0};
    }

    // ---- PNG (ISO/IEC 15948, PNG 3rd edition) ----

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    /** Critical chunks, colour and transparency, pixel size, animation (APNG); never text, time or EXIF. */
    private static final Set<String> PNG_IMAGE_CHUNKS = Set.of("IHDR", "PLTE", "IDAT", "IEND", "tRNS", "cHRM", "gAMA",
            "iCCP", "sBIT", "sRGB", "cICP", "mDCV", "cLLI", "bKGD", "hIST", "pHYs", "acTL", "fcTL", "fdAT");

    private static void png(byte[] b, Pieces out) {
        require(startsWith(b, 0, b.length, PNG_SIGNATURE), "no PNG signature");
        out.copy(0, PNG_SIGNATURE.length);
        int i = PNG_SIGNATURE.length;
        boolean first = true;
        while (true) {
            require(i + 12 <= b.length, "ends without IEND");
            long length = u32(b, i, false);
            require(length <= b.length - i - 12L, "chunk length past the end");
            String type = new String(b, i + 4, 4, StandardCharsets.ISO_8859_1);
            require(type.chars().allMatch(Character::isLetter), "not a chunk type");
            require(!first || type.equals("IHDR"), "IHDR is not first");
            first = false;
            int end = i + 12 + (int) length;
            if (PNG_IMAGE_CHUNKS.contains(type)) {
                out.copy(i, end);
            }
            i = end;
            if (type.equals("IEND")) {
                return;
            }
        }
    }

    // ---- GIF (GIF89a specification) ----

    private static final int IMAGE = 0x2C;
    private static final int EXTENSION = 0x21;
    private static final int TRAILER = 0x3B;
    private static final int GRAPHIC_CONTROL = 0xF9;
    private static final int APPLICATION = 0xFF;
    /** Application extensions that only say how often an animation loops. */
    private static final Set<String> GIF_LOOPING = Set.of("NETSCAPE2.0", "ANIMEXTS1.0");

    private static void gif(byte[] b, Pieces out) {
        require(b.length >= 13 && (startsWith(b, 0, b.length, "GIF87a".getBytes(StandardCharsets.ISO_8859_1))
                || startsWith(b, 0, b.length, "GIF89a".getBytes(StandardCharsets.ISO_8859_1))), "no GIF header");
        int i = 13 + colourTableSize(u8(b, 10));
        require(i <= b.length, "colour table past the end");
        out.copy(0, i);
        while (true) {
            require(i < b.length, "ends without trailer");
            int block = u8(b, i);
            if (block == TRAILER) {
                out.copy(i, i + 1);
                return;
            }
            int end;
            if (block == IMAGE) {
                require(i + 10 <= b.length, "image descriptor past the end");
                int data = i + 10 + colourTableSize(u8(b, i + 9));
                require(data < b.length, "image data past the end");
                end = subBlocksEnd(b, data + 1); // after the LZW code size
                out.copy(i, end);
            } else if (block == EXTENSION) {
                require(i + 2 <= b.length, "extension past the end");
                int label = u8(b, i + 1);
                end = subBlocksEnd(b, i + 2);
                if (label == GRAPHIC_CONTROL || label == APPLICATION && isLooping(b, i + 2, end)) {
                    out.copy(i, end);
                }
            } else {
                throw new BrokenImage("unknown block");
            }
            i = end;
        }
    }

    private static int colourTableSize(int flags) {
        return (flags & 0x80) == 0 ? 0 : 3 * (1 << ((flags & 0x07) + 1));
    }

    private static int subBlocksEnd(byte[] b, int i) {
        while (true) {
            require(i < b.length, "data blocks run to the end");
            int size = u8(b, i);
            i += 1 + size;
            if (size == 0) {
                return i;
            }
        }
    }

    private static boolean isLooping(byte[] b, int firstBlock, int end) {
        return u8(b, firstBlock) == 11 && firstBlock + 12 <= end
                && GIF_LOOPING.contains(new String(b, firstBlock + 1, 11, StandardCharsets.ISO_8859_1));
    }

    // ---- WebP (RIFF container, RFC 9649) ----

    /** Bitstreams, alpha, animation and colour profile; never EXIF, XMP or unknown chunks. */
    private static final Set<String> WEBP_IMAGE_CHUNKS = Set.of("VP8 ", "VP8L", "VP8X", "ALPH", "ANIM", "ANMF", "ICCP");
    private static final int VP8X_EXIF_AND_XMP_FLAGS = 0x08 | 0x04;

    private static void webp(byte[] b, Pieces out) {
        require(b.length >= 12 && startsWith(b, 0, b.length, "RIFF".getBytes(StandardCharsets.ISO_8859_1))
                && startsWith(b, 8, b.length, "WEBP".getBytes(StandardCharsets.ISO_8859_1)), "no WebP header");
        long riffEnd = 8 + u32(b, 4, true);
        require(riffEnd <= b.length, "RIFF size past the end");
        Pieces chunks = new Pieces(b);
        boolean bitstream = false;
        int i = 12;
        while (i < riffEnd) {
            require(i + 8 <= riffEnd, "chunk header past the end");
            String fourCc = new String(b, i, 4, StandardCharsets.ISO_8859_1);
            long size = u32(b, i + 4, true);
            long end = i + 8 + size + (size & 1);
            require(end <= riffEnd, "chunk past the end");
            if (WEBP_IMAGE_CHUNKS.contains(fourCc)) {
                bitstream |= !fourCc.equals("ICCP") && !fourCc.equals("ALPH");
                if (fourCc.equals("VP8X")) {
                    require(size >= 1, "VP8X too short");
                    chunks.copy(i, i + 8);
                    chunks.add(new byte[]{(byte) (b[i + 8] & ~VP8X_EXIF_AND_XMP_FLAGS)});
                    chunks.copy(i + 9, (int) end);
                } else {
                    chunks.copy(i, (int) end);
                }
            }
            i = (int) end;
        }
        require(bitstream, "no image data");
        long riffSize = 4 + chunks.length();
        out.add(new byte[]{'R', 'I', 'F', 'F', (byte) riffSize, (byte) (riffSize >>> 8), (byte) (riffSize >>> 16),
                (byte) (riffSize >>> 24), 'W', 'E', 'B', 'P'});
        out.addAll(chunks);
    }

    // ---- bytes ----

    /** The output as ranges of the input and a few new bytes, written once the structure is known to be whole. */
    private static final class Pieces {
        private final byte[] source;
        private final List<Object> pieces = new ArrayList<>();
        private long length;

        Pieces(byte[] source) {
            this.source = source;
        }

        void copy(int from, int to) {
            pieces.add(new int[]{from, to});
            length += to - from;
        }

        void add(byte[] bytes) {
            pieces.add(bytes);
            length += bytes.length;
        }

        void addAll(Pieces other) {
            pieces.addAll(other.pieces);
            length += other.length;
        }

        long length() {
            return length;
        }

        void writeTo(OutputStream out) throws IOException {
            for (Object piece : pieces) {
                if (piece instanceof int[] range) {
                    out.write(source, range[0], range[1] - range[0]);
                } else {
                    out.write((byte[]) piece);
                }
            }
        }
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new BrokenImage(problem);
        }
    }

    private static boolean startsWith(byte[] b, int from, int to, byte[] prefix) {
        if (to - from < prefix.length || from + prefix.length > b.length) {
            return false;
        }
        for (int k = 0; k < prefix.length; k++) {
            if (b[from + k] != prefix[k]) {
                return false;
            }
        }
        return true;
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    private static int u16(byte[] b, int i, boolean little) {
        return little ? u8(b, i) | u8(b, i + 1) << 8 : u8(b, i) << 8 | u8(b, i + 1);
    }

    private static long u32(byte[] b, int i, boolean little) {
        return little
                ? (u8(b, i) | u8(b, i + 1) << 8 | u8(b, i + 2) << 16 | (long) u8(b, i + 3) << 24)
                : ((long) u8(b, i) << 24 | u8(b, i + 1) << 16 | u8(b, i + 2) << 8 | u8(b, i + 3));
    }
}
