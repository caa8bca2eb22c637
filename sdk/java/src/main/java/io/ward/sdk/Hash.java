package io.ward.sdk;

import java.util.regex.Pattern;

/**
 * A 32-byte hash (transaction, block, state root, code), kept as {@code "0x"} + 64 lowercase hex digits.
 *
 * @param hex the canonical text form
 */
public record Hash(String hex) {
  private static final Pattern FORM = Pattern.compile("0x[0-9a-fA-F]{64}");

  /** @throws IllegalArgumentException when {@code hex} is not 0x + 64 hex digits */
  public Hash {
    if (hex == null || !FORM.matcher(hex).matches()) {
      throw new IllegalArgumentException("hash must be 0x + 64 hex digits, found '" + (hex == null ? "null" : Hex.abbreviate(hex)) + "'");
    }
    hex = hex.toLowerCase();
  }

  /** Parses {@code "0x"} + 64 hex digits (either case). */
  public static Hash of(String hex) { return new Hash(hex); }

  /** The hash of 32 raw bytes. */
  public static Hash of(byte[] raw) {
    if (raw.length != 32) throw new IllegalArgumentException("hash must be 32 bytes, found " + raw.length);
    return new Hash(Hex.encode0x(raw));
  }

  /** sha256 of the concatenated parts. */
  public static Hash sha256(byte[]... parts) { return of(Address.sha256(parts)); }

  /** The 32 raw bytes (a fresh copy). */
  public byte[] bytes() { return Hex.decode(hex); }

  @Override
  public String toString() { return hex; }
}
