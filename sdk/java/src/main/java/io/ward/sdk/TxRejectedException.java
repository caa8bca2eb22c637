package io.ward.sdk;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The node refused to admit a transaction (-32001): nothing was included and the fee was not paid.
 * {@link #reason()} is one of the mempool reasons of docs/node.md ({@code nonce_too_low},
 * {@code bad_signature}, {@code wrong_chain}, {@code insufficient_balance}, ...).
 */
public final class TxRejectedException extends RpcException {
  private static final long serialVersionUID = 1L;
  private final String reason;
  private final Hash txHash;

  /**
   * @param message the node's message (says exactly why)
   * @param data the error data ({@code {kind: "rejected", reason, txHash?}})
   * @param txHash the transaction's hash as the client computed it, or null
   */
  public TxRejectedException(String message, JsonNode data, Hash txHash) {
    super(-32001, message, data);
    this.reason = data != null && data.hasNonNull("reason") ? data.get("reason").asText() : "unknown";
    this.txHash = txHash;
  }

  /** The mempool reason, e.g. {@code nonce_too_low}. */
  public String reason() { return reason; }

  /** The transaction's hash, or null when it could not be computed. */
  public Hash txHash() { return txHash; }
}
