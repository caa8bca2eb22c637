// The version-1 transaction format (docs/tx-format.md): canonical encoding,
// decoding with the node's error messages, signing digest, hash, signed bytes.
import { sha256 } from "@noble/hashes/sha2.js";
import { concat, fromHex, fromUtf8, to0x, u32le, u64le, utf8 } from "./bytes.js";
import type { Address, Hash } from "./types.js";
import { asAddress } from "./types.js";

export type FloatPolicy = "allow" | "deny";

export interface TransferAction {
  type: "transfer";
  to: Address;
  amount: bigint;
}
export interface DeployAction {
  type: "deploy";
  /** Raw wasm, or gzip of it. */
  code: Uint8Array;
  initMethod: string | null;
  /** JSON text, may be empty. */
  initArgs: string;
  value: bigint;
  immutable: boolean;
  floatPolicy: FloatPolicy;
  /** ABI JSON text, or null. */
  abi: string | null;
}
export interface CallAction {
  type: "call";
  contract: Address;
  method: string;
  /** JSON text. */
  args: string;
  value: bigint;
}
export interface UpgradeAction {
  type: "upgrade";
  contract: Address;
  code: Uint8Array;
  migrateMethod: string | null;
  migrateArgs: string;
}
export interface DestroyAction {
  type: "destroy";
  contract: Address;
  beneficiary: Address;
}
export type Action = TransferAction | DeployAction | CallAction | UpgradeAction | DestroyAction;

/** One transaction (docs/tx-format.md, "Encoding"). u64 fields are bigint. */
export interface Transaction {
  version: 1;
  chainId: string;
  /** The sender's 32-byte Ed25519 public key. */
  signer: Uint8Array;
  nonce: bigint;
  expiryHeight: bigint;
  gasLimit: bigint;
  gasPrice: bigint;
  action: Action;
}

/** A transaction with its signature, its bytes and its hash. */
export interface SignedTransaction {
  tx: Transaction;
  /** The encoded transaction (what the hash and the digest cover). */
  txBytes: Uint8Array;
  /** 64 bytes. */
  signature: Uint8Array;
  /** sha256(txBytes), known before the transaction is sent. */
  hash: Hash;
  /** txBytes || signature: what ward_sendTransaction takes (as hex). */
  signedBytes: Uint8Array;
}

const ACTION_TAGS = { transfer: 0, deploy: 1, call: 2, upgrade: 3, destroy: 4 } as const;
const DOMAIN = utf8("WARD/tx/v1");

class Writer {
  parts: Uint8Array[] = [];
  u8(v: number): void {
    this.parts.push(new Uint8Array([v]));
  }
  u64(v: bigint): void {
    this.parts.push(u64le(v));
  }
  bytes(b: Uint8Array): void {
    this.parts.push(u32le(b.length), b);
  }
  text(s: string): void {
    this.bytes(utf8(s));
  }
  optText(s: string | null): void {
    if (s === null) this.u8(0);
    else {
      this.u8(1);
      this.text(s);
    }
  }
  fixed(b: Uint8Array, n: number, what: string): void {
    if (b.length !== n) throw new TypeError(`${what}: expected ${n} bytes, got ${b.length}`);
    this.parts.push(b);
  }
  address(a: string, what: string): void {
    this.fixed(fromHex(asAddress(a, what), what), 20, what);
  }
}

/**
 * The canonical bytes of a transaction.
 * @throws TypeError / RangeError for a field out of its type (a u64 out of range, a 31-byte key...).
 */
