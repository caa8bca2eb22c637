package io.ward.sdk;

import java.util.Objects;
import java.util.Optional;

/**
 * What a transaction does: one of the five actions of docs/tx-format.md. u64 values are Java
 * {@code long}s read as unsigned (use {@link Long#toUnsignedString(long)} to print them).
 */
public sealed interface Action permits Action.Transfer, Action.Deploy, Action.Call, Action.Upgrade, Action.Destroy {
  /** The action tag of the encoding (0 to 4). */
  int tag();

  /** "transfer", "deploy", "call", "upgrade" or "destroy". */
  String type();

  /**
   * Tag 0: moves native value.
   *
   * @param to the receiver
   * @param amount the value moved (unsigned)
   */
  record Transfer(Address to, long amount) implements Action {
    public Transfer { Objects.requireNonNull(to, "to"); }
    public int tag() { return 0; }
    public String type() { return "transfer"; }
  }

  /**
   * Tag 1: creates a contract at {@code contract_address(sender, nonce)}.
   *
   * @param code raw wasm, or gzip of it
   * @param initMethod the method run once after deployment, or empty
   * @param initArgs its input (JSON text, may be empty)
   * @param value native value given to the contract (unsigned)
   * @param immutable true: no admin, never upgradable
   * @param floatPolicy whether floating point is allowed
   * @param abi the ABI JSON text carried along, or empty
   */
  record Deploy(Bytes code, Optional<String> initMethod, String initArgs, long value, boolean immutable, FloatPolicy floatPolicy,
                Optional<String> abi) implements Action {
    public Deploy {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(initMethod, "initMethod");
      Objects.requireNonNull(initArgs, "initArgs");
      Objects.requireNonNull(floatPolicy, "floatPolicy");
      Objects.requireNonNull(abi, "abi");
    }
    public int tag() { return 1; }
    public String type() { return "deploy"; }
  }

  /**
   * Tag 2: calls a contract method.
   *
   * @param contract the contract
   * @param method the method name
   * @param args the input, JSON text
   * @param value native value attached (unsigned)
   */
  record Call(Address contract, String method, String args, long value) implements Action {
    public Call {
      Objects.requireNonNull(contract, "contract");
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(args, "args");
    }
    public int tag() { return 2; }
    public String type() { return "call"; }
  }

  /**
   * Tag 3: replaces a contract's code (admin only).
   *
   * @param contract the contract
   * @param code the new module (raw wasm or gzip)
   * @param migrateMethod run after the swap, or empty
   * @param migrateArgs its input, JSON text (may be empty)
   */
  record Upgrade(Address contract, Bytes code, Optional<String> migrateMethod, String migrateArgs) implements Action {
    public Upgrade {
      Objects.requireNonNull(contract, "contract");
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(migrateMethod, "migrateMethod");
      Objects.requireNonNull(migrateArgs, "migrateArgs");
    }
    public int tag() { return 3; }
    public String type() { return "upgrade"; }
  }

  /**
   * Tag 4: destroys a contract (admin only), sending its balance to the beneficiary.
   *
   * @param contract the contract
   * @param beneficiary who receives its balance
   */
  record Destroy(Address contract, Address beneficiary) implements Action {
    public Destroy {
      Objects.requireNonNull(contract, "contract");
      Objects.requireNonNull(beneficiary, "beneficiary");
    }
    public int tag() { return 4; }
    public String type() { return "destroy"; }
  }
}
