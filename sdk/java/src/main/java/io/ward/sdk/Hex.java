package io.ward.sdk;

import java.util.HexFormat;

/** Lowercase hex without and with the {@code 0x} prefix; decoding accepts either case. */
public final class Hex {
  private static final HexFormat HEX = HexFormat.of();

  private Hex() {}

  /** Bytes as lowercase hex, no prefix. */
  public static String encode(byte[] bytes) { return HEX.formatHex(bytes); }

  /** Bytes as {@code "0x"} + lowercase hex. */
  public static String encode0x(byte[] bytes) { return "0x" + HEX.formatHex(bytes); }

  /**
   * Hex (with or without {@code 0x}) to bytes.
   *
   * @throws IllegalArgumentException when the text is not an even number of hex digits
   */
  public static byte[] decode(String text) {
    String s = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
    if (s.length() % 2 != 0) throw new IllegalArgumentException("hex '" + abbreviate(text) + "' has an odd number of digits");
    try {
      return HEX.parseHex(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + abbreviate(text) + "' is not hex", e);
    }
  }

  /**
   * Hex of exactly {@code n} bytes.
   *
   * @throws IllegalArgumentException naming {@code what} when the text is not hex of n bytes
   */
  public static byte[] decodeExact(String text, int n, String what) {
    byte[] b;
    try {
      b = decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " must be hex of " + n + " bytes: " + e.getMessage(), e);
    }
    if (b.length != n) throw new IllegalArgumentException(what + " must be hex of " + n + " bytes, found " + b.length);
    return b;
  }

  static String abbreviate(String s) { return s.length() > 80 ? s.substring(0, 77) + "..." : s; }
}
