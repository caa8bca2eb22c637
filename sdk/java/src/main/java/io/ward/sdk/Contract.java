package io.ward.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A deployed contract: read-only calls ({@code ward_call}), calls in transactions from a
 * {@link Wallet}, and dry runs. With an ABI, method names and read-only markers are checked
 * before anything is sent. Immutable and thread-safe.
 */
public final class Contract {
  private final WardClient client;
  private final Address address;
  private final JsonNode abi;

  private Contract(WardClient client, Address address, JsonNode abi) {
    this.client = Objects.requireNonNull(client, "client");
    this.address = Objects.requireNonNull(address, "address");
    this.abi = abi == null ? null : abi.deepCopy();
  }

  /** The contract at {@code address}; {@code abi} (the ABI JSON of {@code ward build}) may be null. */
  public static Contract at(WardClient client, Address address, JsonNode abi) { return new Contract(client, address, abi); }

  /** The contract at {@code address}, with the ABI its deploy carried (none when it carried none). */
  public static CompletableFuture<Contract> load(WardClient client, Address address) {
    return client.getAbi(address).thenApply(abi -> new Contract(client, address, abi.orElse(null)));
  }

  /** Its address. */
  public Address address() { return address; }

  /** The client it reads through. */
  public WardClient client() { return client; }

  /** A read-only call; completes with the method's result, or fails with {@link CallFailedException}. */
  public CompletableFuture<JsonNode> view(String method, Object args) {
    return view(method, args, null);
  }

  /** A read-only call as seen from {@code from}. */
  public CompletableFuture<JsonNode> view(String method, Object args, Address from) {
    String bad = check(method, null);
    if (bad != null) return CompletableFuture.failedFuture(new IllegalArgumentException(bad));
    return client.call(address, method, args, from).thenApply(r -> {
      if (!r.ok()) throw new CallFailedException(method, r);
      return r.result();
    });
  }

  /** Calls {@code method} in a transaction signed by {@code wallet}; completes with the ok receipt. */
  public CompletableFuture<Receipt> call(Wallet wallet, String method, Object args, TxOptions opts) {
    String bad = check(method, false);
    if (bad != null) return CompletableFuture.failedFuture(new IllegalArgumentException(bad));
    return wallet.call(address, method, args, opts);
  }

  /** Dry-runs a call from {@code wallet} ({@code ward_simulate}); completes with the receipt whatever its status. */
  public CompletableFuture<Receipt> simulate(Wallet wallet, String method, Object args, TxOptions opts) {
    String bad = check(method, null);
    if (bad != null) return CompletableFuture.failedFuture(new IllegalArgumentException(bad));
    return wallet.simulate(new Action.Call(address, method, args == null ? "" : Json.write(Json.toTree(args)), opts.value()), opts);
  }

  /** Null when the ABI (if any) has {@code method}; {@code mutating}: also require it not to be read-only. */
  private String check(String method, Boolean mutating) {
    if (abi == null) return null;
    List<String> names = new ArrayList<>();
    for (JsonNode m : abi.path("methods")) {
      String name = m.path("name").asText();
      names.add(name);
      if (name.equals(method)) {
        if (Boolean.FALSE.equals(mutating) && m.path("readonly").asBoolean(false)) {
          return "method '" + method + "' of contract " + address + " is read-only: use view()";
        }
        return null;
      }
    }
    return "contract " + address + " has no method '" + method + "' (its ABI has " + names + ")";
  }
}