export function encodeTransaction(tx: Transaction): Uint8Array {
  if (tx.version !== 1) throw new RangeError(`version must be 1, got ${tx.version}`);
  const w = new Writer();
  w.u8(1);
  w.text(tx.chainId);
  w.fixed(tx.signer, 32, "signer");
  w.u64(tx.nonce);
  w.u64(tx.expiryHeight);
  w.u64(tx.gasLimit);
  w.u64(tx.gasPrice);
  const a = tx.action;
  w.u8(ACTION_TAGS[a.type]);
  switch (a.type) {
    case "transfer":
      w.address(a.to, "transfer.to");
      w.u64(a.amount);
      break;
    case "deploy":
      w.bytes(a.code);
      w.optText(a.initMethod);
      w.text(a.initArgs);
      w.u64(a.value);
      w.u8(a.immutable ? 1 : 0);
      if (a.floatPolicy !== "allow" && a.floatPolicy !== "deny") {
        throw new TypeError(`deploy.float_policy must be "allow" or "deny", got ${JSON.stringify(a.floatPolicy)}`);
      }
      w.u8(a.floatPolicy === "deny" ? 1 : 0);
      w.optText(a.abi);
      break;
    case "call":
      w.address(a.contract, "call.contract");
      w.text(a.method);
      w.text(a.args);
      w.u64(a.value);
      break;
    case "upgrade":
      w.address(a.contract, "upgrade.contract");
      w.bytes(a.code);
      w.optText(a.migrateMethod);
      w.text(a.migrateArgs);
      break;
    case "destroy":
      w.address(a.contract, "destroy.contract");
      w.address(a.beneficiary, "destroy.beneficiary");
      break;
    default:
      throw new TypeError(`unknown action type ${JSON.stringify((a as { type: unknown }).type)}`);
  }
  return concat(...w.parts);
}

/** Thrown by the decoders; the messages are those of the node (docs/tx-format.md, "Errors"). */
export class TxDecodeError extends Error {
  override name = "TxDecodeError";
}

