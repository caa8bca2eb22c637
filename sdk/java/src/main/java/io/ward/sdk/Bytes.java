package io.ward.sdk;

import java.util.Arrays;

/** An immutable byte string (code, keys, signatures); equal when the bytes are equal. */
public final class Bytes {
  private static final Bytes EMPTY = new Bytes(new byte[0]);
  private final byte[] bytes;

  private Bytes(byte[] bytes) { this.bytes = bytes; }

  /** A copy of {@code bytes}. */
  public static Bytes of(byte[] bytes) { return bytes.length == 0 ? EMPTY : new Bytes(bytes.clone()); }

  /** Hex (with or without 0x) to bytes. */
  public static Bytes fromHex(String hex) { return new Bytes(Hex.decode(hex)); }

  /** No bytes. */
  public static Bytes empty() { return EMPTY; }

  /** A fresh copy of the bytes. */
  public byte[] toArray() { return bytes.clone(); }

  /** Number of bytes. */
  public int size() { return bytes.length; }

  /** Lowercase hex without prefix. */
  public String hex() { return Hex.encode(bytes); }

  /** {@code "0x"} + lowercase hex. */
  public String hex0x() { return Hex.encode0x(bytes); }

  byte[] raw() { return bytes; }

  @Override
  public boolean equals(Object o) { return o instanceof Bytes b && Arrays.equals(bytes, b.bytes); }

  @Override
  public int hashCode() { return Arrays.hashCode(bytes); }

  @Override
  public String toString() { return bytes.length <= 64 ? hex0x() : "0x" + Hex.encode(Arrays.copyOf(bytes, 32)) + "...(" + bytes.length + " bytes)"; }
}
