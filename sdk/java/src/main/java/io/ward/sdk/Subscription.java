package io.ward.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A live subscription over the client's WebSocket. {@link #close()} unsubscribes; no notification
 * is delivered after it returns. {@link #ended()} completes when the subscription ends, normally
 * after close, exceptionally when the connection dropped.
 */
public final class Subscription implements AutoCloseable {
  private final String id;
  private final WsConnection connection;
  private final Consumer<JsonNode> handler;
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private volatile boolean closed;

  Subscription(String id, WsConnection connection, Consumer<JsonNode> handler) {
    this.id = id;
    this.connection = connection;
    this.handler = handler;
  }

  /** The node's subscription id ({@code "0x"} + 16 hex digits). */
  public String id() { return id; }

  /** Completes when the subscription ends: normally after {@link #close()}, exceptionally when the connection dropped. */
  public CompletableFuture<Void> ended() { return ended; }

  synchronized void deliver(JsonNode result) {
    if (closed) return;
    try {
      handler.accept(result);
    } catch (RuntimeException e) {
      // A failing callback must not stop the delivery of later notifications.
    }
  }

  void ended(WardException e) {
    closed = true;
    if (e == null) ended.complete(null); else ended.completeExceptionally(e);
  }

  /** Unsubscribes ({@code ward_unsubscribe}); idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) return;
      closed = true;
    }
    connection.unsubscribe(this);
    ended.complete(null);
  }
}
