package io.ward.sdk;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An unsigned version-1 transaction (docs/tx-format.md). u64 fields are Java {@code long}s read as
 * unsigned. Encoding, hash and signing digest are computed by {@link TxCodec}.
 *
 * @param chainId the chain the transaction is meant for
 * @param signer the sender's 32-byte Ed25519 public key
 * @param nonce the sender's account nonce
 * @param expiryHeight the last block height at which it may be included
 * @param gasLimit the gas it may use
 * @param gasPrice native value per unit of gas
 * @param action what it does
 */
public record Transaction(String chainId, Bytes signer, long nonce, long expiryHeight, long gasLimit, long gasPrice, Action action) {
  /** The only version this SDK writes and reads. */
  public static final int VERSION = 1;
  private static final byte[] DOMAIN = "WARD/tx/v1".getBytes(StandardCharsets.US_ASCII);

  public Transaction {
    Objects.requireNonNull(chainId, "chainId");
    Objects.requireNonNull(signer, "signer");
    Objects.requireNonNull(action, "action");
    if (signer.size() != 32) throw new IllegalArgumentException("signer must be a 32-byte public key, found " + signer.size() + " bytes");
  }

  /** The canonical encoding. */
  public byte[] encode() { return TxCodec.encode(this); }

  /** {@code sha256(tx bytes)}: the transaction's identity, known before it is sent. */
  public Hash hash() { return Hash.sha256(encode()); }

  /** {@code sha256("WARD/tx/v1" || chain_id || tx bytes)}, the 32 bytes the signer signs. */
  public byte[] signingDigest() {
    return Address.sha256(DOMAIN, chainId.getBytes(StandardCharsets.UTF_8), encode());
  }

  /** The sender: the address of {@link #signer()}. */
  public Address from() { return Address.fromPublicKey(signer.raw()); }

  /**
   * Signs the digest with {@code key}.
   *
   * @throws IllegalArgumentException when the key is not the transaction's signer
   */
  public SignedTransaction sign(Ed25519Signer key) {
    if (!Bytes.of(key.publicKey()).equals(signer)) {
      throw new IllegalArgumentException("key " + key.address() + " is not the signer " + from() + " of the transaction");
    }
    return new SignedTransaction(this, Bytes.of(key.sign(signingDigest())));
  }
}
