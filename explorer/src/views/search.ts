// Search: a block height, a transaction or block hash, or an address.
import type { App } from '../app';

export type SearchTarget = { route: string } | { error: string };

const HELP = 'Search by block height (digits), transaction or block hash (0x + 64 hex digits) or address (0x + 40 hex digits).';

/** Where a search text leads; a hash is looked up as a transaction, then as a block. */
export async function resolveSearch(app: App, text: string): Promise<SearchTarget> {
  const q = text.trim();
  if (q === '') return { error: HELP };
  if (/^\d+$/.test(q)) {
    if (q.length > 20 || BigInt(q) > 18446744073709551615n) return { error: `${q} is not a block height (at most 2^64 - 1).` };
    return { route: `#/block/${BigInt(q)}` };
  }
  const hex = q.toLowerCase();
  if (/^0x[0-9a-f]{40}$/.test(hex)) return { route: `#/address/${hex}` };
  if (/^0x[0-9a-f]{64}$/.test(hex)) {
    if (await app.api.transaction(hex)) return { route: `#/tx/${hex}` };
    if (await app.api.block({ hash: hex })) return { route: `#/block/${hex}` };
    return { error: `No transaction and no block has the hash ${hex}.` };
  }
  if (/^0x[0-9a-f]*$/.test(hex)) return { error: `${q} has ${hex.length - 2} hex digits: an address has 40, a hash 64.` };
  return { error: HELP };
}
