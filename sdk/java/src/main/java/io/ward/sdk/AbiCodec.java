package io.ward.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reading contract results of the ABI types (the codec of the contract SDK: integers as JSON
 * numbers or decimal strings, addresses and ids as 0x hex, bytes as 0x hex). Used by generated
 * wrappers; every reader fails with a {@link WardException} naming the expected type.
 */
public final class AbiCodec {
  private AbiCodec() {}

  /** u64 (unsigned, in a long). */
  public static long u64(JsonNode n) { return Json.asU64(n, "u64 result"); }

  /** i64. */
  public static long i64(JsonNode n) {
    if (n != null && n.isIntegralNumber() && n.canConvertToLong()) return n.longValue();
    if (n != null && n.isTextual() && n.asText().matches("-?[0-9]{1,19}")) return Long.parseLong(n.asText());
    throw mismatch("i64", n);
  }

  /** u32 (in a long). */
  public static long u32(JsonNode n) {
    long v = i64(n);
    if (v < 0 || v > 0xffffffffL) throw mismatch("u32", n);
    return v;
  }

  /** i32, i16, i8, u16, u8 (in an int; range checked by {@code bits} and {@code signed}). */
  public static int small(JsonNode n, int bits, boolean signed) {
    long v = i64(n);
    long lo = signed ? -(1L << (bits - 1)) : 0;
    long hi = signed ? (1L << (bits - 1)) - 1 : (1L << bits) - 1;
    if (v < lo || v > hi) throw mismatch((signed ? "i" : "u") + bits, n);
    return (int) v;
  }

  /** bool. */
  public static boolean bool(JsonNode n) {
    if (n == null || !n.isBoolean()) throw mismatch("bool", n);
    return n.booleanValue();
  }

  /** string. */
  public static String string(JsonNode n) {
    if (n == null || !n.isTextual()) throw mismatch("string", n);
    return n.asText();
  }

  /** address. */
  public static Address address(JsonNode n) {
    try {
      return Address.of(string(n));
    } catch (IllegalArgumentException e) {
      throw mismatch("address", n);
    }
  }

  /** object_id. */
  public static ObjectId objectId(JsonNode n) {
    try {
      return ObjectId.of(string(n));
    } catch (IllegalArgumentException e) {
      throw mismatch("object_id", n);
    }
  }

  /** hash. */
  public static Hash hash(JsonNode n) {
    try {
      return Hash.of(string(n));
    } catch (IllegalArgumentException e) {
      throw mismatch("hash", n);
    }
  }

  /** bytes. */
  public static Bytes bytes(JsonNode n) {
    try {
      return Bytes.fromHex(string(n));
    } catch (IllegalArgumentException e) {
      throw mismatch("bytes", n);
    }
  }

  /** T[]. */
  public static <T> List<T> list(JsonNode n, Function<JsonNode, T> element) {
    if (n == null || !n.isArray()) throw mismatch("array", n);
    List<T> out = new ArrayList<>(n.size());
    for (JsonNode e : n) out.add(element.apply(e));
    return List.copyOf(out);
  }

  /** T? (JSON null is empty). */
  public static <T> Optional<T> optional(JsonNode n, Function<JsonNode, T> inner) {
    return n == null || n.isNull() || n.isMissingNode() ? Optional.empty() : Optional.of(inner.apply(n));
  }

  /** A struct field, required. */
  public static JsonNode field(JsonNode obj, String name) {
    if (obj == null || !obj.isObject()) throw mismatch("object", obj);
    JsonNode f = obj.get(name);
    return f == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : f;
  }

  /** Encodes a u64 argument (unsigned) as a JSON number. */
  public static JsonNode u64Tree(long v) { return Json.u64(v); }

  /** Encodes a list argument element by element. */
  public static <T> JsonNode listTree(List<T> values, Function<T, JsonNode> element) {
    com.fasterxml.jackson.databind.node.ArrayNode a = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
    for (T v : values) a.add(element.apply(v));
    return a;
  }

  /** Encodes an optional argument: its value, or JSON null. */
  public static <T> JsonNode optionalTree(Optional<T> value, Function<T, JsonNode> inner) {
    return value.isPresent() ? inner.apply(value.get()) : com.fasterxml.jackson.databind.node.NullNode.getInstance();
  }

  private static WardException mismatch(String type, JsonNode n) {
    return new WardException("contract result: expected " + type + ", found " + (n == null ? "nothing" : Json.abbreviate(n)));
  }
}
