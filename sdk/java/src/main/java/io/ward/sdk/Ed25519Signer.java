package io.ward.sdk;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;

/**
 * An Ed25519 key (RFC 8032) built from a 32-byte seed, signing with the JDK's own
 * {@code Signature.getInstance("Ed25519")}. Immutable and safe to share between threads.
 */
public final class Ed25519Signer {
  private final byte[] publicKey;
  private final PrivateKey privateKey;
  private final Address address;

  private Ed25519Signer(byte[] publicKey, PrivateKey privateKey) {
    this.publicKey = publicKey;
    this.privateKey = privateKey;
    this.address = Address.fromPublicKey(publicKey);
  }

  /**
   * The key of a 32-byte seed (the RFC 8032 private key).
   *
   * @throws IllegalArgumentException when the seed is not 32 bytes
   */
  public static Ed25519Signer fromSeed(byte[] seed) {
    if (seed.length != 32) throw new IllegalArgumentException("Ed25519 seed must be 32 bytes, found " + seed.length);
    byte[] copy = seed.clone();
    try {
      // The JDK derives the key pair from 32 bytes it draws from the given source of randomness:
      // handing it the seed gives the RFC 8032 key pair of that seed.
      KeyPairGenerator gen = KeyPairGenerator.getInstance("Ed25519");
      gen.initialize(NamedParameterSpec.ED25519, new FixedBytes(copy));
      KeyPair pair = gen.generateKeyPair();
      return new Ed25519Signer(encodePoint(((EdECPublicKey) pair.getPublic()).getPoint()), pair.getPrivate());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is not available in this JDK", e);
    }
  }

  /** The key of a seed given as 64 hex digits (with or without 0x). */
  public static Ed25519Signer fromSeedHex(String hex) { return fromSeed(Hex.decodeExact(hex, 32, "seed")); }

  /** A new random key. */
  public static Ed25519Signer random() {
    byte[] seed = new byte[32];
    new SecureRandom().nextBytes(seed);
    return fromSeed(seed);
  }

  /** The 32-byte public key (a fresh copy). */
  public byte[] publicKey() { return publicKey.clone(); }

  /** The address of this key. */
  public Address address() { return address; }

  /** The 64-byte Ed25519 signature of {@code message}. */
  public byte[] sign(byte[] message) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(privateKey);
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  /**
   * Whether {@code signature} is a valid Ed25519 signature of {@code message} by {@code publicKey}.
   * A public key that is not a curve point gives false.
   */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (publicKey.length != 32 || signature.length != 64) return false;
    try {
      PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, decodePoint(publicKey)));
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(message);
      return s.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /** RFC 8032 5.1.2: y little-endian, the sign of x in the top bit. */
  private static byte[] encodePoint(EdECPoint p) {
    byte[] big = p.getY().toByteArray();
    byte[] out = new byte[32];
    for (int i = 0; i < 32 && i < big.length; ++i) out[i] = big[big.length - 1 - i];
    if (p.isXOdd()) out[31] |= (byte) 0x80;
    return out;
  }

  private static EdECPoint decodePoint(byte[] enc) {
    byte[] be = new byte[32];
    for (int i = 0; i < 32; ++i) be[i] = enc[31 - i];
    boolean xOdd = (be[0] & 0x80) != 0;
    be[0] &= 0x7f;
    return new EdECPoint(xOdd, new BigInteger(1, be));
  }

  /** Hands out the seed once, as the key generator's randomness. */
  private static final class FixedBytes extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] bytes;
    private boolean used;

    FixedBytes(byte[] bytes) { this.bytes = bytes; }

    @Override
    public synchronized void nextBytes(byte[] out) {
      if (used || out.length != bytes.length) throw new IllegalStateException("Ed25519 key generation asked for unexpected randomness");
      System.arraycopy(bytes, 0, out, 0, out.length);
      Arrays.fill(bytes, (byte) 0);
      used = true;
    }
  }

  @Override
  public String toString() { return "Ed25519Signer[" + address + "]"; }
}
