package io.ward.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.ward.example.Token;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The SDK against a real {@code ward node --dev} (the binary from the system property
 * {@code ward.bin} or the environment variable {@code WARD_BIN}): the example token through its
 * generated wrapper, transfers, balances, subscriptions, 100 concurrent sends from one wallet,
 * every error type from the node's real answers, and a state proof verified here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndTest {
  static final long SUPPLY = 1_000_000;
  DevNode node;
  WardClient client;
  Wallet dev;
  Token token;
  final Address bob = Ed25519Signer.fromSeed(filled(0x0b)).address();

  static byte[] filled(int b) {
    byte[] s = new byte[32];
    java.util.Arrays.fill(s, (byte) b);
    return s;
  }

  static <T> T get(CompletableFuture<T> f) throws Exception { return f.get(90, TimeUnit.SECONDS); }

  /** The cause a future failed with. */
  static Throwable failure(CompletableFuture<?> f) throws Exception {
    try {
      f.get(90, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    return fail("expected the call to fail");
  }

  @BeforeAll
  void start() throws Exception {
    String bin = System.getProperty("ward.bin");
    if (bin == null || bin.isBlank() || bin.startsWith("${")) bin = System.getenv("WARD_BIN");
    if (bin == null || bin.isBlank()) fail("set -Dward.bin=PATH or WARD_BIN to the ward binary");
    Path work = Path.of(System.getProperty("ward.workDir", System.getProperty("java.io.tmpdir")));
    Files.createDirectories(work);
    node = new DevNode(Path.of(bin), work.resolve("node"));
    client = WardClient.builder().endpoint(node.url).timeout(Duration.ofSeconds(60)).build();
    dev = new Wallet(client, Ed25519Signer.fromSeedHex(DevNode.DEV_SEED));
  }

  @AfterAll
  void stop() {
    if (client != null) client.close();
    if (node != null) node.close();
  }

  /** A fresh account funded by the dev key. */
  Wallet funded(long amount) throws Exception {
    Wallet w = new Wallet(client, Ed25519Signer.random());
    get(dev.transfer(w.address(), amount));
    return w;
  }

  @Test
  @Order(1)
  void chainInfo() throws Exception {
    ChainInfo info = get(client.chainInfo());
    assertEquals("ward-dev", info.chainId());
    assertEquals(dev.address(), info.producer());
    assertFalse(info.halted());
    assertTrue(get(client.getBalance(dev.address())) > 0);
  }

  @Test
  @Order(2)
  void deployTokenWithGeneratedWrapper() throws Exception {
    byte[] wasm = Files.readAllBytes(Path.of(System.getProperty("ward.tokenWasm")));
    token = get(Token.deploy(dev, wasm, Token.Init.initialize(SUPPLY), DeployOptions.defaults()));
    assertEquals(SUPPLY, get(token.totalSupply()));
    assertEquals(SUPPLY, get(token.getBalance(dev.address())));
    assertEquals(0L, get(token.getBalance(bob)));
    assertTrue(get(token.accountOf(dev.address())).isPresent());
    assertEquals(Optional.empty(), get(token.accountOf(bob)));
    // The deploy carried the ABI; the node gives it back.
    JsonNode abi = get(client.getAbi(token.address())).orElseThrow();
    assertEquals(Json.parse(Token.ABI), abi);
    Account acc = get(client.getAccount(token.address()));
    assertNotNull(acc.contract());
    assertEquals(dev.address(), acc.contract().deployer());
  }

  @Test
  @Order(3)
  void transferAndSubscriptions() throws Exception {
    BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    BlockingQueue<Block> heads = new LinkedBlockingQueue<>();
    Subscription evSub = get(client.subscribeEvents(token.address(), "Transfer", events::add));
    Subscription headSub = get(client.subscribeNewHeads(heads::add));
    assertTrue(evSub.id().matches("0x[0-9a-f]{16}"), evSub.id());
    Receipt r;
    try (evSub; headSub) {
      r = get(token.transfer(bob, 1000).send());
      assertTrue(r.ok());
      assertEquals(true, token.transfer(bob, 1000).result(r));
      assertEquals(1000L, get(token.getBalance(bob)));
      assertEquals(SUPPLY - 1000, get(token.getBalance(dev.address())));
      Event ev = events.poll(30, TimeUnit.SECONDS);
      assertNotNull(ev, "no Transfer event arrived");
      assertEquals(token.address(), ev.contract());
      assertEquals("Transfer", ev.name());
      assertEquals(bob.hex(), ev.data().get("to").asText());
      assertEquals(1000, ev.data().get("amount").asLong());
      assertEquals(r.txHash(), ev.txHash());
      assertEquals(r.height(), ev.height());
      Block head = null;
      for (Block b = heads.poll(30, TimeUnit.SECONDS); b != null; b = heads.poll(1, TimeUnit.SECONDS)) {
        if (b.height() == r.height()) {
          head = b;
          break;
        }
      }
      assertNotNull(head, "no newHeads notification for block " + r.height());
      assertEquals(get(client.getBlock(r.height())).orElseThrow().hash(), head.hash());
    }
    // Closed: later events are not delivered.
    assertTrue(evSub.ended().isDone());
    events.clear();
    Receipt r2 = get(token.transfer(bob, 1).send());
    assertTrue(r2.ok());
    Thread.sleep(300);
    assertTrue(events.isEmpty(), "an event arrived after close: " + events);
    // The event index sees both.
    EventPage page = get(client.getEvents(r.height(), token.address(), "Transfer", null));
    assertEquals(2, page.events().size());
  }

  @Test
  @Order(4)
  void nativeTransferAndReceipt() throws Exception {
    Address carol = Ed25519Signer.random().address();
    Receipt r = get(dev.transfer(carol, 5000));
    assertEquals("transfer", r.kind());
    assertEquals(r.gasUsed() * r.gasPrice(), r.fee());
    assertEquals(5000L, get(client.getBalance(carol)));
    assertEquals(r, get(client.getReceipt(r.txHash())).orElseThrow());
  }

  @Test
  @Order(5)
  void hundredConcurrentSendsFromOneWallet() throws Exception {
    Wallet w = funded(100_000_000_000L);
    long start = get(client.getNonce(w.address()));
    Address sink = Ed25519Signer.random().address();
    List<CompletableFuture<Receipt>> sends = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < 100; ++i) sends.add(w.transfer(sink, 1));
    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(180, TimeUnit.SECONDS);
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    List<Long> nonces = new ArrayList<>();
    for (CompletableFuture<Receipt> f : sends) {
      Receipt r = f.get();
      assertTrue(r.ok());
      nonces.add(get(client.getTransaction(r.txHash())).orElseThrow().get("nonce").asLong());
    }
    nonces.sort(null);
    for (int i = 0; i < 100; ++i) assertEquals(start + i, nonces.get(i), "nonces are not consecutive: " + nonces);
    assertEquals(start + 100, get(client.getNonce(w.address())));
    assertEquals(100L, get(client.getBalance(sink)));
    System.out.println("e2e: 100 concurrent transfers from one wallet included in " + ms + " ms");
  }

  @Test
  @Order(6)
  void rpcErrors() throws Exception {
    RpcException notFound = assertInstanceOf(RpcException.class, failure(client.request("ward_noSuchMethod")));
    assertEquals(-32601, notFound.code());
    assertTrue(notFound.getMessage().contains("ward_noSuchMethod"));
    RpcException bad = assertInstanceOf(RpcException.class, failure(client.request("ward_getAccount", "0x12")));
    assertEquals(-32602, bad.code());
    RpcException wsOnly = assertInstanceOf(RpcException.class, failure(client.request("ward_subscribe", "newHeads")));
    assertEquals(-32000, wsOnly.code());
    assertEquals("websocket_only", wsOnly.kind());
  }

  SignedTransaction signed(Ed25519Signer key, String chain, long nonce, Action action) throws Exception {
    ChainInfo info = get(client.chainInfo());
    return new Transaction(chain, Bytes.of(key.publicKey()), nonce, info.headHeight() + 100, 1_000_000, info.minGasPrice(), action).sign(key);
  }

  @Test
  @Order(7)
  void rejections() throws Exception {
    Ed25519Signer key = dev.signer();
    long next = get(client.getNonce(dev.address()));
    Action pay = new Action.Transfer(bob, 1);

    SignedTransaction wrongChain = signed(key, "other-chain", next, pay);
    TxRejectedException e1 = assertInstanceOf(TxRejectedException.class, failure(client.sendTransaction(wrongChain)));
    assertEquals("wrong_chain", e1.reason());
    assertEquals(wrongChain.hash(), e1.txHash());

    SignedTransaction low = signed(key, "ward-dev", 0, pay);
    TxRejectedException e2 = assertInstanceOf(TxRejectedException.class, failure(client.sendTransaction(low)));
    assertEquals("nonce_too_low", e2.reason());
    assertTrue(e2.getMessage().contains("nonce too low"), e2.getMessage());

    SignedTransaction good = signed(key, "ward-dev", next, pay);
    byte[] sig = good.signature().toArray();
    sig[10] ^= 0x40;
    TxRejectedException e3 = assertInstanceOf(TxRejectedException.class,
        failure(client.sendTransaction(new SignedTransaction(good.tx(), Bytes.of(sig)))));
    assertEquals("bad_signature", e3.reason());

    Wallet poor = new Wallet(client, Ed25519Signer.random());
    TxRejectedException e4 = assertInstanceOf(TxRejectedException.class, failure(poor.transfer(bob, 1)));
    assertEquals("insufficient_balance", e4.reason());
    assertNotNull(e4.txHash());
    // The refused nonce was given back: the wallet still starts at 0.
    assertEquals(0L, get(poor.nonces().reserve()));
  }

  @Test
  @Order(8)
  void nonceTooLowResyncsAndRetriesOnce() throws Exception {
    Wallet a = funded(1_000_000_000L);
    get(a.transfer(bob, 1));
    // Another wallet on the same key moves the nonce on behind a's back.
    Wallet b = new Wallet(client, a.signer());
    get(b.transfer(bob, 1));
    get(b.transfer(bob, 1));
    Receipt r = get(a.transfer(bob, 1));
    assertTrue(r.ok());
    assertEquals(4L, get(client.getNonce(a.address())));
  }

  @Test
  @Order(9)
  void failedTransactionCarriesItsReceipt() throws Exception {
    TxFailedException e = assertInstanceOf(TxFailedException.class, failure(token.transfer(bob, SUPPLY * 10).send()));
    Receipt r = e.receipt();
    assertEquals("reverted", r.status());
    assertTrue(r.error().contains("insufficient balance"), r.error());
    assertTrue(r.fee() > 0, "a failed transaction pays its fee");
    assertNotNull(r.height());
    assertEquals(r, get(client.getReceipt(r.txHash())).orElseThrow());
    // A read-only call that fails.
    CallFailedException c = assertInstanceOf(CallFailedException.class,
        failure(token.contract().view("GetBalance", Map.of("owner", "not an address"))));
    assertFalse(c.result().ok());
    // Calling a read-only method in a transaction, or a method the ABI lacks, fails before sending.
    assertInstanceOf(IllegalArgumentException.class, failure(token.contract().call(dev, "GetBalance", Map.of(), TxOptions.defaults())));
    assertInstanceOf(IllegalArgumentException.class, failure(token.contract().view("Mint", Map.of())));
  }

  @Test
  @Order(10)
  void timeoutCarriesTheHash() throws Exception {
    Wallet w = funded(1_000_000_000L);
    long next = get(client.getNonce(w.address()));
    // A nonce gap: admitted, but never included while the gap stays open.
    SignedTransaction gapped = signed(w.signer(), "ward-dev", next + 3, new Action.Transfer(bob, 1));
    assertEquals(gapped.hash(), get(client.sendTransaction(gapped)));
    TxTimeoutException t1 = assertInstanceOf(TxTimeoutException.class, failure(client.waitForReceipt(gapped.hash(), Duration.ofMillis(500))));
    assertEquals(gapped.hash(), t1.txHash());
    // The node's own timeout (-32002) of waitUntil "included".
    SignedTransaction gapped2 = signed(w.signer(), "ward-dev", next + 4, new Action.Transfer(bob, 1));
    TxTimeoutException t2 = assertInstanceOf(TxTimeoutException.class,
        failure(client.request("ward_sendTransaction", gapped2.hex(), "included", 300)));
    assertEquals(gapped2.hash(), t2.txHash());
    assertEquals(-32002, assertInstanceOf(RpcException.class, t2.getCause()).code());
    assertTrue(get(client.getReceipt(gapped.hash())).isEmpty());
  }

  @Test
  @Order(11)
  void balanceProofVerifiedInJava() throws Exception {
    ProofResult p = get(client.verifiedProof(WardClient.balanceKey(bob)));
    assertTrue(p.verify());
    long balance = get(client.getBalance(bob));
    assertEquals(balance, ByteBuffer.wrap(p.value().orElseThrow().toArray()).getLong(), "balance is a big-endian u64");
    assertArrayEquals(WardClient.balanceKey(bob), p.key().toArray());
    // Absence of an address that never held anything.
    Address nobody = Ed25519Signer.random().address();
    ProofResult absent = get(client.verifiedProof(WardClient.balanceKey(nobody)));
    assertTrue(absent.value().isEmpty());
    assertTrue(absent.proof().verify(absent.stateRoot(), WardClient.balanceKey(nobody), Optional.empty()));
    // Claims the proof does not support are refused.
    assertFalse(p.proof().verify(p.stateRoot(), WardClient.balanceKey(bob), Optional.of(new byte[] {0, 0, 0, 0, 0, 0, 0, 1})));
    assertFalse(p.proof().verify(p.stateRoot(), WardClient.balanceKey(nobody), p.value().map(Bytes::toArray)));
    Block genesis = get(client.getBlock(0)).orElseThrow();
    assertFalse(p.proof().verify(genesis.stateRoot(), WardClient.balanceKey(bob), p.value().map(Bytes::toArray)));
    assertNull(null);
    assertTrue(node.alive(), "the node is still running:\n" + node.tail());
  }
}
