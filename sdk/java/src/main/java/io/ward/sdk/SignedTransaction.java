package io.ward.sdk;

import java.util.Objects;

/**
 * A transaction with its 64-byte Ed25519 signature: what a node accepts ({@code tx bytes || signature}).
 *
 * @param tx the transaction
 * @param signature the signature of {@link Transaction#signingDigest()}
 */
public record SignedTransaction(Transaction tx, Bytes signature) {
  public SignedTransaction {
    Objects.requireNonNull(tx, "tx");
    Objects.requireNonNull(signature, "signature");
    if (signature.size() != 64) throw new IllegalArgumentException("signature must be 64 bytes, found " + signature.size());
  }

  /** The signed bytes: the transaction's encoding followed by the signature. */
  public byte[] encode() {
    byte[] t = tx.encode();
    byte[] out = new byte[t.length + 64];
    System.arraycopy(t, 0, out, 0, t.length);
    System.arraycopy(signature.raw(), 0, out, t.length, 64);
    return out;
  }

  /** The signed bytes as lowercase hex (what {@code ward_sendTransaction} takes). */
  public String hex() { return Hex.encode(encode()); }

  /** The transaction hash (the signature is not part of it). */
  public Hash hash() { return tx.hash(); }

  /** Whether the signature verifies against the signer and the transaction's chain id. */
  public boolean verify() { return Ed25519Signer.verify(tx.signer().raw(), tx.signingDigest(), signature.raw()); }

  /**
   * Decodes signed bytes.
   *
   * @throws TxFormatException when they are not a canonical transaction followed by exactly 64 bytes
   */
  public static SignedTransaction decode(byte[] bytes) { return TxCodec.decodeSigned(bytes); }
}
