package io.ward.sdk;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The canonical binary form of version-1 transactions (docs/tx-format.md): encoding, and decoding
 * that accepts exactly what encoding produces, with the node's error messages. Encoding refuses
 * (IllegalArgumentException) a string with an unpaired surrogate, which has no UTF-8 form.
 */
public final class TxCodec {
  private TxCodec() {}

  /** The canonical encoding of {@code tx}. */
  public static byte[] encode(Transaction tx) {
    Writer w = new Writer();
    w.u8(Transaction.VERSION);
    w.string(tx.chainId());
    w.raw(tx.signer().raw());
    w.u64(tx.nonce());
    w.u64(tx.expiryHeight());
    w.u64(tx.gasLimit());
    w.u64(tx.gasPrice());
    Action a = tx.action();
    w.u8(a.tag());
    if (a instanceof Action.Transfer t) {
      w.raw(t.to().bytes());
      w.u64(t.amount());
    } else if (a instanceof Action.Deploy d) {
      w.bytes(d.code().raw());
      w.optString(d.initMethod());
      w.string(d.initArgs());
      w.u64(d.value());
      w.u8(d.immutable() ? 1 : 0);
      w.u8(d.floatPolicy() == FloatPolicy.DENY ? 1 : 0);
      w.optString(d.abi());
    } else if (a instanceof Action.Call c) {
      w.raw(c.contract().bytes());
      w.string(c.method());
      w.string(c.args());
      w.u64(c.value());
    } else if (a instanceof Action.Upgrade u) {
      w.raw(u.contract().bytes());
      w.bytes(u.code().raw());
      w.optString(u.migrateMethod());
      w.string(u.migrateArgs());
    } else if (a instanceof Action.Destroy x) {
      w.raw(x.contract().bytes());
      w.raw(x.beneficiary().bytes());
    }
    return w.out.toByteArray();
  }

  /**
   * Decodes a whole input as one transaction.
   *
   * @throws TxFormatException with the message of docs/tx-format.md ("Errors") for non-canonical input
   */
  public static Transaction decode(byte[] bytes) {
    Reader r = new Reader(bytes);
    Transaction tx = r.transaction();
    if (r.left() != 0) throw new TxFormatException("transaction: " + r.left() + " trailing bytes at offset " + r.pos);
    return tx;
  }

  /**
   * Decodes signed bytes: a transaction followed by exactly 64 signature bytes.
   *
   * @throws TxFormatException for a non-canonical transaction or a signature that is not 64 bytes
   */
  public static SignedTransaction decodeSigned(byte[] bytes) {
    Reader r = new Reader(bytes);
    Transaction tx = r.transaction();
    if (r.left() != 64) {
      throw new TxFormatException("signed transaction: expected a 64-byte signature after the " + r.pos + "-byte transaction, found "
          + r.left() + " bytes");
    }
    byte[] sig = new byte[64];
    System.arraycopy(bytes, r.pos, sig, 0, 64);
    return new SignedTransaction(tx, Bytes.of(sig));
  }

  private static final class Writer {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    void u8(int v) { out.write(v); }

    void u32(long v) {
      for (int i = 0; i < 4; ++i) out.write((int) (v >>> (8 * i)) & 0xff);
    }

    void u64(long v) {
      for (int i = 0; i < 8; ++i) out.write((int) (v >>> (8 * i)) & 0xff);
    }

    void raw(byte[] b) { out.write(b, 0, b.length); }

    void bytes(byte[] b) {
      u32(b.length);
      raw(b);
    }

    void string(String s) {
      try {
        ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .encode(java.nio.CharBuffer.wrap(s));
        byte[] out = new byte[b.remaining()];
        b.get(out);
        bytes(out);
      } catch (CharacterCodingException e) {
        throw new IllegalArgumentException("a transaction string holds an unpaired surrogate, which has no UTF-8 form: " + Hex.abbreviate(s));
      }
    }

