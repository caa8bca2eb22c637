package io.ward.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

/**
 * The method a deploy runs once after creating the contract, with its input.
 *
 * @param method the init method, or empty for none
 * @param args its input as a JSON tree (JSON null for none)
 */
public record Init(Optional<String> method, JsonNode args) {
  public Init {
    Objects.requireNonNull(method, "method");
    args = args == null ? Json.toTree(null) : args.deepCopy();
  }

  /** No init method. */
  public static Init none() { return new Init(Optional.empty(), null); }

  /** Runs {@code method} with {@code args} (anything {@link Json#toTree} converts). */
  public static Init of(String method, Object args) { return new Init(Optional.of(method), Json.toTree(args)); }

  /** The input as the transaction carries it: JSON text, empty for none. */
  String argsText() { return args.isNull() ? "" : Json.write(args); }
}
