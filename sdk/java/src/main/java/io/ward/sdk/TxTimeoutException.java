package io.ward.sdk;

/**
 * No answer on a transaction's inclusion within the time allowed: its outcome is unknown and it may
 * still be included. Poll {@link WardClient#getReceipt(Hash)} with {@link #txHash()}, or resubmit
 * the same signed bytes (safe: same hash, included at most once).
 */
public final class TxTimeoutException extends WardException {
  private static final long serialVersionUID = 1L;
  private final Hash txHash;

  /**
   * @param txHash the transaction's hash (computed before sending)
   * @param message what timed out
   * @param cause the transport failure, or null
   */
  public TxTimeoutException(Hash txHash, String message, Throwable cause) {
    super(message, cause);
    this.txHash = txHash;
  }

  /** The hash of the transaction whose outcome is unknown. */
  public Hash txHash() { return txHash; }
}
