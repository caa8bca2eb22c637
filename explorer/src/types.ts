// The node's answers as the pages read them: the SDK's types (@ward/sdk,
// docs/rpc.md), plus a typed reading of a transaction's action and the call
// tree a receipt may carry.
import type { Receipt as SdkReceipt, TransactionView } from '@ward/sdk';

export type {
  Abi,
  AbiMethod,
  AbiParam,
  Account,
  Block,
  BlockHeader,
  CallOutcome,
  ChainInfo,
  EventsPage,
  IndexedEvent,
} from '@ward/sdk';

export type U64 = number | bigint | string;

/** The action of a transaction (docs/tx-format.md "JSON view"), by type. */
export interface Action {
  type: 'transfer' | 'deploy' | 'call' | 'upgrade' | 'destroy';
  to?: string;
  amount?: U64;
  contract?: string;
  method?: string;
  args?: string;
  value?: U64;
  code_hash?: string;
  code_size?: U64;
  init_method?: string | null;
  init_args?: string;
  immutable?: boolean;
  float_policy?: string;
  abi?: string | null;
  migrate_method?: string | null;
  migrate_args?: string;
  beneficiary?: string;
}

/** One frame of a call tree (src/chain/receipt_json.h, trace_json). */
export interface CallFrame {
  contract: string;
  method: string;
  value: U64;
  gas_limit: U64;
  gas_used: U64;
  status: string;
  error: string | null;
  calls: CallFrame[];
}

export interface Receipt extends SdkReceipt {
  /** The call tree, when the node answers one. */
  trace?: CallFrame | null;
}

export interface Transaction extends Omit<TransactionView, 'action' | 'receipt'> {
  action: Action;
}

export interface IncludedTransaction extends Transaction {
  height: number;
  position: number;
  pending: false;
  receipt: Receipt | null;
}

export type TxLookup = IncludedTransaction | { hash: string; pending: true };

/** The transaction bodies of a block fetched with fullTxs. */
export function txBodies(b: { transactions: ReadonlyArray<unknown> }): Transaction[] {
  return b.transactions.filter((t) => typeof t === 'object' && t !== null) as Transaction[];
}
