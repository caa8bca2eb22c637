package io.ward.sdk;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * A 20-byte account or contract address, kept as {@code "0x"} + 40 lowercase hex digits
 * (docs/tx-format.md: the first 20 bytes of sha256 of the public key).
 *
 * @param hex the canonical text form
 */
public record Address(String hex) {
  private static final Pattern FORM = Pattern.compile("0x[0-9a-fA-F]{40}");

  /** @throws IllegalArgumentException when {@code hex} is not 0x + 40 hex digits */
  public Address {
    if (hex == null || !FORM.matcher(hex).matches()) {
      throw new IllegalArgumentException("address must be 0x + 40 hex digits, found '" + (hex == null ? "null" : Hex.abbreviate(hex)) + "'");
    }
    hex = hex.toLowerCase();
  }

  /** Parses {@code "0x"} + 40 hex digits (either case). */
  public static Address of(String hex) { return new Address(hex); }

  /** The address of 20 raw bytes. */
  public static Address of(byte[] raw) {
    if (raw.length != 20) throw new IllegalArgumentException("address must be 20 bytes, found " + raw.length);
    return new Address(Hex.encode0x(raw));
  }

  /** The address of an Ed25519 public key: the first 20 bytes of sha256(public key). */
  public static Address fromPublicKey(byte[] publicKey) {
    if (publicKey.length != 32) throw new IllegalArgumentException("public key must be 32 bytes, found " + publicKey.length);
    return of(Arrays.copyOf(sha256(publicKey), 20));
  }

  /** The 20 raw bytes (a fresh copy). */
  public byte[] bytes() { return Hex.decode(hex); }

  @Override
  public String toString() { return hex; }

  static byte[] sha256(byte[]... parts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (byte[] p : parts) md.update(p);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
