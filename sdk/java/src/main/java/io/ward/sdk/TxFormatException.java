package io.ward.sdk;

/** Bytes that are not a canonical version-1 transaction (docs/tx-format.md, "Errors"). */
public final class TxFormatException extends WardException {
  private static final long serialVersionUID = 1L;

  /** @param message what is wrong and at which byte offset */
  public TxFormatException(String message) { super(message); }
}