class Reader {
  pos = 0;
  constructor(readonly b: Uint8Array) {}
  get left(): number {
    return this.b.length - this.pos;
  }
  need(field: string, n: number): void {
    if (this.left < n) {
      throw new TxDecodeError(`transaction truncated: ${field} needs ${n} bytes at offset ${this.pos}, only ${this.left} left`);
    }
  }
  u8(field: string): number {
    this.need(field, 1);
    return this.b[this.pos++]!;
  }
  u64(field: string): bigint {
    this.need(field, 8);
    let v = 0n;
    for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(this.b[this.pos + i]!);
    this.pos += 8;
    return v;
  }
  zeroOrOne(field: string): boolean {
    const at = this.pos;
    const v = this.u8(field);
    if (v > 1) throw new TxDecodeError(`transaction: ${field} at offset ${at} must be 0 or 1, found ${v}`);
    return v === 1;
  }
  fixed(field: string, n: number): Uint8Array {
    this.need(field, n);
    const out = this.b.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  bytes(field: string): Uint8Array {
    const at = this.pos;
    this.need(field + " length", 4);
    const b = this.b;
    const len = (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
    this.pos += 4;
    if (len > this.left) {
      throw new TxDecodeError(`transaction truncated: ${field} length ${len} at offset ${at} exceeds the ${this.left} bytes left`);
    }
    const out = b.slice(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  text(field: string): string {
    const at = this.pos;
    const s = fromUtf8(this.bytes(field));
    if (s === undefined) throw new TxDecodeError(`transaction: ${field} at offset ${at} is not valid UTF-8`);
    return s;
  }
  optText(field: string): string | null {
    return this.zeroOrOne(field + " option tag") ? this.text(field) : null;
  }
  address(field: string): Address {
    return to0x(this.fixed(field, 20)) as Address;
  }
}

function readTransaction(r: Reader): Transaction {
  const version = r.u8("version");
  if (version !== 1) throw new TxDecodeError(`transaction: unsupported version ${version} at offset 0 (expected 1)`);
  const chainId = r.text("chain_id");
  const signer = r.fixed("signer", 32);
  const nonce = r.u64("nonce");
  const expiryHeight = r.u64("expiry_height");
  const gasLimit = r.u64("gas_limit");
  const gasPrice = r.u64("gas_price");
  const tagAt = r.pos;
  const tag = r.u8("action tag");
  let action: Action;
  switch (tag) {
    case 0:
      action = { type: "transfer", to: r.address("transfer.to"), amount: r.u64("transfer.amount") };
      break;
    case 1: {
      const code = r.bytes("deploy.code");
      const initMethod = r.optText("deploy.init_method");
      const initArgs = r.text("deploy.init_args");
      const value = r.u64("deploy.value");
      const immutable = r.zeroOrOne("deploy.immutable");
      const floatPolicy: FloatPolicy = r.zeroOrOne("deploy.float_policy") ? "deny" : "allow";
      const abi = r.optText("deploy.abi");
      action = { type: "deploy", code, initMethod, initArgs, value, immutable, floatPolicy, abi };
      break;
    }
    case 2: {
      const contract = r.address("call.contract");
      const method = r.text("call.method");
      const args = r.text("call.args");
      action = { type: "call", contract, method, args, value: r.u64("call.value") };
      break;
    }
    case 3: {
      const contract = r.address("upgrade.contract");
      const code = r.bytes("upgrade.code");
      const migrateMethod = r.optText("upgrade.migrate_method");
      action = { type: "upgrade", contract, code, migrateMethod, migrateArgs: r.text("upgrade.migrate_args") };
      break;
    }
    case 4:
      action = { type: "destroy", contract: r.address("destroy.contract"), beneficiary: r.address("destroy.beneficiary") };
      break;
    default:
      throw new TxDecodeError(`transaction: unknown action tag ${tag} at offset ${tagAt}`);
  }
  return { version: 1, chainId, signer, nonce, expiryHeight, gasLimit, gasPrice, action };
}

/** Decodes exactly one transaction. @throws TxDecodeError */
export function decodeTransaction(bytes: Uint8Array): Transaction {
  const r = new Reader(bytes);
  const tx = readTransaction(r);
  if (r.left !== 0) throw new TxDecodeError(`transaction: ${r.left} trailing bytes at offset ${r.pos}`);
  return tx;
}

/** Decodes signed bytes (transaction || 64-byte signature); does not verify the signature. @throws TxDecodeError */
export function decodeSigned(bytes: Uint8Array): SignedTransaction {
  const r = new Reader(bytes);
  const tx = readTransaction(r);
  const size = r.pos;
  if (r.left !== 64) {
    throw new TxDecodeError(
      `signed transaction: expected a 64-byte signature after the ${size}-byte transaction, found ${r.left} bytes`,
    );
  }
  const txBytes = bytes.slice(0, size);
  return { tx, txBytes, signature: bytes.slice(size), hash: txHash(txBytes), signedBytes: bytes.slice() };
}

/** sha256("WARD/tx/v1" || chain_id || tx bytes): what the signer signs. */
export function signingDigest(chainId: string, txBytes: Uint8Array): Uint8Array {
  return sha256(concat(DOMAIN, utf8(chainId), txBytes));
}

/** sha256(tx bytes) as 0x hex. */
export function txHash(txBytes: Uint8Array): Hash {
  return to0x(sha256(txBytes)) as Hash;
}

/** Anything that signs a 32-byte digest with an Ed25519 key. */
export interface Signer {
  readonly publicKey: Uint8Array;
  readonly address: Address;
  sign(digest: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

/**
 * Signs a transaction; `tx.signer` is replaced by the signer's key. The
 * hash is known from the result before anything is sent.
 */
export async function signTransaction(tx: Transaction, signer: Signer): Promise<SignedTransaction> {
  const full: Transaction = { ...tx, signer: signer.publicKey };
  const txBytes = encodeTransaction(full);
  const signature = await signer.sign(signingDigest(full.chainId, txBytes));
  if (signature.length !== 64) throw new TypeError(`signer returned ${signature.length} bytes, expected a 64-byte signature`);
  return { tx: full, txBytes, signature, hash: txHash(txBytes), signedBytes: concat(txBytes, signature) };
}
