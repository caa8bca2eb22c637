// Contract ABIs as `ward build` writes them (NAME.abi.json, sdk/cpp/README.md):
// argument encoding to the JSON a contract reads, result decoding to JS
// values (u64/i64 as bigint, address/hash/object_id as branded strings).
import { fromHex, to0x } from "./bytes.js";
import { AbiError } from "./errors.js";
import { parseJson, type Json } from "./json.js";

export interface AbiParam {
  name: string;
  type: string;
}
export interface AbiMethod {
  name: string;
  params?: AbiParam[];
  /** null for a method without result. */
  returns?: string | null;
  readonly: boolean;
  /** A method that takes and returns raw JSON (no typed parameters). */
  raw?: boolean;
  /** Whether a call may carry native value (absent in ABIs written before the flag existed). */
  payable?: boolean;
  /** Members a newer `ward build` may add. */
  [extra: string]: unknown;
}
export interface AbiStruct {
  name: string;
  fields: AbiParam[];
}
export interface Abi {
  abi_version: number;
  methods: AbiMethod[];
  types?: AbiStruct[];
}

const INT_RANGES: Record<string, [bigint, bigint]> = {
  u8: [0n, 255n],
  u16: [0n, 65535n],
  u32: [0n, 4294967295n],
  u64: [0n, 18446744073709551615n],
  i8: [-128n, 127n],
  i16: [-32768n, 32767n],
  i32: [-2147483648n, 2147483647n],
  i64: [-9223372036854775808n, 9223372036854775807n],
};
const SCALARS = new Set(["bool", "string", "bytes", "address", "object_id", "hash", ...Object.keys(INT_RANGES)]);

/**
 * Reads and checks an ABI (object or JSON text): every type it names must be
 * a scalar, `T[]`, `T?` or one of its structs.
 * @throws AbiError naming the method and type.
 */
export function parseAbi(abi: Abi | string): Abi {
  const a = (typeof abi === "string" ? parseJson(abi) : abi) as unknown as Abi;
  if (!a || typeof a !== "object" || !Array.isArray(a.methods)) throw new AbiError("ABI: expected an object with a \"methods\" array");
  const structs = new Set((a.types ?? []).map((t) => t.name));
  const check = (type: string, where: string) => {
    let t = type;
    if (t.endsWith("?")) t = t.slice(0, -1);
    while (t.endsWith("[]")) t = t.slice(0, -2);
    if (!SCALARS.has(t) && !structs.has(t)) throw new AbiError(`ABI: ${where}: unknown type ${JSON.stringify(type)}`);
  };
  for (const m of a.methods) {
    if (typeof m.name !== "string") throw new AbiError("ABI: a method without a name");
    if (m.raw) continue;
    for (const p of m.params ?? []) check(p.type, `method ${m.name}, parameter ${p.name}`);
    if (m.returns !== null && m.returns !== undefined) check(m.returns, `method ${m.name}, result`);
  }
  for (const s of a.types ?? []) for (const f of s.fields) check(f.type, `struct ${s.name}, field ${f.name}`);
  return a;
}

export class AbiCodec {
  readonly abi: Abi;
  readonly #methods = new Map<string, AbiMethod>();
  readonly #structs = new Map<string, AbiStruct>();

  constructor(abi: Abi | string) {
    this.abi = parseAbi(abi);
    for (const m of this.abi.methods) this.#methods.set(m.name, m);
    for (const s of this.abi.types ?? []) this.#structs.set(s.name, s);
  }

  method(name: string): AbiMethod {
    const m = this.#methods.get(name);
    if (!m) throw new AbiError(`unknown method ${JSON.stringify(name)}; the ABI has: ${[...this.#methods.keys()].join(", ")}`);
    return m;
  }

  /**
   * Refuses native value for a method the ABI marks `"payable": false`.
   * @throws AbiError
   */
  checkValue(method: string, value: bigint): void {
    const m = this.method(method);
    if (value > 0n && m.payable === false) {
      throw new AbiError(`method ${m.name} is not payable (the call carries value ${value})`);
    }
  }

  /**
   * The call input of `method` as a JSON value: an object by parameter name.
   * `args` is an object by name or an array by position (or the raw JSON for raw methods).
   * @throws AbiError naming the argument.
   */
  encodeArgs(method: string, args: unknown): Json {
    const m = this.method(method);
    if (m.raw) return (args ?? null) as Json;
    const params = m.params ?? [];
    const out: { [k: string]: Json } = {};
    if (Array.isArray(args)) {
      if (args.length > params.length) throw new AbiError(`${m.name} takes ${params.length} arguments, got ${args.length}`);
      params.forEach((p, i) => {
        const v = this.encode(p.type, args[i], p.name);
        if (v !== undefined) out[p.name] = v;
      });
      return out;
    }
    const obj = (args ?? {}) as Record<string, unknown>;
    if (typeof obj !== "object") throw new AbiError(`${m.name}: arguments must be an object by name or an array by position`);
    for (const k of Object.keys(obj)) {
      if (!params.some((p) => p.name === k)) {
        throw new AbiError(`unknown argument '${k}' of ${m.name} (takes: ${params.map((p) => p.name).join(", ") || "nothing"})`);
      }
    }
    for (const p of params) {
      const v = this.encode(p.type, obj[p.name], p.name);
      if (v !== undefined) out[p.name] = v;
    }
    return out;
  }

