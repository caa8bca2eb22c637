package io.ward.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The shared vectors of tests/vectors/tx-v1.json, byte for byte (docs/tx-format.md). */
class TxVectorsTest {
  static JsonNode vectors() throws Exception {
    Path root = Path.of(System.getProperty("ward.root", "../.."));
    return Json.parse(Files.readString(root.resolve("tests/vectors/tx-v1.json")));
  }

  static long u64(JsonNode n) { return Long.parseUnsignedLong(n.asText()); }

  static Optional<String> opt(JsonNode n) { return n == null || n.isNull() ? Optional.empty() : Optional.of(n.asText()); }

  static Action action(JsonNode a) {
    return switch (a.get("type").asText()) {
      case "transfer" -> new Action.Transfer(Address.of(a.get("to").asText()), u64(a.get("amount")));
      case "deploy" -> new Action.Deploy(Bytes.fromHex(a.get("code").asText()), opt(a.get("init_method")), a.get("init_args").asText(),
          u64(a.get("value")), a.get("immutable").asBoolean(), a.get("float_policy").asText().equals("deny") ? FloatPolicy.DENY : FloatPolicy.ALLOW,
          opt(a.get("abi")));
      case "call" -> new Action.Call(Address.of(a.get("contract").asText()), a.get("method").asText(), a.get("args").asText(), u64(a.get("value")));
      case "upgrade" -> new Action.Upgrade(Address.of(a.get("contract").asText()), Bytes.fromHex(a.get("code").asText()),
          opt(a.get("migrate_method")), a.get("migrate_args").asText());
      case "destroy" -> new Action.Destroy(Address.of(a.get("contract").asText()), Address.of(a.get("beneficiary").asText()));
      default -> throw new IllegalArgumentException(a.toString());
    };
  }

  static Transaction tx(JsonNode f) {
    assertEquals(1, f.get("version").asInt());
    return new Transaction(f.get("chain_id").asText(), Bytes.fromHex(f.get("signer").asText()), u64(f.get("nonce")), u64(f.get("expiry_height")),
        u64(f.get("gas_limit")), u64(f.get("gas_price")), action(f.get("action")));
  }

  @TestFactory
  Stream<DynamicTest> validVectors() throws Exception {
    List<DynamicTest> out = new ArrayList<>();
    for (JsonNode v : vectors().get("valid")) {
      out.add(DynamicTest.dynamicTest(v.get("name").asText(), () -> {
        Ed25519Signer key = Ed25519Signer.fromSeedHex(v.get("seed").asText());
        assertEquals(v.get("public_key").asText(), Hex.encode(key.publicKey()), "public key");
        assertEquals(v.get("address").asText(), key.address().hex(), "address");
        Transaction tx = tx(v.get("fields"));
        assertEquals(v.get("tx_hex").asText(), Hex.encode(tx.encode()), "encoding");
        assertEquals(v.get("signing_digest").asText(), Hex.encode(tx.signingDigest()), "signing digest");
        assertEquals("0x" + v.get("hash").asText().replaceFirst("^0x", ""), tx.hash().hex(), "hash");
        assertEquals(key.address(), tx.from());
        SignedTransaction stx = tx.sign(key);
        assertEquals(v.get("signature").asText(), stx.signature().hex(), "signature");
        assertEquals(v.get("signed_hex").asText(), stx.hex(), "signed bytes");
        assertTrue(stx.verify());
        // Decoding gives back the same fields.
        assertEquals(tx, TxCodec.decode(Hex.decode(v.get("tx_hex").asText())));
        assertEquals(stx, SignedTransaction.decode(Hex.decode(v.get("signed_hex").asText())));
        // A changed signature byte does not verify.
        byte[] bad = stx.signature().toArray();
        bad[0] ^= 1;
        assertFalse(new SignedTransaction(tx, Bytes.of(bad)).verify());
      }));
    }
    return out.stream();
  }

  @TestFactory
  Stream<DynamicTest> invalidVectors() throws Exception {
    List<DynamicTest> out = new ArrayList<>();
    for (JsonNode v : vectors().get("invalid")) {
      out.add(DynamicTest.dynamicTest(v.get("name").asText(), () -> {
        byte[] bytes = Hex.decode(v.get("hex").asText());
        TxFormatException e = assertThrows(TxFormatException.class,
            () -> {
              if (v.get("decoder").asText().equals("signed")) SignedTransaction.decode(bytes); else TxCodec.decode(bytes);
            });
        assertTrue(e.getMessage().contains(v.get("error").asText()), "message '" + e.getMessage() + "' lacks '" + v.get("error").asText() + "'");
      }));
    }
    return out.stream();
  }

  @Test
  void unpairedSurrogateIsRefused() {
    Ed25519Signer a = Ed25519Signer.fromSeed(new byte[32]);
    Transaction tx = new Transaction("c", Bytes.of(a.publicKey()), 0, 1, 1, 1, new Action.Call(a.address(), "m\ud800", "", 0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, tx::encode);
    assertTrue(e.getMessage().contains("unpaired surrogate"), e.getMessage());
  }

  @Test
  void signingRefusesAnotherKey() {
    Ed25519Signer a = Ed25519Signer.fromSeed(new byte[32]);
    Ed25519Signer b = Ed25519Signer.random();
    Transaction tx = new Transaction("c", Bytes.of(a.publicKey()), 0, 1, 1, 1, new Action.Transfer(b.address(), 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tx.sign(b));
    assertTrue(e.getMessage().contains("is not the signer"));
    assertArrayEquals(a.publicKey(), tx.signer().toArray());
  }
}
