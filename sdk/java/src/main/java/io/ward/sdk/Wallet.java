package io.ward.sdk;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * An account that signs and sends transactions through a {@link WardClient}, with its own
 * {@link NonceManager}. Thread-safe: concurrent sends from one wallet get consecutive nonces.
 *
 * <p>Sending: the transaction is built (chain id and minimum gas price from the node, expiry
 * {@link #EXPIRY_BLOCKS} above the head), signed, and its hash computed before anything is sent.
 * A "nonce too low" refusal resyncs the nonce with the node and retries once with a new nonce; a
 * "nonce too high" (the node admits at most 16 nonces ahead) is retried with the same bytes until
 * the timeout. Other refusals fail with {@link TxRejectedException}; an included transaction whose
 * status is not ok fails with {@link TxFailedException}; no answer in time gives
 * {@link TxTimeoutException} with the hash.
 */
public final class Wallet {
  /** How many blocks above the head a transaction stays valid. */
  public static final long EXPIRY_BLOCKS = 1000;
  private static final Duration INFO_MAX_AGE = Duration.ofSeconds(2);
  private final WardClient client;
  private final Ed25519Signer signer;
  private final NonceManager nonces;

  /** A wallet of {@code signer}'s account on the node of {@code client}. */
  public Wallet(WardClient client, Ed25519Signer signer) {
    this.client = Objects.requireNonNull(client, "client");
    this.signer = Objects.requireNonNull(signer, "signer");
    this.nonces = new NonceManager(client, signer.address());
  }

  /** The account's address. */
  public Address address() { return signer.address(); }

  /** The signing key. */
  public Ed25519Signer signer() { return signer; }

  /** The client it sends through. */
  public WardClient client() { return client; }

  /** Its nonce manager. */
  public NonceManager nonces() { return nonces; }

  /** A signed transaction handed to the node, with its hash. */
  private record Admitted(SignedTransaction tx, Hash hash) {}

  /**
   * Signs and submits {@code action}; completes with the hash once the node admitted it (not yet
   * included).
   */
  public CompletableFuture<Hash> submit(Action action, TxOptions opts) {
    return admit(action, opts, deadline(opts), false).thenApply(Admitted::hash);
  }

  /**
   * Signs, submits and waits for inclusion; completes with the receipt when its status is ok,
   * else with {@link TxFailedException}.
   */
  public CompletableFuture<Receipt> send(Action action, TxOptions opts) {
    long deadline = deadline(opts);
    return admit(action, opts, deadline, false)
        .thenCompose(a -> client.waitForReceipt(a.hash(), Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))))
        .thenApply(r -> {
          if (!r.ok()) throw new TxFailedException(r);
          return r;
        });
  }

  /** Sends native value; completes with the ok receipt. */
  public CompletableFuture<Receipt> transfer(Address to, long amount, TxOptions opts) {
    return send(new Action.Transfer(to, amount), opts);
  }

  /** Sends native value with default options. */
  public CompletableFuture<Receipt> transfer(Address to, long amount) { return transfer(to, amount, TxOptions.defaults()); }

  /**
   * Deploys a contract and runs its init method; completes with the new contract's address and the
   * ok receipt.
   *
   * @param wasm the module (raw wasm or gzip of it)
   * @param init the init method and input, or {@link Init#none()}
   * @param opts ABI, immutability, float policy and transaction options
   */
  public CompletableFuture<Deployment> deploy(byte[] wasm, Init init, DeployOptions opts) {
    Action.Deploy d = new Action.Deploy(Bytes.of(wasm), init.method(), init.argsText(), opts.tx().value(), opts.immutable(), opts.floatPolicy(),
        opts.abi());
    return send(d, opts.tx()).thenApply(r -> {
      if (r.contract() == null) throw new WardException("deploy receipt " + r.txHash() + " names no contract");
      return new Deployment(r.contract(), r);
    });
  }

  /**
   * Calls a contract method in a transaction; completes with the ok receipt (its {@code result}
   * is the method's result).
   *
   * @param args the input (a JSON tree or anything {@link Json#toTree} converts; null for none)
   */
  public CompletableFuture<Receipt> call(Address contract, String method, Object args, TxOptions opts) {
    return send(new Action.Call(contract, method, args == null ? "" : Json.write(Json.toTree(args)), opts.value()), opts);
  }

  /**
   * Dry-runs {@code action} from this wallet on the head state ({@code ward_simulate}); nothing is
   * signed or committed and no nonce is used. Completes with the receipt, whatever its status; a
   * transaction that is not applicable fails with {@link RpcException} -32004.
   */
  public CompletableFuture<Receipt> simulate(Action action, TxOptions opts) {
    ObjectNode f = JsonNodeFactory.instance.objectNode();
    f.put("from", address().hex());
    f.set("action", actionJson(action));
    if (opts.gasLimit() != null) f.set("gas_limit", Json.u64(opts.gasLimit()));
    if (opts.gasPrice() != null) f.set("gas_price", Json.u64(opts.gasPrice()));
    return client.simulate(f);
  }

  static ObjectNode actionJson(Action action) {
    ObjectNode a = JsonNodeFactory.instance.objectNode();
    a.put("type", action.type());
    if (action instanceof Action.Transfer t) {
      a.put("to", t.to().hex());
      a.set("amount", Json.u64(t.amount()));
    } else if (action instanceof Action.Deploy d) {
      a.put("code", d.code().hex0x());
      d.initMethod().ifPresent(m -> a.put("init_method", m));
      a.put("init_args", d.initArgs());
      a.set("value", Json.u64(d.value()));
      a.put("immutable", d.immutable());
      a.put("float_policy", d.floatPolicy().jsonName());
      d.abi().ifPresent(x -> a.put("abi", x));
    } else if (action instanceof Action.Call c) {
      a.put("contract", c.contract().hex());
      a.put("method", c.method());
      a.put("args", c.args());
      a.set("value", Json.u64(c.value()));
    } else if (action instanceof Action.Upgrade u) {
      a.put("contract", u.contract().hex());
      a.put("code", u.code().hex0x());
      u.migrateMethod().ifPresent(m -> a.put("migrate_method", m));
      a.put("migrate_args", u.migrateArgs());
    } else if (action instanceof Action.Destroy x) {
      a.put("contract", x.contract().hex());
      a.put("beneficiary", x.beneficiary().hex());
    }
    return a;
  }

  private long deadline(TxOptions opts) {
    Duration t = opts.timeout() != null ? opts.timeout() : client.timeout();
    return System.nanoTime() + t.toNanos();
  }

  private CompletableFuture<Admitted> admit(Action action, TxOptions opts, long deadline, boolean resynced) {
    return client.recentChainInfo(INFO_MAX_AGE).thenCompose(info -> nonces.reserve().thenCompose(nonce -> {
      long gasLimit = opts.gasLimit() != null ? opts.gasLimit() : Math.min(TxOptions.DEFAULT_GAS_LIMIT, info.blockGasLimit());
      long gasPrice = opts.gasPrice() != null ? opts.gasPrice() : info.minGasPrice();
      Transaction tx = new Transaction(info.chainId(), Bytes.of(signer.publicKey()), nonce, info.headHeight() + EXPIRY_BLOCKS, gasLimit, gasPrice,
          action);
      SignedTransaction stx = tx.sign(signer);
      CompletableFuture<Admitted> out = new CompletableFuture<>();
      attempt(stx, deadline, 5, out);
      return out.exceptionallyCompose(err -> {
        Throwable e = WardClient.unwrap(err);
        if (e instanceof TxRejectedException rej) {
          if ("nonce_too_low".equals(rej.reason()) && !resynced) {
            return nonces.resync().thenCompose(v -> admit(action, opts, deadline, true));
          }
          nonces.release(nonce);
        }
        return CompletableFuture.failedFuture(e);
      });
    }));
  }

  /** Submits the same signed bytes until admitted, refused for good, or out of time. */
  private void attempt(SignedTransaction stx, long deadline, long delayMs, CompletableFuture<Admitted> out) {
    client.sendTransaction(stx).whenComplete((hash, err) -> {
      if (err == null) {
        out.complete(new Admitted(stx, hash));
        return;
      }
      Throwable e = WardClient.unwrap(err);
      long left = deadline - System.nanoTime();
      if (e instanceof TxRejectedException rej && "nonce_too_high".equals(rej.reason()) && left > 0) {
        // Earlier nonces of this wallet are not yet included: the node admits them first.
        long wait = Math.min(delayMs, TimeUnit.NANOSECONDS.toMillis(left) + 1);
        CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS)
            .execute(() -> attempt(stx, deadline, Math.min(delayMs * 2, 200), out));
        return;
      }
      out.completeExceptionally(e instanceof RuntimeException ? e : new CompletionException(e));
    });
  }
}
