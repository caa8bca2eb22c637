// Shapes of the node's answers (docs/rpc.md). Member names are the node's.
// Money (balances, values, fees, gas prices) and nonces are bigint; heights,
// positions and gas amounts are numbers.
import type { Json } from "./json.js";
import type { Address, Hash, ObjectId } from "./types.js";

export type ReceiptStatus = "ok" | "reverted" | "trapped" | "failed";

/** An event as receipts, ward_call and ward_simulate carry it. */
export interface ContractEvent {
  contract: Address;
  name: string;
  data: Json;
}

/** An event as ward_getEvents and "events" subscriptions carry it. */
export interface IndexedEvent extends ContractEvent {
  tx_hash: Hash;
  height: number;
  position: number;
  index: number;
}

/** The receipt of an included (or simulated) transaction (docs/rpc.md, "Receipts"). */
export interface Receipt {
  tx_hash: Hash;
  /** Absent in ward_simulate answers. */
  height?: number;
  position?: number;
  from: Address;
  kind: "transfer" | "deploy" | "call" | "upgrade" | "destroy";
  status: ReceiptStatus;
  result: Json;
  gas_used: number;
  gas_price: bigint;
  fee: bigint;
  events: ContractEvent[];
  error: string | null;
  contract: Address | null;
  code_hash: Hash | null;
  exit_code: number;
  code_was_new: boolean | null;
}

export interface ChainInfo {
  chain_id: string;
  head_height: number;
  head_hash: Hash;
  head_time_ms: number;
  genesis_hash: Hash;
  node_version: string;
  min_gas_price: bigint;
  block_gas_limit: bigint;
  producer: Address;
  mempool_size: number;
  halted: boolean;
  halt_reason?: string;
  /** Present in cluster mode. */
  cluster?: { chain: string; role: "leader" | "follower"; leader: string | null; leader_height: number; behind: number };
}

export interface BlockHeader {
  height: number;
  hash: Hash;
  parent_hash: Hash;
  time_ms: number;
  producer: Address;
  tx_count: number;
  tx_root: Hash;
  receipts_root: Hash;
  state_root: Hash;
  gas_used: number;
  producer_key: string;
  signature: string;
}

export interface Block extends BlockHeader {
  /** Hashes, or transaction bodies with `fullTxs`. */
  transactions: (Hash | TransactionView)[];
  /** With `raw`: the signed header bytes, hex. */
  raw_header?: string;
  /** With `raw`: each stored signed transaction, hex. */
  raw_transactions?: string[];
}

/** The JSON view of a transaction (docs/tx-format.md, "JSON view"). */
export interface TransactionView {
  version: number;
  chain_id: string;
  signer: string;
  from: Address;
  nonce: number | bigint;
  expiry_height: number | bigint;
  gas_limit: number | bigint;
  gas_price: number | bigint;
  action: { type: string; [field: string]: Json };
  hash: Hash;
  signature: string;
  height?: number;
  position?: number;
  pending: boolean;
  receipt?: Receipt | null;
}

export interface ContractInfo {
  code_hash: Hash;
  deployer: Address;
  admin: Address | null;
  status: "active" | "destroyed";
  created_at: number;
}

export interface Account {
  address: Address;
  balance: bigint;
  nonce: bigint;
  height: number;
  contract: ContractInfo | null;
}

/** What ward_call answers. */
export interface CallOutcome {
  status: ReceiptStatus;
  result: Json;
  gas_used: number;
  events: ContractEvent[];
  error: string | null;
  height: number;
}

export interface EventsPage {
  events: IndexedEvent[];
  cursor: Json;
  toHeight: number;
}

export interface StateBytes {
  hex: string;
  text?: string;
}

export interface ObjectInfo {
  id: ObjectId;
  contract: Address;
  owner: Address;
  fields: { [name: string]: Json };
}

/** A proof of docs/state-tree.md, "JSON form". */
export interface StateProof {
  key: string;
  value: string | null;
  key_hash: string;
  siblings: string[];
  leaf: { key_hash: string; value_hash: string } | null;
}

export interface ProofAnswer {
  height: number;
  state_root: Hash;
  key: string;
  value: string | null;
  proof: StateProof;
}
