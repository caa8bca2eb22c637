// JSON that keeps 64-bit integers exact. The node answers u64 values as JSON
// numbers, which JSON.parse would round above 2^53; parseJson returns such
// integers as bigint (and every other number as a JS number). stringifyJson
// writes bigint as a plain JSON integer, which the node and contracts read
// as u64/i64.

/** A JSON value as the SDK reads it: integers beyond 2^53 - 1 are bigint. */
export type Json = null | boolean | number | bigint | string | Json[] | { [key: string]: Json };

/**
 * Parses JSON text (RFC 8259). Integers (no fraction, no exponent) outside
 * ±(2^53 - 1) become bigint; everything else is as JSON.parse gives it.
 * @throws SyntaxError with the offset on malformed text.
 */
export function parseJson(text: string): Json {
  const p = new Parser(text);
  p.ws();
  const v = p.value(0);
  p.ws();
  if (p.i !== text.length) p.fail("unexpected text after the value");
  return v;
}

const MAX_DEPTH = 512;

class Parser {
  i = 0;
  constructor(readonly s: string) {}

  fail(why: string): never {
    throw new SyntaxError(`JSON: ${why} at offset ${this.i}`);
  }
  ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.i++;
      else break;
    }
  }
  value(depth: number): Json {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH}`);
    const c = this.s[this.i];
    if (c === "{") return this.object(depth);
    if (c === "[") return this.array(depth);
    if (c === '"') return this.string();
    if (c === "t") return this.word("true", true);
    if (c === "f") return this.word("false", false);
    if (c === "n") return this.word("null", null);
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.number();
    return this.fail(c === undefined ? "unexpected end" : `unexpected character ${JSON.stringify(c)}`);
  }
  word<T extends Json>(w: string, v: T): T {
    if (!this.s.startsWith(w, this.i)) this.fail(`expected ${w}`);
    this.i += w.length;
    return v;
  }
  number(): number | bigint {
    const m = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
    m.lastIndex = this.i;
    const r = m.exec(this.s);
    if (!r) return this.fail("malformed number");
    this.i += r[0].length;
    if (r[1] === undefined && r[2] === undefined) {
      const n = Number(r[0]);
      if (Number.isSafeInteger(n)) return n;
      return BigInt(r[0]);
    }
    return Number(r[0]);
  }
  string(): string {
    // Fast path: no escapes.
    const s = this.s;
    const start = ++this.i;
    let out = "";
    let from = start;
    for (;;) {
      if (this.i >= s.length) this.fail("unterminated string");
      const c = s.charCodeAt(this.i);
      if (c === 34) {
        out += s.slice(from, this.i);
        this.i++;
        return out;
      }
      if (c < 0x20) this.fail("control character in string");
      if (c === 92) {
        out += s.slice(from, this.i);
        const e = s[this.i + 1];
        this.i += 2;
        switch (e) {
          case '"': out += '"'; break;
          case "\\": out += "\\"; break;
          case "/": out += "/"; break;
          case "b": out += "\b"; break;
          case "f": out += "\f"; break;
          case "n": out += "\n"; break;
          case "r": out += "\r"; break;
          case "t": out += "\t"; break;
          case "u": {
            const h = s.slice(this.i, this.i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(h)) this.fail("bad \\u escape");
            out += String.fromCharCode(parseInt(h, 16));
            this.i += 4;
            break;
          }
          default:
            this.i -= 1;
            this.fail("bad escape");
        }
        from = this.i;
        continue;
      }
      this.i++;
    }
  }
  array(depth: number): Json[] {
    this.i++;
    const out: Json[] = [];
    this.ws();
    if (this.s[this.i] === "]") {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      out.push(this.value(depth + 1));
      this.ws();
      const c = this.s[this.i++];
      if (c === "]") return out;
      if (c !== ",") {
        this.i--;
        this.fail("expected , or ]");
      }
    }
  }
  object(depth: number): { [key: string]: Json } {
    this.i++;
    const out: { [key: string]: Json } = {};
    this.ws();
    if (this.s[this.i] === "}") {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail("expected a member name");
      const k = this.string();
      this.ws();
      if (this.s[this.i++] !== ":") {
        this.i--;
        this.fail("expected :");
      }
      this.ws();
      const v = this.value(depth + 1);
      Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      this.ws();
      const c = this.s[this.i++];
      if (c === "}") return out;
      if (c !== ",") {
        this.i--;
        this.fail("expected , or }");
      }
    }
  }
}

/**
 * JSON text of a value; bigint is written as an integer literal, undefined
 * members are left out (as JSON.stringify does).
 * @throws TypeError for values JSON cannot hold (functions, symbols, NaN, Infinity, cycles).
 */
export function stringifyJson(value: unknown): string {
  const out = write(value, new Set());
  if (out === undefined) throw new TypeError("stringifyJson: the value has no JSON form");
  return out;
}

function write(v: unknown, seen: Set<object>): string | undefined {
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "number":
      if (!Number.isFinite(v)) throw new TypeError(`JSON has no ${v}`);
      return JSON.stringify(v);
    case "bigint":
      return v.toString();
    case "boolean":
      return v ? "true" : "false";
    case "undefined":
      return undefined;
    case "object": {
      if (v === null) return "null";
      if (seen.has(v)) throw new TypeError("stringifyJson: cyclic value");
      seen.add(v);
      try {
        if (Array.isArray(v)) return "[" + v.map((e) => write(e, seen) ?? "null").join(",") + "]";
        if (v instanceof Uint8Array) throw new TypeError("stringifyJson: bytes have no JSON form; pass them as 0x hex");
        const parts: string[] = [];
        for (const [k, e] of Object.entries(v)) {
          const t = write(e, seen);
          if (t !== undefined) parts.push(JSON.stringify(k) + ":" + t);
        }
        return "{" + parts.join(",") + "}";
      } finally {
        seen.delete(v);
      }
    }
    default:
      throw new TypeError(`JSON has no ${typeof v}`);
  }
}