    void optString(Optional<String> s) {
      if (s.isEmpty()) {
        u8(0);
      } else {
        u8(1);
        string(s.get());
      }
    }
  }

  private static final class Reader {
    final byte[] in;
    int pos;

    Reader(byte[] in) { this.in = in; }

    int left() { return in.length - pos; }

    void need(String field, int n) {
      if (left() < n) {
        throw new TxFormatException("transaction truncated: " + field + " needs " + n + " bytes at offset " + pos + ", only " + left() + " left");
      }
    }

    int u8(String field) {
      need(field, 1);
      return in[pos++] & 0xff;
    }

    long u64(String field) {
      need(field, 8);
      long v = 0;
      for (int i = 0; i < 8; ++i) v |= (long) (in[pos + i] & 0xff) << (8 * i);
      pos += 8;
      return v;
    }

    byte[] raw(String field, int n) {
      need(field, n);
      byte[] b = new byte[n];
      System.arraycopy(in, pos, b, 0, n);
      pos += n;
      return b;
    }

    boolean flag(String field) {
      int at = pos;
      int v = u8(field);
      if (v > 1) throw new TxFormatException("transaction: " + field + " at offset " + at + " must be 0 or 1, found " + v);
      return v == 1;
    }

    byte[] bytes(String field) {
      int at = pos;
      need(field + " length", 4);
      long len = 0;
      for (int i = 0; i < 4; ++i) len |= (long) (in[pos + i] & 0xff) << (8 * i);
      pos += 4;
      if (len > left()) {
        throw new TxFormatException("transaction truncated: " + field + " length " + len + " at offset " + at + " exceeds the " + left() + " bytes left");
      }
      return raw(field, (int) len);
    }

    String string(String field) {
      int at = pos;
      byte[] b = bytes(field);
      try {
        return StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(b))
            .toString();
      } catch (CharacterCodingException e) {
        throw new TxFormatException("transaction: " + field + " at offset " + at + " is not valid UTF-8");
      }
    }

    Optional<String> optString(String field) {
      return flag(field + " option tag") ? Optional.of(string(field)) : Optional.empty();
    }

    Address address(String field) { return Address.of(raw(field, 20)); }

    Transaction transaction() {
      int version = u8("version");
      if (version != Transaction.VERSION) {
        throw new TxFormatException("transaction: unsupported version " + version + " at offset 0 (expected 1)");
      }
      String chainId = string("chain_id");
      Bytes signer = Bytes.of(raw("signer", 32));
      long nonce = u64("nonce");
      long expiry = u64("expiry_height");
      long gasLimit = u64("gas_limit");
      long gasPrice = u64("gas_price");
      int tagAt = pos;
      int tag = u8("action tag");
      Action action = switch (tag) {
        case 0 -> new Action.Transfer(address("transfer.to"), u64("transfer.amount"));
        case 1 -> {
          Bytes code = Bytes.of(bytes("deploy.code"));
          Optional<String> init = optString("deploy.init_method");
          String initArgs = string("deploy.init_args");
          long value = u64("deploy.value");
          boolean immutable = flag("deploy.immutable");
          FloatPolicy policy = flag("deploy.float_policy") ? FloatPolicy.DENY : FloatPolicy.ALLOW;
          Optional<String> abi = optString("deploy.abi");
          yield new Action.Deploy(code, init, initArgs, value, immutable, policy, abi);
        }
        case 2 -> new Action.Call(address("call.contract"), string("call.method"), string("call.args"), u64("call.value"));
        case 3 -> new Action.Upgrade(address("upgrade.contract"), Bytes.of(bytes("upgrade.code")), optString("upgrade.migrate_method"),
            string("upgrade.migrate_args"));
        case 4 -> new Action.Destroy(address("destroy.contract"), address("destroy.beneficiary"));
        default -> throw new TxFormatException("transaction: unknown action tag " + tag + " at offset " + tagAt);
      };
      return new Transaction(chainId, signer, nonce, expiry, gasLimit, gasPrice, action);
    }
  }

}
