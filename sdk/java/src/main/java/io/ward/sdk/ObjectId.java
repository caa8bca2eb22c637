package io.ward.sdk;

import java.util.regex.Pattern;

/**
 * The id of a contract object (32 bytes), kept as {@code "0x"} + 64 lowercase hex digits.
 *
 * @param hex the canonical text form
 */
public record ObjectId(String hex) {
  private static final Pattern FORM = Pattern.compile("0x[0-9a-fA-F]{64}");

  /** @throws IllegalArgumentException when {@code hex} is not 0x + 64 hex digits */
  public ObjectId {
    if (hex == null || !FORM.matcher(hex).matches()) {
      throw new IllegalArgumentException("object id must be 0x + 64 hex digits, found '" + (hex == null ? "null" : Hex.abbreviate(hex)) + "'");
    }
    hex = hex.toLowerCase();
  }

  /** Parses {@code "0x"} + 64 hex digits (either case). */
  public static ObjectId of(String hex) { return new ObjectId(hex); }

  @Override
  public String toString() { return hex; }
}
