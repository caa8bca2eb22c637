package io.ward.sdk;

/**
 * A transaction was included but did not end ok (reverted, trapped or failed). It used its nonce
 * and paid its fee; the receipt says why.
 */
public final class TxFailedException extends WardException {
  private static final long serialVersionUID = 1L;
  private final transient Receipt receipt;

  /** @param receipt the receipt of the failed transaction */
  public TxFailedException(Receipt receipt) {
    super("transaction " + receipt.txHash() + " " + receipt.status() + (receipt.error() != null ? ": " + receipt.error() : ""));
    this.receipt = receipt;
  }

  /** The receipt. */
  public Receipt receipt() { return receipt; }
}
