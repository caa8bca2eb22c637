// Verification of state proofs (docs/state-tree.md, "Verifying a proof").
import { sha256 } from "@noble/hashes/sha2.js";
import { concat, equalBytes, fromHex, to0x } from "./bytes.js";
import { ProofError } from "./errors.js";
import type { WardProvider } from "./provider.js";
import type { StateProof } from "./rpc-types.js";

const ZERO = new Uint8Array(32);
const LEAF = new Uint8Array([0]);
const NODE = new Uint8Array([1]);

function bit(h: Uint8Array, i: number): number {
  return (h[i >> 3]! >> (7 - (i & 7))) & 1;
}

function hash32(text: unknown, what: string): Uint8Array {
  if (typeof text !== "string") throw new ProofError(`${what}: expected 0x + 64 hex digits`);
  const b = fromHex(text, what);
  if (b.length !== 32) throw new ProofError(`${what}: expected 32 bytes, got ${b.length}`);
  return b;
}

/**
 * Checks that `proof` shows `key` holding `value` (or, with `value` null,
 * holding nothing) in the state whose root is `root`. Uses the key and value
 * given, not those echoed in the proof.
 * @returns true when the proof reaches the root; false otherwise (also for malformed proofs).
 */
export function verifyProof(
  root: Uint8Array | string,
  key: Uint8Array | string,
  value: Uint8Array | string | null,
  proof: Pick<StateProof, "siblings" | "leaf">,
): boolean {
  try {
    checkProof(root, key, value, proof);
    return true;
  } catch (e) {
    if (e instanceof ProofError || e instanceof TypeError) return false;
    throw e;
  }
}

/** As verifyProof, but throws ProofError saying why a proof is refused. */
export function checkProof(
  root: Uint8Array | string,
  key: Uint8Array | string,
  value: Uint8Array | string | null,
  proof: Pick<StateProof, "siblings" | "leaf">,
): void {
  const r = typeof root === "string" ? hash32(root, "root") : root;
  const k = typeof key === "string" ? fromHex(key, "key") : key;
  const v = value === null ? null : typeof value === "string" ? fromHex(value, "value") : value;
  if (!proof || !Array.isArray(proof.siblings)) throw new ProofError("proof: siblings must be an array");
  if (proof.siblings.length > 256) throw new ProofError(`proof: ${proof.siblings.length} siblings, at most 256`);
  const siblings = proof.siblings.map((s, i) => hash32(s, `siblings[${i}]`));
  const kh = sha256(k);
  const n = siblings.length;
  let node: Uint8Array;
  if (proof.leaf) {
    const lk = hash32(proof.leaf.key_hash, "leaf.key_hash");
    const lv = hash32(proof.leaf.value_hash, "leaf.value_hash");
    if (equalBytes(lk, kh)) {
      if (v === null) throw new ProofError("proof: the key is present, but absence was claimed");
      if (!equalBytes(sha256(v), lv)) throw new ProofError("proof: the value does not match the leaf's value hash");
    } else {
      if (v !== null) throw new ProofError("proof: the path ends in another key's leaf: the key is absent");
      for (let i = 0; i < n; i++) {
        if (bit(lk, i) !== bit(kh, i)) throw new ProofError(`proof: the other leaf's path leaves the key's path at bit ${i}`);
      }
    }
    node = sha256(concat(LEAF, lk, lv));
  } else {
    if (v !== null) throw new ProofError("proof: the path ends in an empty subtree: the key is absent");
    node = ZERO;
  }
  for (let i = n - 1; i >= 0; i--) {
    node = bit(kh, i) === 0 ? sha256(concat(NODE, node, siblings[i]!)) : sha256(concat(NODE, siblings[i]!, node));
  }
  if (!equalBytes(node, r)) throw new ProofError(`proof: reaches root ${to0x(node)}, expected ${to0x(r)}`);
}

/** The raw state key of an address's native balance: "b/" followed by the 20 address bytes. */
export function balanceKey(address: string): Uint8Array {
  return concat(new Uint8Array([0x62, 0x2f]), fromHex(address, "address"));
}

/**
 * Asks the node for a proof of `key`, checks that the state root it names is
 * the one of the block header at that height, and verifies the proof
 * against it. Returns the proven value (null: proven absent).
 * @throws ProofError when anything does not match.
 */
export async function getVerifiedState(
  provider: WardProvider,
  key: Uint8Array | string,
): Promise<{ height: number; stateRoot: string; value: Uint8Array | null }> {
  const k = typeof key === "string" ? fromHex(key, "key") : key;
  const answer = await provider.getProof(k);
  const block = await provider.getBlock(answer.height);
  if (!block) throw new ProofError(`the node has no block at height ${answer.height}`);
  if (block.state_root.toLowerCase() !== answer.state_root.toLowerCase()) {
    throw new ProofError(`proof names state root ${answer.state_root}, block ${answer.height} has ${block.state_root}`);
  }
  const value = answer.value === null ? null : fromHex(answer.value, "value");
  checkProof(block.state_root, k, value, answer.proof);
  return { height: answer.height, stateRoot: block.state_root, value };
}
