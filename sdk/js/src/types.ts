// Value types shared by the SDK: branded strings for addresses, hashes and
// object ids, so a plain string is not taken for one by accident.

/** `"0x"` + 40 lowercase hex digits: an account or contract address. */
export type Address = string & { readonly __brand: "Address" };
/** `"0x"` + 64 lowercase hex digits: a transaction, block or code hash. */
export type Hash = string & { readonly __brand: "Hash" };
/** `"0x"` + 64 lowercase hex digits: the id of a contract object. */
export type ObjectId = string & { readonly __brand: "ObjectId" };

const ADDRESS_RE = /^0[xX][0-9a-fA-F]{40}$/;
const HASH_RE = /^0[xX][0-9a-fA-F]{64}$/;

/**
 * Checks and normalises an address (lowercase).
 * @throws TypeError when `text` is not `0x` + 40 hex digits.
 */
export function asAddress(text: string, what = "address"): Address {
  if (typeof text !== "string" || !ADDRESS_RE.test(text)) {
    throw new TypeError(`${what}: expected 0x + 40 hex digits, got ${JSON.stringify(text)}`);
  }
  return text.toLowerCase() as Address;
}

/** Checks and normalises a 32-byte hash (lowercase). @throws TypeError */
export function asHash(text: string, what = "hash"): Hash {
  if (typeof text !== "string" || !HASH_RE.test(text)) {
    throw new TypeError(`${what}: expected 0x + 64 hex digits, got ${JSON.stringify(text)}`);
  }
  return text.toLowerCase() as Hash;
}

/** Checks and normalises an object id (lowercase). @throws TypeError */
export function asObjectId(text: string, what = "object id"): ObjectId {
  return asHash(text, what) as string as ObjectId;
}

export function isAddress(text: unknown): text is Address {
  return typeof text === "string" && ADDRESS_RE.test(text);
}

/** An unsigned 64-bit quantity as callers may give it. */
export type U64Like = bigint | number | string;

/**
 * A u64 from a bigint, a safe integer number or a decimal string.
 * @throws RangeError / TypeError naming `what`.
 */
export function toU64(v: U64Like, what = "value"): bigint {
  let b: bigint;
  if (typeof v === "bigint") b = v;
  else if (typeof v === "number") {
    if (!Number.isSafeInteger(v)) throw new RangeError(`${what}: ${v} is not a safe integer; pass a bigint`);
    b = BigInt(v);
  } else if (typeof v === "string" && /^[0-9]+$/.test(v)) b = BigInt(v);
  else throw new TypeError(`${what}: expected a u64 (bigint, integer or decimal string), got ${JSON.stringify(String(v))}`);
  if (b < 0n || b > 0xffffffffffffffffn) throw new RangeError(`${what}: ${b} is outside u64 (0 to 18446744073709551615)`);
  return b;
}
