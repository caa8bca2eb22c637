package io.ward.sdk;

import java.time.Duration;

/**
 * How a wallet sends a transaction. Null fields take defaults: gas limit
 * {@link #DEFAULT_GAS_LIMIT} (capped by the block gas limit), the chain's minimum gas price, the
 * client's timeout. Only the gas used is paid, but the balance must cover gas limit times gas
 * price plus value at admission.
 *
 * @param gasLimit gas the transaction may use, or null
 * @param gasPrice native value per unit of gas, or null
 * @param value native value attached to a call or deploy (unsigned)
 * @param timeout how long to wait for admission and inclusion, or null
 */
public record TxOptions(Long gasLimit, Long gasPrice, long value, Duration timeout) {
  /** The gas limit used when none is given (the node's default for calls). */
  public static final long DEFAULT_GAS_LIMIT = 10_000_000L;

  /** All defaults. */
  public static TxOptions defaults() { return new TxOptions(null, null, 0, null); }

  /** With a gas limit. */
  public TxOptions gasLimit(long v) { return new TxOptions(v, gasPrice, value, timeout); }

  /** With a gas price. */
  public TxOptions gasPrice(long v) { return new TxOptions(gasLimit, v, value, timeout); }

  /** With native value attached. */
  public TxOptions value(long v) { return new TxOptions(gasLimit, gasPrice, v, timeout); }

  /** With a timeout for admission and inclusion. */
  public TxOptions timeout(Duration d) { return new TxOptions(gasLimit, gasPrice, value, d); }
}
