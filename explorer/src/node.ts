// The explorer's view of the node: the SDK's WardProvider (@ward/sdk) for
// every JSON-RPC call and the newHeads subscription, with the answers typed
// as the pages read them (types.ts).
import { parseAbi, WardProvider, type Json } from '@ward/sdk';
import type { Live } from './app';
import type { Abi, Account, Block, BlockHeader, CallOutcome, ChainInfo, EventsPage, Receipt, TxLookup } from './types';

export type BlockId = number | { hash: string };

export class NodeApi {
  readonly provider: WardProvider;

  /** `url`: the node's http(s) URL; the WebSocket is the same host at /ws. */
  constructor(readonly url: string) {
    this.provider = new WardProvider({ url });
  }

  chainInfo(): Promise<ChainInfo> {
    return this.provider.chainInfo();
  }

  block(id: BlockId, fullTxs = false): Promise<Block | null> {
    return this.provider.getBlock(id, fullTxs);
  }

  transaction(hash: string): Promise<TxLookup | null> {
    return this.provider.getTransaction(hash) as Promise<unknown> as Promise<TxLookup | null>;
  }

  receipt(hash: string): Promise<Receipt | null> {
    return this.provider.getReceipt(hash) as Promise<unknown> as Promise<Receipt | null>;
  }

  account(address: string): Promise<Account> {
    return this.provider.getAccount(address);
  }

  /**
   * The ABI the deploy carried, checked by the SDK (parseAbi); null when
   * there is none.
   * @throws AbiError when the stored ABI is not one the SDK can read.
   */
  async abi(address: string): Promise<Abi | null> {
    const a = await this.provider.getAbi(address);
    return a === null ? null : parseAbi(a as unknown as Abi);
  }

  /** ward_call: a read-only call at the head; nothing is signed or committed. */
  call(p: { to: string; method: string; args: Json; from?: string }): Promise<CallOutcome> {
    return this.provider.call(p);
  }

  events(f: { fromHeight: number; toHeight?: number; contract?: string; limit?: number; cursor?: Json }): Promise<EventsPage> {
    return this.provider.getEvents(f);
  }

  /**
   * Keeps a newHeads subscription open, feeding `live`; when the WebSocket
   * drops it says so and subscribes again (1 s, doubling to 10 s).
   */
  follow(live: Live): void {
    let delay = 1000;
    const start = () => {
      live.setStatus('connecting');
      this.provider
        .subscribe({ newHeads: true }, (head) => live.emit(head as BlockHeader), {
          onError: (e) => retry(e.message),
        })
        .then(
          () => {
            delay = 1000;
            live.setStatus('live');
          },
          (e: Error) => retry(e.message),
        );
    };
    const retry = (why: string) => {
      live.setStatus('offline', why);
      setTimeout(start, delay);
      delay = Math.min(delay * 2, 10_000);
    };
    start();
  }
}
