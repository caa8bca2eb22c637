package io.ward.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A connection to one Ward node: JSON-RPC over HTTP ({@code java.net.http}) and, for
 * subscriptions, one shared WebSocket opened on first use (docs/rpc.md).
 *
 * <p>Every call returns a {@link CompletableFuture}; it completes exceptionally with an
 * {@link RpcException} for an error the node answered ({@link TxRejectedException} for -32001),
 * a {@link TxTimeoutException} when a transaction's outcome is unknown (also for -32002, its
 * cause then being the node's {@link RpcException}), or a {@link WardException}
 * when the node cannot be reached or answers something malformed. Thread-safe; close it to close
 * the WebSocket.
 *
 * <pre>{@code
 * try (WardClient client = WardClient.builder().endpoint(URI.create("http://127.0.0.1:8645")).timeout(Duration.ofSeconds(30)).build()) {
 *   long height = client.chainInfo().get().headHeight();
 * }
 * }</pre>
 */
public final class WardClient implements AutoCloseable {
  private final URI endpoint;
  private final Duration timeout;
  private final HttpClient http;
  private final AtomicLong ids = new AtomicLong();
  private final Object wsLock = new Object();
  private WsConnection ws;
  private final Object infoLock = new Object();
  private CompletableFuture<ChainInfo> info;
  private long infoAtNanos;

  private WardClient(Builder b) {
    this.endpoint = b.endpoint;
    this.timeout = b.timeout;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(b.timeout).build();
  }

  /** A builder; {@code endpoint} is required, {@code timeout} defaults to 30 seconds. */
  public static Builder builder() { return new Builder(); }

  /** Configures a {@link WardClient}. */
  public static final class Builder {
    private URI endpoint;
    private Duration timeout = Duration.ofSeconds(30);

    private Builder() {}

    /** The node's RPC URL, e.g. {@code http://127.0.0.1:8645}. */
    public Builder endpoint(URI uri) {
      Objects.requireNonNull(uri, "endpoint");
      if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
        throw new IllegalArgumentException("endpoint must be an http:// or https:// URL, found " + uri);
      }
      this.endpoint = uri;
      return this;
    }

    /** The node's RPC URL as text. */
    public Builder endpoint(String uri) { return endpoint(URI.create(uri)); }

    /**
     * How long one request may take, and by default how long a transaction is awaited before a
     * {@link TxTimeoutException}.
     */
    public Builder timeout(Duration d) {
      if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException("timeout must be positive, found " + d);
      this.timeout = d;
      return this;
    }