  /** Encodes one value of an ABI type; undefined for an absent optional. */
  encode(type: string, v: unknown, path: string): Json | undefined {
    if (type.endsWith("?")) {
      if (v === undefined || v === null) return undefined;
      return this.encode(type.slice(0, -1), v, path);
    }
    if (v === undefined) throw new AbiError(`argument '${path}': missing (expected ${type})`);
    if (type.endsWith("[]")) {
      if (!Array.isArray(v)) throw new AbiError(`argument '${path}': expected ${type} (an array), got ${describe(v)}`);
      const inner = type.slice(0, -2);
      return v.map((e, i) => this.encode(inner, e, `${path}[${i}]`) ?? null);
    }
    const range = INT_RANGES[type];
    if (range) {
      let b: bigint;
      if (typeof v === "bigint") b = v;
      else if (typeof v === "number" && Number.isSafeInteger(v)) b = BigInt(v);
      else if (typeof v === "string" && /^-?[0-9]+$/.test(v)) b = BigInt(v);
      else throw new AbiError(`argument '${path}': expected ${type}, got ${describe(v)}`);
      if (b < range[0] || b > range[1]) throw new AbiError(`argument '${path}': ${b} is outside ${type} (${range[0]} to ${range[1]})`);
      return Number.isSafeInteger(Number(b)) ? Number(b) : b;
    }
    switch (type) {
      case "bool":
        if (typeof v !== "boolean") throw new AbiError(`argument '${path}': expected bool, got ${describe(v)}`);
        return v;
      case "string":
        if (typeof v !== "string") throw new AbiError(`argument '${path}': expected string, got ${describe(v)}`);
        return v;
      case "bytes":
        if (v instanceof Uint8Array) return to0x(v);
        if (typeof v === "string") {
          try {
            return to0x(fromHex(v));
          } catch (e) {
            throw new AbiError(`argument '${path}': expected bytes (0x hex or Uint8Array): ${(e as Error).message}`);
          }
        }
        throw new AbiError(`argument '${path}': expected bytes (0x hex or Uint8Array), got ${describe(v)}`);
      case "address":
        if (typeof v !== "string" || !/^0[xX][0-9a-fA-F]{40}$/.test(v)) {
          throw new AbiError(`argument '${path}': expected address (0x + 40 hex digits), got ${describe(v)}`);
        }
        return v.toLowerCase();
      case "object_id":
      case "hash":
        if (typeof v !== "string" || !/^0[xX][0-9a-fA-F]{64}$/.test(v)) {
          throw new AbiError(`argument '${path}': expected ${type} (0x + 64 hex digits), got ${describe(v)}`);
        }
        return v.toLowerCase();
    }
    const s = this.#structs.get(type);
    if (!s) throw new AbiError(`argument '${path}': unknown type ${type}`);
    if (!v || typeof v !== "object" || Array.isArray(v)) throw new AbiError(`argument '${path}': expected ${type} (an object), got ${describe(v)}`);
    const obj = v as Record<string, unknown>;
    for (const k of Object.keys(obj)) {
      if (!s.fields.some((f) => f.name === k)) throw new AbiError(`argument '${path}': ${type} has no field '${k}'`);
    }
    const out: { [k: string]: Json } = {};
    for (const f of s.fields) {
      const e = this.encode(f.type, obj[f.name], `${path}.${f.name}`);
      if (e !== undefined) out[f.name] = e;
    }
    return out;
  }

  /** Decodes the result of `method` (u64/i64 as bigint, smaller integers as number). @throws AbiError */
  decodeResult(method: string, result: Json): unknown {
    const m = this.method(method);
    if (m.raw) return result;
    if (m.returns === null || m.returns === undefined) return undefined;
    return this.decode(m.returns, result, "result");
  }

  decode(type: string, v: Json, path: string): unknown {
    if (type.endsWith("?")) {
      if (v === null || v === undefined) return null;
      return this.decode(type.slice(0, -1), v, path);
    }
    if (type.endsWith("[]")) {
      if (!Array.isArray(v)) throw new AbiError(`${path}: expected ${type}, got ${describe(v)}`);
      return v.map((e, i) => this.decode(type.slice(0, -2), e, `${path}[${i}]`));
    }
    const range = INT_RANGES[type];
    if (range) {
      let b: bigint;
      if (typeof v === "bigint") b = v;
      else if (typeof v === "number" && Number.isInteger(v)) b = BigInt(v);
      else if (typeof v === "string" && /^-?[0-9]+$/.test(v)) b = BigInt(v);
      else throw new AbiError(`${path}: expected ${type}, got ${describe(v)}`);
      if (b < range[0] || b > range[1]) throw new AbiError(`${path}: ${b} is outside ${type}`);
      return type === "u64" || type === "i64" ? b : Number(b);
    }
    switch (type) {
      case "bool":
        if (typeof v !== "boolean") throw new AbiError(`${path}: expected bool, got ${describe(v)}`);
        return v;
      case "string":
      case "bytes":
        if (typeof v !== "string") throw new AbiError(`${path}: expected ${type}, got ${describe(v)}`);
        return v;
      case "address":
        if (typeof v !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(v)) throw new AbiError(`${path}: expected address, got ${describe(v)}`);
        return v.toLowerCase();
      case "object_id":
      case "hash":
        if (typeof v !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(v)) throw new AbiError(`${path}: expected ${type}, got ${describe(v)}`);
        return v.toLowerCase();
    }
    const s = this.#structs.get(type);
    if (!s) throw new AbiError(`${path}: unknown type ${type}`);
    if (!v || typeof v !== "object" || Array.isArray(v)) throw new AbiError(`${path}: expected ${type} (an object), got ${describe(v)}`);
    const obj = v as { [k: string]: Json };
    const out: Record<string, unknown> = {};
    for (const f of s.fields) out[f.name] = this.decode(f.type, obj[f.name] ?? null, `${path}.${f.name}`);
    return out;
  }
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return `string ${JSON.stringify(v.length > 60 ? v.slice(0, 60) + "…" : v)}`;
  if (typeof v === "number" || typeof v === "bigint") return `${typeof v} ${v}`;
  return typeof v;
}
