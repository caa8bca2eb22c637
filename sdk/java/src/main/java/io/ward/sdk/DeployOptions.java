package io.ward.sdk;

import java.util.Objects;
import java.util.Optional;

/**
 * How a contract is deployed (docs/tx-format.md, Deploy).
 *
 * @param abi the ABI JSON text carried with the deploy (readable later with ward_getAbi), or empty
 * @param immutable true: no admin, never upgradable
 * @param floatPolicy whether floating point is allowed in the module
 * @param tx gas, value and timeout
 */
public record DeployOptions(Optional<String> abi, boolean immutable, FloatPolicy floatPolicy, TxOptions tx) {
  public DeployOptions {
    Objects.requireNonNull(abi, "abi");
    Objects.requireNonNull(floatPolicy, "floatPolicy");
    Objects.requireNonNull(tx, "tx");
  }

  /** No ABI, upgradable, floats allowed, default transaction options. */
  public static DeployOptions defaults() { return new DeployOptions(Optional.empty(), false, FloatPolicy.ALLOW, TxOptions.defaults()); }

  /** With the ABI JSON text carried along. */
  public DeployOptions abi(String json) { return new DeployOptions(Optional.of(json), immutable, floatPolicy, tx); }

  /** Immutable (no admin) or not. */
  public DeployOptions immutable(boolean v) { return new DeployOptions(abi, v, floatPolicy, tx); }

  /** With a float policy. */
  public DeployOptions floatPolicy(FloatPolicy p) { return new DeployOptions(abi, immutable, p, tx); }

  /** With transaction options (gas, value given to the contract, timeout). */
  public DeployOptions tx(TxOptions t) { return new DeployOptions(abi, immutable, floatPolicy, t); }
}
