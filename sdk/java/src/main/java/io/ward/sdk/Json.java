package io.ward.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NumericNode;
import java.math.BigInteger;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The SDK's JSON helpers: one shared Jackson mapper and strict readers of node answers. */
public final class Json {
  /** The mapper the SDK uses (big numbers kept exact). */
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
  private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private Json() {}

  /** Parses JSON text; malformed text gives an IllegalArgumentException. */
  public static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Compact JSON text of a tree or of any value Jackson can write. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write as JSON: " + e.getOriginalMessage(), e);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("cannot write as JSON: " + e.getMessage(), e);
    }
  }

  /**
   * A JSON tree of a Java value as the node expects it: {@link Address}, {@link Hash},
   * {@link ObjectId} as their 0x text, {@link Bytes} and {@code byte[]} as 0x hex, {@link Optional}
   * as its value or null, maps, collections and records' components recursively, other values as
   * Jackson writes them. {@code long}s are written signed: use {@link #u64(long)} for u64 values
   * at or above 2^63.
   */
  public static JsonNode toTree(Object v) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (v == null) return f.nullNode();
    if (v instanceof JsonNode n) return n;
    if (v instanceof Address || v instanceof Hash || v instanceof ObjectId) return f.textNode(v.toString());
    if (v instanceof Bytes b) return f.textNode(b.hex0x());
    if (v instanceof byte[] b) return f.textNode(Hex.encode0x(b));
    if (v instanceof Optional<?> o) return o.isPresent() ? toTree(o.get()) : f.nullNode();
    if (v instanceof Map<?, ?> m) {
      ObjectNode o = f.objectNode();
      for (Map.Entry<?, ?> e : m.entrySet()) o.set(String.valueOf(e.getKey()), toTree(e.getValue()));
      return o;
    }
    if (v instanceof Collection<?> c) {
      ArrayNode a = f.arrayNode();
      for (Object e : c) a.add(toTree(e));
      return a;
    }
    if (v instanceof Record r) {
      ObjectNode o = f.objectNode();
      for (RecordComponent rc : r.getClass().getRecordComponents()) {
        try {
          o.set(rc.getName(), toTree(rc.getAccessor().invoke(r)));
        } catch (ReflectiveOperationException e) {
          throw new IllegalArgumentException("cannot read " + r.getClass().getSimpleName() + "." + rc.getName(), e);
        }
      }
      return o;
    }
    return MAPPER.valueToTree(v);
  }

  /** A JSON number holding an unsigned 64-bit value. */
  public static JsonNode u64(long v) {
    return v >= 0 ? JsonNodeFactory.instance.numberNode(v) : JsonNodeFactory.instance.numberNode(new BigInteger(Long.toUnsignedString(v)));
  }

  /** Reads a u64 given as a JSON number or decimal string, as an unsigned long. */
  public static long asU64(JsonNode n, String what) {
    BigInteger v;
    if (n != null && n.isIntegralNumber()) {
      v = ((NumericNode) n).bigIntegerValue();
    } else if (n != null && n.isTextual() && n.asText().matches("[0-9]{1,20}")) {
      v = new BigInteger(n.asText());
    } else {
      throw new WardException(what + " must be an unsigned 64-bit integer, found " + (n == null ? "nothing" : n.toString()));
    }
    if (v.signum() < 0 || v.compareTo(U64_MAX) > 0) throw new WardException(what + " is outside the u64 range: " + v);
    return v.longValue();
  }

  static JsonNode field(JsonNode obj, String name, String where) {
    JsonNode n = obj == null ? null : obj.get(name);
    if (n == null) throw new WardException(where + ": missing field '" + name + "' in " + abbreviate(obj));
    return n;
  }

  static long u64(JsonNode obj, String name, String where) { return asU64(field(obj, name, where), where + "." + name); }

  static Long optU64(JsonNode obj, String name, String where) {
    JsonNode n = obj.get(name);
    return n == null || n.isNull() ? null : asU64(n, where + "." + name);
  }

  static String text(JsonNode obj, String name, String where) {
    JsonNode n = field(obj, name, where);
    if (!n.isTextual()) throw new WardException(where + "." + name + " must be a string, found " + n);
    return n.asText();
  }

  static String optText(JsonNode obj, String name) {
    JsonNode n = obj.get(name);
    return n == null || n.isNull() ? null : n.asText();
  }

  static boolean bool(JsonNode obj, String name, String where) {
    JsonNode n = field(obj, name, where);
    if (!n.isBoolean()) throw new WardException(where + "." + name + " must be a boolean, found " + n);
    return n.booleanValue();
  }

  static Address address(JsonNode obj, String name, String where) {
    try {
      return Address.of(text(obj, name, where));
    } catch (IllegalArgumentException e) {
      throw new WardException(where + "." + name + ": " + e.getMessage(), e);
    }
  }

  static Address optAddress(JsonNode obj, String name) {
    String s = optText(obj, name);
    return s == null ? null : Address.of(s);
  }

  static Hash hash(JsonNode obj, String name, String where) {
    try {
      return Hash.of(text(obj, name, where));
    } catch (IllegalArgumentException e) {
      throw new WardException(where + "." + name + ": " + e.getMessage(), e);
    }
  }

  static Hash optHash(JsonNode obj, String name) {
    String s = optText(obj, name);
    return s == null ? null : Hash.of(s);
  }

  /** A deep copy, or JSON null for a missing node (values in records are never shared with the parser). */
  static JsonNode copy(JsonNode n) { return n == null ? JsonNodeFactory.instance.nullNode() : n.deepCopy(); }

  static <T> List<T> list(JsonNode arr, String where, Function<JsonNode, T> f) {
    if (arr == null || arr.isNull()) return List.of();
    if (!arr.isArray()) throw new WardException(where + " must be an array, found " + abbreviate(arr));
    List<T> out = new ArrayList<>(arr.size());
    for (JsonNode e : arr) out.add(f.apply(e));
    return List.copyOf(out);
  }

  static String abbreviate(JsonNode n) { return n == null ? "null" : Hex.abbreviate(n.toString()); }
}
