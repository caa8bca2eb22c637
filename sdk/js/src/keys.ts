// Ed25519 keys (RFC 8032) and address derivation (docs/tx-format.md, "Address").
import { ed25519 } from "@noble/curves/ed25519.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { concat, fromHex, to0x, u64be } from "./bytes.js";
import type { Signer, SignedTransaction } from "./tx.js";
import { signingDigest } from "./tx.js";
import type { Address } from "./types.js";
import { asAddress, toU64, type U64Like } from "./types.js";

/** First 20 bytes of sha256(public key), as 0x hex. */
export function addressOf(publicKey: Uint8Array): Address {
  if (publicKey.length !== 32) throw new TypeError(`public key must be 32 bytes, got ${publicKey.length}`);
  return to0x(sha256(publicKey).slice(0, 20)) as Address;
}

/** The address a deploy from `deployer` with `nonce` creates: last 20 bytes of sha256(deployer || u64be(nonce)). */
export function contractAddress(deployer: string, nonce: U64Like): Address {
  const h = sha256(concat(fromHex(asAddress(deployer, "deployer")), u64be(toU64(nonce, "nonce"))));
  return to0x(h.slice(12)) as Address;
}

/**
 * Ed25519 verification with the strict RFC 8032 rules libsodium applies
 * (`zip215: false`): non-canonical encodings and small-order keys are refused.
 */
export function verifyEd25519(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

/** Checks the signature of a signed transaction against its signer and chain id. */
export function verifyTransaction(stx: SignedTransaction): boolean {
  return verifyEd25519(stx.signature, signingDigest(stx.tx.chainId, stx.txBytes), stx.tx.signer);
}

/** A signer holding an Ed25519 seed in memory. */
export class Ed25519Signer implements Signer {
  readonly publicKey: Uint8Array;
  readonly address: Address;
  readonly #seed: Uint8Array;

  private constructor(seed: Uint8Array) {
    this.#seed = seed;
    this.publicKey = ed25519.getPublicKey(seed);
    this.address = addressOf(this.publicKey);
  }

  /**
   * From a 32-byte seed (bytes or hex, as `ward keys export` prints it).
   * @throws TypeError when the seed is not 32 bytes.
   */
  static fromSeed(seed: Uint8Array | string): Ed25519Signer {
    const bytes = typeof seed === "string" ? fromHex(seed, "seed") : seed.slice();
    if (bytes.length !== 32) throw new TypeError(`seed must be 32 bytes, got ${bytes.length}`);
    return new Ed25519Signer(bytes);
  }

  /** A new random key (crypto.getRandomValues). */
  static random(): Ed25519Signer {
    return new Ed25519Signer(ed25519.utils.randomSecretKey());
  }

  /** Ed25519 signature (64 bytes) of `message` (the 32-byte signing digest for transactions). */
  sign(message: Uint8Array): Uint8Array {
    return ed25519.sign(message, this.#seed);
  }
}
