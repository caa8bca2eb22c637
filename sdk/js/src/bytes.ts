// Byte helpers on plain Uint8Array (no Buffer: the SDK runs in browsers
// without polyfills).

const HEX = "0123456789abcdef";

/** Lowercase hex of `bytes`, without a prefix. */
export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += HEX[b >> 4] + HEX[b & 15];
  return out;
}

/** `"0x"` + lowercase hex. */
export function to0x(bytes: Uint8Array): string {
  return "0x" + toHex(bytes);
}

/**
 * Bytes of a hex string, with or without `0x`, either case.
 * @throws TypeError naming `what` when the text is not an even number of hex digits.
 */
export function fromHex(text: string, what = "hex"): Uint8Array {
  if (typeof text !== "string") throw new TypeError(`${what}: expected a hex string, got ${typeof text}`);
  const s = text.startsWith("0x") || text.startsWith("0X") ? text.slice(2) : text;
  if (s.length % 2 !== 0) throw new TypeError(`${what}: odd number of hex digits (${s.length})`);
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexDigit(s.charCodeAt(2 * i));
    const lo = hexDigit(s.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) throw new TypeError(`${what}: not hex at character ${2 * i + (hi < 0 ? 0 : 1)}: ${JSON.stringify(text.slice(0, 80))}`);
    out[i] = (hi << 4) | lo;
  }
  return out;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Concatenation of byte strings. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder("utf-8", { fatal: true });

/** UTF-8 bytes of a string (lone surrogates are refused: they have no UTF-8 form). */
export function utf8(text: string): Uint8Array {
  if (!text.isWellFormed()) throw new TypeError(`string holds a lone surrogate and has no UTF-8 form: ${JSON.stringify(text.slice(0, 80))}`);
  return encoder.encode(text);
}

/** Decodes strict UTF-8 (RFC 3629); undefined when the bytes are not valid UTF-8. */
export function fromUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}

export const U64_MAX = (1n << 64n) - 1n;

/** u64 little-endian, 8 bytes. */
export function u64le(v: bigint): Uint8Array {
  if (v < 0n || v > U64_MAX) throw new RangeError(`u64 out of range: ${v}`);
  const out = new Uint8Array(8);
  for (let i = 0; i < 8; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** u32 little-endian, 4 bytes. */
export function u32le(v: number): Uint8Array {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`u32 out of range: ${v}`);
  return new Uint8Array([v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255]);
}

/** u64 big-endian, 8 bytes (the state layout's encoding of counters and balances). */
export function u64be(v: bigint): Uint8Array {
  return u64le(v).reverse();
}

/** Reads a u64 big-endian from 8 bytes. */
export function readU64be(b: Uint8Array): bigint {
  if (b.length !== 8) throw new RangeError(`u64: expected 8 bytes, got ${b.length}`);
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}
