package io.ward.sdk;

import java.util.concurrent.CompletableFuture;

/**
 * Hands out one account's nonces: concurrent callers get consecutive values, starting from the
 * node's next nonce (fetched on first use). Thread-safe.
 *
 * <p>A transaction the node refused returns its nonce when it was the last one handed out
 * ({@link #release}); {@link #resync} moves forward to the node's nonce after a "nonce too low".
 */
public final class NonceManager {
  private final WardClient client;
  private final Address address;
  private long next;
  private boolean known;
  private CompletableFuture<Void> loading;

  /** A manager for {@code address}'s nonces on the node of {@code client}. */
  public NonceManager(WardClient client, Address address) {
    this.client = client;
    this.address = address;
  }

  /** The next nonce to use; consecutive between concurrent callers. */
  public CompletableFuture<Long> reserve() {
    CompletableFuture<Void> wait;
    synchronized (this) {
      if (known) return CompletableFuture.completedFuture(next++);
      if (loading == null) {
        CompletableFuture<Void> l = client.getNonce(address).thenAccept(n -> {
          synchronized (this) {
            if (!known) {
              next = n;
              known = true;
            }
          }
        });
        l.whenComplete((v, e) -> {
          synchronized (this) {
            loading = null;
          }
        });
        loading = l;
      }
      wait = loading;
    }
    return wait.thenCompose(v -> reserve());
  }

  /** Moves the next nonce up to the node's, if the node is ahead (after a "nonce too low"). */
  public CompletableFuture<Void> resync() {
    return client.getNonce(address).thenAccept(n -> {
      synchronized (this) {
        if (!known || Long.compareUnsigned(n, next) > 0) next = n;
        known = true;
      }
    });
  }

  /** Gives back {@code nonce} of a transaction that was refused, when no later nonce was handed out. */
  public synchronized void release(long nonce) {
    if (known && next == nonce + 1) next = nonce;
  }

  /** Forgets the local count: the next {@link #reserve()} asks the node again. */
  public synchronized void reset() { known = false; }
}
