package io.ward.sdk;

import com.fasterxml.jackson.databind.JsonNode;

/** A JSON-RPC error answered by the node (docs/rpc.md "Envelope and errors"), with its code and data. */
public class RpcException extends WardException {
  private static final long serialVersionUID = 1L;
  private final int code;
  private final transient JsonNode data;

  /**
   * @param code the JSON-RPC error code
   * @param message the node's message
   * @param data the error's data, or null
   */
  public RpcException(int code, String message, JsonNode data) {
    super(message);
    this.code = code;
    this.data = data == null ? null : data.deepCopy();
  }

  /** The JSON-RPC error code (-32602 invalid params, -32001 rejected, ...). */
  public int code() { return code; }

  /** The error's data (a copy), or null when the node sent none. */
  public JsonNode data() { return data == null ? null : data.deepCopy(); }

  /** {@code data.kind}, or null. */
  public String kind() { return data != null && data.hasNonNull("kind") ? data.get("kind").asText() : null; }
}
