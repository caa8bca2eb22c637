package io.ward.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A prepared call of a contract method (what generated wrappers return for methods that change
 * state): {@link #send()} signs and sends it, {@link #simulate()} dry-runs it.
 *
 * @param <T> the method's result type
 */
public final class ContractCall<T> {
  private final Contract contract;
  private final Wallet wallet;
  private final String method;
  private final JsonNode args;
  private final Function<JsonNode, T> decoder;

  /**
   * @param contract the contract
   * @param wallet who signs, or null for a read-only wrapper (then only {@link #simulate()} needs none)
   * @param method the method
   * @param args its input
   * @param decoder reads the method's JSON result
   */
  public ContractCall(Contract contract, Wallet wallet, String method, JsonNode args, Function<JsonNode, T> decoder) {
    this.contract = contract;
    this.wallet = wallet;
    this.method = method;
    this.args = args.deepCopy();
    this.decoder = decoder;
  }

  /** Sends with default options; completes with the ok receipt. */
  public CompletableFuture<Receipt> send() { return send(TxOptions.defaults()); }

  /** Sends; completes with the ok receipt, or {@link TxRejectedException}, {@link TxFailedException}, {@link TxTimeoutException}. */
  public CompletableFuture<Receipt> send(TxOptions opts) {
    if (wallet == null) return CompletableFuture.failedFuture(new IllegalStateException("this contract wrapper has no wallet: load it with one to send"));
    return contract.call(wallet, method, args, opts);
  }

  /** Sends and completes with the method's decoded result. */
  public CompletableFuture<T> sendForResult() { return send().thenApply(this::result); }

  /** Dry-runs the call from the wallet; completes with the decoded result, or {@link TxFailedException} with the simulated receipt. */
  public CompletableFuture<T> simulate() {
    if (wallet == null) return CompletableFuture.failedFuture(new IllegalStateException("this contract wrapper has no wallet: load it with one to simulate"));
    return contract.simulate(wallet, method, args, TxOptions.defaults()).thenApply(r -> {
      if (!r.ok()) throw new TxFailedException(r);
      return result(r);
    });
  }

  /** The method's result read from a receipt. */
  public T result(Receipt r) { return decoder.apply(r.result()); }
}
