package io.ward.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The client's WebSocket: requests matched to answers by id, subscription notifications routed to
 * their handlers. A handler is registered before the subscribe future completes, so no
 * notification is lost; after {@link Subscription#close()} none is delivered.
 */
final class WsConnection implements WebSocket.Listener {
  private final Duration timeout;
  private final AtomicLong ids;
  private final CompletableFuture<WebSocket> socket;
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private final Map<String, Subscription> subs = new ConcurrentHashMap<>();
  private final StringBuilder partial = new StringBuilder();
  private final Object sendLock = new Object();
  private CompletableFuture<Object> lastSend = CompletableFuture.completedFuture(null);
  private volatile Throwable dead;

  private record Pending(CompletableFuture<JsonNode> answer, Consumer<JsonNode> onNotification, String method) {}

  WsConnection(HttpClient http, URI uri, Duration timeout, AtomicLong ids) {
    this.timeout = timeout;
    this.ids = ids;
    this.socket = http.newWebSocketBuilder().connectTimeout(timeout).buildAsync(uri, this);
    this.socket.whenComplete((ws, err) -> {
      if (err != null) fail(new WardException("cannot open WebSocket " + uri + ": " + WardClient.unwrap(err), WardClient.unwrap(err)));
    });
  }

  boolean isDead() { return dead != null; }

  CompletableFuture<Subscription> subscribe(String kind, JsonNode filter, Consumer<JsonNode> handler) {
    ArrayNode params = JsonNodeFactory.instance.arrayNode().add(kind);
    if (filter != null) params.add(filter);
    return send("ward_subscribe", params, handler).thenApply(id -> {
      Subscription s = subs.get(id.asText());
      if (s == null) throw new WardException("subscription " + id.asText() + " ended before it could be used: " + dead);
      return s;
    });
  }

  CompletableFuture<JsonNode> send(String method, JsonNode params, Consumer<JsonNode> onNotification) {
    long id = ids.incrementAndGet();
    ObjectNode req = JsonNodeFactory.instance.objectNode();
    req.put("jsonrpc", "2.0");
    req.put("id", id);
    req.put("method", method);
    req.set("params", params);
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    if (dead != null) {
      answer.completeExceptionally(dead);
      return answer;
    }
    pending.put(id, new Pending(answer, onNotification, method));
    String text = Json.write(req);
    CompletableFuture<Object> sent;
    synchronized (sendLock) {
      // WebSocket allows one outstanding send at a time: chain each send after the previous one.
      sent = lastSend.handle((v, e) -> null).thenCompose(v -> socket).thenCompose(ws -> ws.sendText(text, true)).thenApply(ws -> ws);
      lastSend = sent;
    }
    sent.whenComplete((ws, err) -> {
      if (err != null) {
        pending.remove(id);
        answer.completeExceptionally(new WardException(method + " over WebSocket: " + WardClient.unwrap(err), WardClient.unwrap(err)));
      }
    });
    return answer.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((r, err) -> pending.remove(id));
  }

  void unsubscribe(Subscription s) {
    subs.remove(s.id());
    if (dead == null) send("ward_unsubscribe", JsonNodeFactory.instance.arrayNode().add(s.id()), null);
  }

  @Override
  public void onOpen(WebSocket ws) { ws.request(1); }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      String text = partial.toString();
      partial.setLength(0);
      try {
        dispatch(Json.parse(text));
      } catch (RuntimeException e) {
        // A malformed message from the node: nothing to route it to.
      }
    }
    ws.request(1);
    return null;
  }

  private void dispatch(JsonNode msg) {
    if (msg.isArray()) {
      for (JsonNode m : msg) dispatch(m);
      return;
    }
    if ("ward_subscription".equals(msg.path("method").asText())) {
      JsonNode p = msg.path("params");
      Subscription s = subs.get(p.path("subscription").asText());
      if (s != null) s.deliver(p.get("result"));
      return;
    }
    JsonNode id = msg.get("id");
    if (id == null || !id.canConvertToLong()) return;
    Pending p = pending.get(id.asLong());
    if (p == null) return;
    JsonNode error = msg.get("error");
    if (error != null && !error.isNull()) {
      p.answer.completeExceptionally(new RpcException(error.path("code").asInt(), error.path("message").asText(), error.get("data")));
      return;
    }
    JsonNode result = msg.get("result");
    if (p.onNotification != null && result != null && result.isTextual()) {
      // Registered before the future completes: the notifications that follow find it.
      subs.put(result.asText(), new Subscription(result.asText(), this, p.onNotification));
    }
    p.answer.complete(result);
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
    fail(new WardException("WebSocket closed by the node: " + code + (reason.isEmpty() ? "" : " " + reason)));
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) { fail(new WardException("WebSocket failed: " + error, error)); }

  private void fail(WardException e) {
    if (dead == null) dead = e;
    for (Pending p : pending.values()) p.answer.completeExceptionally(e);
    pending.clear();
    for (Subscription s : subs.values()) s.ended(e);
    subs.clear();
  }

  void close() {
    for (Subscription s : subs.values()) s.ended(null);
    subs.clear();
    fail(new WardException("client closed"));
    socket.thenAccept(ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(t -> null)).exceptionally(t -> null);
  }
}
