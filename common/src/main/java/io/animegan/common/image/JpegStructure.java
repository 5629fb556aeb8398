package io.animegan.common.image;

import io.animegan.common.stage.ErrorCode;

/**
 * Walks a JPEG's markers and entropy-coded scans the way libjpeg reads them, and refuses what
 * libjpeg would only warn about ("Corrupt JPEG data: ... extraneous bytes before marker", "found
 * marker 0x.. instead of RST", an invalid marker). OpenCV's decoder prints such warnings and
 * returns a smeared picture as if nothing happened; this check makes them a CORRUPT_IMAGE failure.
 * A corruption that produces no invalid marker (bits flipped inside the Huffman data) still
 * decodes: JPEG has no checksum to catch it.
 */
final class JpegStructure {

  private static final int EOI = 0xD9;
  private static final int SOS = 0xDA;
  private static final int TEM = 0x01;
  private static final int RST0 = 0xD0;
  private static final int RST7 = 0xD7;

  private JpegStructure() {}

  static void check(byte[] b) {
    int i = 2; // after SOI
    while (i + 1 < b.length) {
      if (u8(b, i) != 0xFF) {
        throw corrupt("extraneous bytes before a marker at offset " + i);
      }
      while (i + 1 < b.length && u8(b, i + 1) == 0xFF) {
        i++; // fill bytes
      }
      if (i + 1 >= b.length) {
        break;
      }
      int marker = u8(b, i + 1);
      i += 2;
      if (marker == EOI) {
        return;
      }
      if (marker == TEM || (marker >= RST0 && marker <= RST7)) {
        continue;
      }
      if (!isSegment(marker)) {
        throw corrupt(String.format("invalid marker 0x%02X at offset %d", marker, i - 2));
      }
      if (i + 1 >= b.length) {
        break;
      }
      int length = (u8(b, i) << 8) | u8(b, i + 1);
      if (length < 2) {
        throw corrupt("segment of impossible length " + length + " at offset " + i);
      }
      i += length;
      if (marker == SOS) {
        i = endOfScan(b, i);
      }
    }
    throw corrupt("JPEG data ends without an end-of-image marker");
  }

  /** Offset of the marker that ends the entropy-coded data starting at {@code i}. */
  private static int endOfScan(byte[] b, int i) {
    int expectedRestart = 0;
    while (i + 1 < b.length) {
      if (u8(b, i) != 0xFF) {
        i++;
        continue;
      }
      int next = u8(b, i + 1);
      if (next == 0x00 || next == 0xFF) {
        i += next == 0x00 ? 2 : 1; // a stuffed 0xFF data byte, or fill before a marker
      } else if (next >= RST0 && next <= RST7) {
        if (next - RST0 != expectedRestart) {
          throw corrupt(String.format("found marker 0x%02X instead of RST%d at offset %d", next, expectedRestart, i));
        }
        expectedRestart = (expectedRestart + 1) % 8;
        i += 2;
      } else {
        return i;
      }
    }
    return i;
  }

  /** Markers followed by a length: frame and table headers, restart interval, APPn, comments. */
  private static boolean isSegment(int marker) {
    return (marker >= 0xC0 && marker <= 0xCF)
        || (marker >= SOS && marker <= 0xDF)
        || (marker >= 0xE0 && marker <= 0xEF)
        || marker == 0xFE;
  }

  private static ImageException corrupt(String message) {
    return new ImageException(ErrorCode.CORRUPT_IMAGE, "corrupt JPEG data: " + message);
  }

  private static int u8(byte[] b, int i) {
    return b[i] & 0xFF;
  }
}
