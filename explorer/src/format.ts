// Formatting of values for people: grouped digits, short hashes, ages,
// links to the explorer's own pages, JSON.
import { h } from './dom';
import type { U64 } from './types';

/** 1234567 -> "1,234,567" (exact for bigint and decimal strings). */
export function num(v: U64 | null | undefined): string {
  if (v === null || v === undefined) return '–';
  const s = typeof v === 'string' ? v : v.toString();
  if (!/^-?\d+$/.test(s)) return s;
  const neg = s.startsWith('-');
  const digits = neg ? s.slice(1) : s;
  return (neg ? '-' : '') + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "0x1234…cdef" for long hex strings. */
export function short(hex: string, keep = 6): string {
  if (hex.length <= 2 + keep * 2 + 1) return hex;
  return `${hex.slice(0, 2 + keep)}…${hex.slice(-keep)}`;
}

/** "5 s ago", "3 min ago", "2 h ago", or a date. */
export function age(timeMs: U64, now = Date.now()): string {
  const t = Number(timeMs);
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(t).toISOString().slice(0, 10);
}

/** "2026-11-30 11:40:02 UTC". */
export function utc(timeMs: U64): string {
  return new Date(Number(timeMs)).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

export function blockLink(height: U64, text?: string): HTMLAnchorElement {
  return h('a', { href: `#/block/${height}`, class: 'mono' }, text ?? num(height));
}

/** A link to a transaction: the whole hash, or its first and last `keep` digits. */
export function txLink(hash: string, full = false, keep = 6): HTMLAnchorElement {
  return h('a', { href: `#/tx/${hash}`, class: 'mono', title: hash }, full ? hash : short(hash, keep));
}

/** A link to an address: the whole of it, or its first and last `keep` digits. */
export function addressLink(address: string | null | undefined, full = false, keep = 6): HTMLElement {
  if (!address) return h('span', { class: 'muted' }, '–');
  return h('a', { href: `#/address/${address}`, class: 'mono', title: address }, full ? address : short(address, keep));
}

/** JSON text with bigint kept exact, two-space indented. */
export function json(v: unknown, indent = 2): string {
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}` : x), indent) ?? 'null';
}

/** Contract JSON stored as text (call args): pretty-printed when it parses. */
export function jsonText(text: string | null | undefined): string {
  if (text === null || text === undefined || text === '') return '';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** A status badge: ok/active (green), pending (amber), reverted/trapped/failed/destroyed (red). */
export function badge(status: string): HTMLSpanElement {
  const kind = status === 'ok' || status === 'active' ? 'ok' : status === 'pending' ? 'pending' : 'bad';
  return h('span', { class: `badge ${kind}` }, status);
}

/** A copy-to-clipboard button next to a long value. */
export function copyable(text: string, shown: Node | string = text): HTMLSpanElement {
  const btn = h('button', { class: 'copy', type: 'button', title: 'copy to the clipboard', 'aria-label': 'copy' }, 'copy');
  btn.addEventListener('click', () => {
    void navigator.clipboard?.writeText(text).then(() => {
      btn.textContent = 'copied';
      setTimeout(() => (btn.textContent = 'copy'), 1200);
    });
  });
  return h('span', { class: 'copyable' }, typeof shown === 'string' ? h('span', { class: 'mono' }, shown) : shown, btn);
}