    /** The client. @throws IllegalStateException without an endpoint */
    public WardClient build() {
      if (endpoint == null) throw new IllegalStateException("WardClient needs an endpoint");
      return new WardClient(this);
    }
  }

  /** The RPC URL. */
  public URI endpoint() { return endpoint; }

  /** The configured timeout. */
  public Duration timeout() { return timeout; }

  // ---------------------------------------------------------------- raw JSON-RPC

  /**
   * Calls {@code method} with positional parameters (converted by {@link Json#toTree}) over HTTP.
   * The future completes with the {@code result} member.
   */
  public CompletableFuture<JsonNode> request(String method, Object... params) {
    ArrayNode arr = JsonNodeFactory.instance.arrayNode();
    for (Object p : params) arr.add(Json.toTree(p));
    return requestWith(method, arr);
  }

  /** Calls {@code method} with the given params (an array, an object, or null for none). */
  public CompletableFuture<JsonNode> requestWith(String method, JsonNode params) {
    ObjectNode req = JsonNodeFactory.instance.objectNode();
    req.put("jsonrpc", "2.0");
    long id = ids.incrementAndGet();
    req.put("id", id);
    req.put("method", method);
    if (params != null) req.set("params", params);
    HttpRequest http = HttpRequest.newBuilder(endpoint)
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Json.write(req)))
        .build();
    return this.http.sendAsync(http, HttpResponse.BodyHandlers.ofString())
        .handle((resp, err) -> {
          if (err != null) throw transportError(method, unwrap(err));
          return parseResponse(method, resp.statusCode(), resp.body());
        });
  }

  private WardException transportError(String method, Throwable e) {
    if (e instanceof WardException w) return w;
    String what = e instanceof HttpTimeoutException ? "no answer within " + timeout.toMillis() + " ms" : e.toString();
    return new TransportException(method + " to " + endpoint + ": " + what, e, e instanceof ConnectException);
  }

  private static JsonNode parseResponse(String method, int status, String body) {
    JsonNode j;
    try {
      j = Json.parse(body);
    } catch (IllegalArgumentException e) {
      throw new WardException(method + ": HTTP " + status + " with a body that is not JSON: " + Hex.abbreviate(body), e);
    }
    JsonNode error = j.get("error");
    if (error != null && !error.isNull()) {
      int code = error.path("code").asInt();
      String message = error.path("message").asText();
      JsonNode data = error.get("data");
      if (code == -32001) {
        String h = data != null ? data.path("txHash").asText(null) : null;
        throw new TxRejectedException(message, data, h == null ? null : Hash.of(h));
      }
      if (code == -32002 && data != null && data.hasNonNull("txHash")) {
        // waitUntil "included" ran out of time on the node: the outcome is unknown.
        throw new TxTimeoutException(Hash.of(data.get("txHash").asText()), message, new RpcException(code, message, data));
      }
      throw new RpcException(code, message, data);
    }
    if (status != 200 || !j.has("result")) {
      throw new WardException(method + ": unexpected answer (HTTP " + status + "): " + Hex.abbreviate(body));
    }
    return j.get("result");
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) t = t.getCause();
    return t;
  }

  /** A transport failure; {@code notSent} when the connection was never made (nothing reached the node). */
  static final class TransportException extends WardException {
    private static final long serialVersionUID = 1L;
    final boolean notSent;

    TransportException(String message, Throwable cause, boolean notSent) {
      super(message, cause);
      this.notSent = notSent;
    }
  }

  // ---------------------------------------------------------------- chain reads

  /** {@code ward_chainInfo}. */
  public CompletableFuture<ChainInfo> chainInfo() { return request("ward_chainInfo").thenApply(ChainInfo::fromJson); }

  /** Chain info at most {@code maxAge} old, shared between concurrent callers (chain id, gas price, head). */
  CompletableFuture<ChainInfo> recentChainInfo(Duration maxAge) {
    synchronized (infoLock) {
      long now = System.nanoTime();
      if (info == null || (info.isDone() && now - infoAtNanos > maxAge.toNanos()) || info.isCompletedExceptionally()) {
        infoAtNanos = now;
        info = chainInfo();
      }
      return info;
    }
  }

  /** {@code ward_getNonce}: the account's next nonce (counting included transactions only). */
  public CompletableFuture<Long> getNonce(Address address) {
    return request("ward_getNonce", address).thenApply(n -> Json.asU64(n, "ward_getNonce"));
  }

  /** {@code ward_getAccount}. */
  public CompletableFuture<Account> getAccount(Address address) {
    return request("ward_getAccount", address).thenApply(Account::fromJson);
  }

  /** The native balance of an address (unsigned). */
  public CompletableFuture<Long> getBalance(Address address) { return getAccount(address).thenApply(Account::balance); }

  /** {@code ward_getReceipt}: the receipt, or empty when the transaction is not in a block. */
  public CompletableFuture<Optional<Receipt>> getReceipt(Hash txHash) {
    return request("ward_getReceipt", txHash).thenApply(j -> j.isNull() ? Optional.empty() : Optional.of(Receipt.fromJson(j)));
  }

  /** {@code ward_getTransaction}: the transaction JSON (with receipt, or {@code pending: true}), or empty. */
  public CompletableFuture<Optional<JsonNode>> getTransaction(Hash txHash) {
    return request("ward_getTransaction", txHash).thenApply(j -> j.isNull() ? Optional.empty() : Optional.of(j));
  }

  /** {@code ward_getBlock(height)} with transaction hashes; empty when there is no such block. */
  public CompletableFuture<Optional<Block>> getBlock(long height) {
    return request("ward_getBlock", Json.u64(height)).thenApply(j -> j.isNull() ? Optional.empty() : Optional.of(Block.fromJson(j)));
  }

  /** {@code ward_getBlock("latest")}. */
  public CompletableFuture<Block> latestBlock() { return request("ward_getBlock", "latest").thenApply(Block::fromJson); }

  /** {@code ward_getCode}: the module's bytes, or empty when there is no contract. */
  public CompletableFuture<Optional<Bytes>> getCode(Address contract) {
    return request("ward_getCode", contract).thenApply(j -> j.isNull() ? Optional.empty() : Optional.of(Bytes.fromHex(Json.text(j, "code", "ward_getCode"))));
  }

  /** {@code ward_getAbi}: the ABI JSON the deploy carried, or empty. */
  public CompletableFuture<Optional<JsonNode>> getAbi(Address contract) {
    return request("ward_getAbi", contract).thenApply(j -> j.isNull() ? Optional.empty() : Optional.of(j.isTextual() ? Json.parse(j.asText()) : j));
  }

  /**
   * {@code ward_getEvents} from {@code fromHeight} to the head, optionally only those of a
   * contract and/or name (null for any); {@code cursor} continues an earlier page (null to start).
   */
  public CompletableFuture<EventPage> getEvents(long fromHeight, Address contract, String name, String cursor) {
    ObjectNode q = JsonNodeFactory.instance.objectNode();
    q.set("fromHeight", Json.u64(fromHeight));
    if (contract != null) q.put("contract", contract.hex());
    if (name != null) q.put("name", name);
    if (cursor != null) q.put("cursor", cursor);
    return request("ward_getEvents", q).thenApply(EventPage::fromJson);
  }

  /**
   * {@code ward_call}: a read-only call at the head; nothing is committed or signed.
   *
   * @param to the contract
   * @param method the method
   * @param args the input (a JSON tree or anything {@link Json#toTree} converts; null for none)
   * @param from the sender the contract sees, or null for the zero address
   */
  public CompletableFuture<CallResult> call(Address to, String method, Object args, Address from) {
    ObjectNode q = JsonNodeFactory.instance.objectNode();
    q.put("to", to.hex());
    q.put("method", method);
    if (args != null) q.set("args", Json.toTree(args));
    if (from != null) q.put("from", from.hex());
    return request("ward_call", q).thenApply(CallResult::fromJson);
  }

  /** {@code ward_simulate} of a signed (or unsigned) transaction: its receipt on the head state. */
  public CompletableFuture<Receipt> simulate(SignedTransaction tx) {
    return request("ward_simulate", tx.hex()).thenApply(Receipt::fromJson);
  }

  /** {@code ward_simulate} of fields ({@code {from, action, nonce?, gas_limit?, ...}}). */
  public CompletableFuture<Receipt> simulate(JsonNode fields) { return request("ward_simulate", fields).thenApply(Receipt::fromJson); }

  /** {@code ward_estimateGas} of fields. */
  public CompletableFuture<GasEstimate> estimateGas(JsonNode fields) {
    return request("ward_estimateGas", fields).thenApply(GasEstimate::fromJson);
  }

  /** {@code ward_getProof} of a raw state key. */
  public CompletableFuture<ProofResult> getProof(byte[] key) {
    return request("ward_getProof", Hex.encode0x(key)).thenApply(ProofResult::fromJson);
  }

  /** The state key of an address's native balance: {@code "b/"} followed by its 20 bytes (docs/host-abi.md). */
  public static byte[] balanceKey(Address address) {
    byte[] a = address.bytes();
    byte[] k = new byte[22];
    k[0] = 'b';
    k[1] = '/';
    System.arraycopy(a, 0, k, 2, 20);
    return k;
  }

  /**
   * A proof of {@code key}, verified here: the proof must reach the state root it names, and that
   * root must be the one in the block header at its height. Completes with a {@link WardException}
   * when either check fails.
   */
  public CompletableFuture<ProofResult> verifiedProof(byte[] key) {
    return getProof(key).thenCompose(p -> {
      if (!p.verify()) throw new WardException("proof of key 0x" + Hex.encode(key) + " does not reach state root " + p.stateRoot());
      return getBlock(p.height()).thenApply(b -> {
        Block block = b.orElseThrow(() -> new WardException("no block at height " + p.height() + " for the proof"));
        if (!block.stateRoot().equals(p.stateRoot())) {
          throw new WardException("proof state root " + p.stateRoot() + " is not the state root " + block.stateRoot() + " of block " + p.height());
        }
        return p;
      });
    });
  }

  // ---------------------------------------------------------------- transactions

  /**
   * Submits signed bytes ({@code ward_sendTransaction}, {@code waitUntil: "none"}); completes with
   * the hash once admitted. Fails with {@link TxRejectedException} when the node refuses it, or
   * {@link TxTimeoutException} (with the hash) when no answer came: the outcome is then unknown.
   */
  public CompletableFuture<Hash> sendTransaction(SignedTransaction tx) {
    Hash hash = tx.hash();
    return request("ward_sendTransaction", tx.hex(), "none").handle((r, err) -> {
      if (err == null) return Hash.of(Json.text(r, "tx_hash", "ward_sendTransaction"));
      Throwable e = unwrap(err);
      if (e instanceof TxRejectedException rej) {
        throw rej.txHash() != null ? rej : new TxRejectedException(rej.getMessage(), rej.data(), hash);
      }
      if (e instanceof TransportException t && !t.notSent) {
        throw new TxTimeoutException(hash, "transaction " + hash + ": no answer from the node (" + t.getMessage() + "); it may still be included", t);
      }
      throw e instanceof RuntimeException re ? re : new CompletionException(e);
    });
  }

  /**
   * Waits until the transaction is in a block: polls {@code ward_getReceipt} until
   * {@code within} runs out, then fails with {@link TxTimeoutException}.
   */
  public CompletableFuture<Receipt> waitForReceipt(Hash txHash, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    CompletableFuture<Receipt> out = new CompletableFuture<>();
    pollReceipt(txHash, deadline, within, 10, out);
    return out;
  }

  private void pollReceipt(Hash txHash, long deadline, Duration within, long delayMs, CompletableFuture<Receipt> out) {
    getReceipt(txHash).whenComplete((r, err) -> {
      if (err == null && r.isPresent()) {
        out.complete(r.get());
        return;
      }
      if (err != null && !(unwrap(err) instanceof TransportException)) {
        out.completeExceptionally(unwrap(err));
        return;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        out.completeExceptionally(new TxTimeoutException(txHash,
            "transaction " + txHash + " not included within " + within.toMillis() + " ms; it may still be included", err == null ? null : unwrap(err)));
        return;
      }
      long wait = Math.min(delayMs, TimeUnit.NANOSECONDS.toMillis(left) + 1);
      Executor later = CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS);
      later.execute(() -> pollReceipt(txHash, deadline, within, Math.min(delayMs * 2, 250), out));
    });
  }

  // ---------------------------------------------------------------- subscriptions

  /**
   * Subscribes to new blocks ({@code newHeads}) over the WebSocket. The callback runs on the
   * WebSocket's reader thread, in block order; keep it short.
   */
  public CompletableFuture<Subscription> subscribeNewHeads(Consumer<Block> onBlock) {
    return websocket().subscribe("newHeads", null, j -> onBlock.accept(Block.fromJson(j)));
  }

  /**
   * Subscribes to events of committed blocks, optionally only of one contract and/or name (null
   * for any). The callback runs on the WebSocket's reader thread, in order.
   */
  public CompletableFuture<Subscription> subscribeEvents(Address contract, String name, Consumer<Event> onEvent) {
    ObjectNode filter = JsonNodeFactory.instance.objectNode();
    if (contract != null) filter.put("contract", contract.hex());
    if (name != null) filter.put("name", name);
    return websocket().subscribe("events", filter, j -> onEvent.accept(Event.fromJson(j)));
  }

  private WsConnection websocket() {
    synchronized (wsLock) {
      if (ws == null || ws.isDead()) ws = new WsConnection(http, wsUri(), timeout, ids);
      return ws;
    }
  }

  private URI wsUri() {
    String scheme = "https".equalsIgnoreCase(endpoint.getScheme()) ? "wss" : "ws";
    String path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/ws" : endpoint.getRawPath();
    return URI.create(scheme + "://" + endpoint.getRawAuthority() + path);
  }

  /** Closes the WebSocket (ending every subscription). HTTP calls may still be made afterwards. */
  @Override
  public void close() {
    synchronized (wsLock) {
      if (ws != null) ws.close();
      ws = null;
    }
  }

}
