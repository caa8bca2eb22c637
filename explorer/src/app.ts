// What every page of the explorer shares: the node, the live stream of new
// blocks and the page's lifetime (listeners end when the page changes).
import type { NodeApi } from './node';
import type { BlockHeader } from './types';

export type HeadListener = (head: BlockHeader) => void;

/** Fans the one newHeads subscription out to the listeners of the page shown. */
export class Live {
  private listeners = new Set<HeadListener>();
  status: 'connecting' | 'live' | 'offline' = 'connecting';
  onStatus: (s: Live['status'], why?: string) => void = () => {};
  /** Called for every new block, whatever page is shown (the header's head height). */
  onAnyHead: HeadListener = () => {};

  on(l: HeadListener, page: Page): void {
    this.listeners.add(l);
    page.onLeave(() => this.listeners.delete(l));
  }

  emit(head: BlockHeader): void {
    this.onAnyHead(head);
    for (const l of this.listeners) {
      try {
        l(head);
      } catch (e) {
        console.error('explorer: a newHeads listener failed', e);
      }
    }
  }

  setStatus(s: Live['status'], why?: string): void {
    this.status = s;
    this.onStatus(s, why);
  }
}

/** The lifetime of one rendered page. */
export class Page {
  private cleanups: Array<() => void> = [];
  left = false;
  onLeave(f: () => void): void {
    this.cleanups.push(f);
  }
  /** setInterval that stops when the page is left. */
  every(ms: number, f: () => void): void {
    const id = setInterval(f, ms);
    this.onLeave(() => clearInterval(id));
  }
  leave(): void {
    this.left = true;
    for (const f of this.cleanups.splice(0)) f();
  }
}

export interface App {
  api: NodeApi;
  live: Live;
}
