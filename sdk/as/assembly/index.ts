// The Ward contract SDK for AssemblyScript: host ABI v1 wrappers, storage,
// objects, events, addresses, and the helpers the transform's generated
// dispatch calls. Methods are functions decorated @method, @view or
// @payable (sdk/as/README.md).
import * as host from "./host";

// --- basics --------------------------------------------------------------

/** Stops the call with status `reverted` and `reason`. */
export function revert(reason: string): void {
  const b = String.UTF8.encode(reason);
  host.revert(changetype<usize>(b), b.byteLength);
}

/** Writes one line to the debug log (shown by `ward run`). */
export function debug(text: string): void {
  const b = String.UTF8.encode(text);
  host.debug_print(changetype<usize>(b), b.byteLength);
}

/** `abort` (a failed assertion, a bad index): reverts with the message and place. */
export function wardAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  let text = "abort";
  if (message) text = message;
  let file = "?";
  if (fileName) file = fileName;
  revert(text + " (" + file + ":" + line.toString() + ":" + column.toString() + ")");
}

/** `trace`: to the debug log. */
export function wardTrace(message: string, n: i32 = 0, a0: f64 = 0, a1: f64 = 0, a2: f64 = 0, a3: f64 = 0, a4: f64 = 0): void {
  let line = message;
  const args: f64[] = [a0, a1, a2, a3, a4];
  for (let i = 0; i < n && i < 5; i++) line += (i == 0 ? " " : ", ") + args[i].toString();
  debug(line);
}

/** `seed` (Math.random): deterministic bytes from the WASI `random_get`. */
export function wardSeed(): f64 {
  const buf = new ArrayBuffer(8);
  host.wasi_random_get(changetype<usize>(buf) as i32, 8);
  return <f64>load<u64>(changetype<usize>(buf));
}

function bytesOf(s: string): ArrayBuffer {
  return String.UTF8.encode(s);
}

/** The call input, UTF-8 JSON text. */
export function input(): string {
  const n = host.input_size();
  if (n == 0) return "";
  const buf = new ArrayBuffer(n);
  host.input_read(changetype<usize>(buf));
  return String.UTF8.decode(buf);
}

const HEX = "0123456789abcdef";

function toHex(b: Uint8Array): string {
  // One ASCII buffer and one decode: no string built a character at a time.
  const out = new Uint8Array(2 + 2 * b.length);
  out[0] = 48;
  out[1] = 120;
  for (let i = 0; i < b.length; i++) {
    const hi = b[i] >> 4, lo = b[i] & 15;
    out[2 + 2 * i] = <u8>(hi < 10 ? 48 + hi : 87 + hi);
    out[3 + 2 * i] = <u8>(lo < 10 ? 48 + lo : 87 + lo);
  }
  return String.UTF8.decodeUnsafe(changetype<usize>(out.buffer), out.length);
}

function hexDigit(c: i32): i32 {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function fromHex(text: string, n: i32): Uint8Array | null {
  if (text.length != 2 + 2 * n || !text.startsWith("0x")) return null;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const hi = hexDigit(text.charCodeAt(2 + 2 * i));
    const lo = hexDigit(text.charCodeAt(3 + 2 * i));
    if (hi < 0 || lo < 0) return null;
    out[i] = <u8>(hi * 16 + lo);
  }
  return out;
}

/** A 20-byte address; JSON "0x" + 40 hex digits. */
export class Address {
  constructor(public bytes: Uint8Array = new Uint8Array(20)) {}
  toHex(): string { return toHex(this.bytes); }
  toString(): string { return this.toHex(); }
  static fromHex(text: string): Address | null {
    const b = fromHex(text, 20);
    return b != null ? new Address(b) : null;
  }
  equals(other: Address): bool {
    for (let i = 0; i < 20; i++) if (this.bytes[i] != other.bytes[i]) return false;
    return true;
  }
}

/** A 32-byte object id; JSON "0x" + 64 hex digits. */
export class ObjectId {
  constructor(public bytes: Uint8Array = new Uint8Array(32)) {}
  toHex(): string { return toHex(this.bytes); }
  toString(): string { return this.toHex(); }
  static fromHex(text: string): ObjectId | null {
    const b = fromHex(text, 32);
    return b != null ? new ObjectId(b) : null;
  }
}

function addressFrom(kind: i32): Address {
  const a = new Address();
  const p = changetype<usize>(a.bytes.buffer) + a.bytes.byteOffset;
  if (kind == 0) host.sender(p);
  else if (kind == 1) host.origin(p);
  else host.self_address(p);
  return a;
}

/** The caller. */
export function sender(): Address { return addressFrom(0); }
/** The account that signed the outermost call. */
export function origin(): Address { return addressFrom(1); }
/** The running contract. */
export function selfAddress(): Address { return addressFrom(2); }
/** Height of the block the call runs in. */
export function blockHeight(): u64 { return <u64>host.block_height(); }
/** Time of that block, seconds since the Unix epoch. */
export function blockTime(): i64 { return host.block_time(); }
/** Native value attached to this call. */
export function callValue(): u64 { return <u64>host.call_value(); }

let readOnlyMethod: string | null = null;

/** Reverts when the running method is a view: "read-only method M cannot WHAT". */
export function checkWritable(what: string): void {
  const m = readOnlyMethod;
  if (m != null) revert("read-only method " + m + " cannot " + what);
}

// --- storage --------------------------------------------------------------

function ptr(b: ArrayBuffer): usize { return changetype<usize>(b); }

/** The contract's own key/value storage; keys and values as bytes. */
export namespace storage {
  /** The value of `key`, or null. */
  export function get(key: string): Uint8Array | null {
    const k = bytesOf(key);
    let buf = new Uint8Array(64);
    let n = host.storage_get(ptr(k), k.byteLength, changetype<usize>(buf.buffer), buf.length);
    if (n < 0) return null;
    if (n > buf.length) {
      buf = new Uint8Array(n);
      host.storage_get(ptr(k), k.byteLength, changetype<usize>(buf.buffer), n);
    }
    return buf.subarray(0, n);
  }
  /** Writes `value` under `key`. */
  export function put(key: string, value: Uint8Array): void {
    checkWritable("write storage");
    const k = bytesOf(key);
    host.storage_put(ptr(k), k.byteLength, changetype<usize>(value.buffer) + value.byteOffset, value.length);
  }
  /** Removes `key`. */
  export function remove(key: string): void {
    checkWritable("write storage");
    const k = bytesOf(key);
    host.storage_delete(ptr(k), k.byteLength);
  }
  /** The u64 at `key` (8 bytes little-endian), 0 when absent. */
  export function getU64(key: string): u64 {
    const v = get(key);
    if (v == null) return 0;
    if (v.length != 8) revert("storage: value is not a u64 (8 bytes)");
    return load<u64>(changetype<usize>(v.buffer) + v.byteOffset);
  }
  /** Writes a u64 as 8 bytes little-endian (the C++ SDK's encoding). */
  export function putU64(key: string, value: u64): void {
    const b = new Uint8Array(8);
    store<u64>(changetype<usize>(b.buffer), value);
    put(key, b);
  }
  /** "PREFIX/0x<hex address>", as the C++ SDK's storage::key. */
  export function key(prefix: string, a: Address): string { return prefix + "/" + a.toHex(); }
}

// --- objects ----------------------------------------------------------------

/** An object of this contract; `id` null: the default object. */
export class Obj {
  constructor(public id: ObjectId | null = null) {}
  static defaultObject(): Obj { return new Obj(null); }
  static at(id: ObjectId): Obj { return new Obj(id); }
  /** Creates an object owned by `owner`. */
  static create(owner: Address): Obj {
    checkWritable("change objects");
    const id = new ObjectId();
    host.object_create(changetype<usize>(owner.bytes.buffer), changetype<usize>(id.bytes.buffer));
    return new Obj(id);
  }
  private idPtr(): usize { return this.id ? changetype<usize>(this.id!.bytes.buffer) : 0; }
  private idLen(): i32 { return this.id ? 32 : 0; }
  /** The field `name`, or null. */
  get(name: string): Uint8Array | null {
    const k = bytesOf(name);
    let buf = new Uint8Array(64);
    let n = host.object_get_field(this.idPtr(), this.idLen(), ptr(k), k.byteLength, changetype<usize>(buf.buffer), buf.length);
    if (n < 0) return null;
    if (n > buf.length) {
      buf = new Uint8Array(n);
      host.object_get_field(this.idPtr(), this.idLen(), ptr(k), k.byteLength, changetype<usize>(buf.buffer), n);
    }
    return buf.subarray(0, n);
  }
  /** Writes the field `name`. */
  set(name: string, value: Uint8Array): void {
    checkWritable("change objects");
    const k = bytesOf(name);
    host.object_set_field(this.idPtr(), this.idLen(), ptr(k), k.byteLength, changetype<usize>(value.buffer) + value.byteOffset, value.length);
  }
  /** The u64 field `name` (8 bytes little-endian), 0 when absent. */
  getU64(name: string): u64 {
    const v = this.get(name);
    if (v == null) return 0;
    if (v.length != 8) revert("object field is not a u64 (8 bytes)");
    return load<u64>(changetype<usize>(v.buffer) + v.byteOffset);
  }
  /** Writes the u64 field `name` as 8 bytes little-endian. */
  setU64(name: string, value: u64): void {
    const b = new Uint8Array(8);
    store<u64>(changetype<usize>(b.buffer), value);
    this.set(name, b);
  }
  /** Writes the address field `name` (20 raw bytes). */
  setAddress(name: string, value: Address): void { this.set(name, value.bytes); }
}

// --- JSON ---------------------------------------------------------------------

function jsonString(s: string): string {
  let plain = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c == 34 || c == 92 || c < 0x20) { plain = false; break; }
  }
  if (plain) return "\"" + s + "\"";
  let out = "\"";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c == 34) out += "\\\"";
    else if (c == 92) out += "\\\\";
    else if (c < 0x20) out += "\\u00" + HEX.charAt(c >> 4) + HEX.charAt(c & 15);
    else out += String.fromCharCode(c);
  }
  return out + "\"";
}

/** Builds a JSON object, fields in the order added: `new Json().address("from", a).u64("amount", n)`. */
export class Json {
  private text: string = "";
  private add(name: string, raw: string): Json {
    this.text += (this.text.length ? "," : "") + jsonString(name) + ":" + raw;
    return this;
  }
  u64(name: string, v: u64): Json { return this.add(name, v.toString()); }
  i64(name: string, v: i64): Json { return this.add(name, v.toString()); }
  bool(name: string, v: bool): Json { return this.add(name, v ? "true" : "false"); }
  str(name: string, v: string): Json { return this.add(name, jsonString(v)); }
  address(name: string, v: Address): Json { return this.add(name, jsonString(v.toHex())); }
  objectId(name: string, v: ObjectId): Json { return this.add(name, jsonString(v.toHex())); }
  raw(name: string, json: string): Json { return this.add(name, json); }
  toString(): string { return "{" + this.text + "}"; }
}

/** Emits the event `name` with JSON `data` (e.g. a Json). */
export function emit(name: string, data: Json): void {
  checkWritable("emit events");
  const n = bytesOf(name);
  const d = bytesOf(data.toString());
  host.log(ptr(n), n.byteLength, ptr(d), d.byteLength);
}

// --- dispatch helpers (called by the generated wrappers) ------------------------

function isSpace(c: i32): bool { return c == 32 || c == 9 || c == 10 || c == 13; }

/** The call's arguments: raw JSON texts by name (object) or position (array). */
export class Input {
  names: string[] = [];
  values: string[] = [];
  isArray: bool = false;

  static read(method: string, params: string[]): Input {
    const r = new Input();
    const text = input();
    let i = 0;
    const n = text.length;
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i == n) return r;
    if (text.startsWith("null", i)) {
      let j = i + 4;
      while (j < n && isSpace(text.charCodeAt(j))) j++;
      if (j == n) return r;
      revert("invalid call input: not valid JSON");
    }
    const open = text.charCodeAt(i);
    if (open != 123 && open != 91) {
      revert("invalid call input: expected a JSON object or array");
    }
    r.isArray = open == 91;
    i++;
    let first = true;
    while (true) {
      while (i < n && isSpace(text.charCodeAt(i))) i++;
      if (i >= n) revert("invalid call input: not valid JSON");
      const c = text.charCodeAt(i);
      if (c == (r.isArray ? 93 : 125)) { i++; break; }
      if (!first) {
        if (c != 44) revert("invalid call input: not valid JSON");
        i++;
        while (i < n && isSpace(text.charCodeAt(i))) i++;
      }
      first = false;
      let name = "";
      if (!r.isArray) {
        const end = skipValue(text, i);
        if (end < 0 || text.charCodeAt(i) != 34) revert("invalid call input: not valid JSON");
        name = unquote(text.substring(i, end));
        i = end;
        while (i < n && isSpace(text.charCodeAt(i))) i++;
        if (i >= n || text.charCodeAt(i) != 58) revert("invalid call input: not valid JSON");
        i++;
        while (i < n && isSpace(text.charCodeAt(i))) i++;
      }
      const end = skipValue(text, i);
      if (end < 0) revert("invalid call input: not valid JSON");
      r.names.push(name);
      r.values.push(text.substring(i, end));
      i = end;
    }
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i != n) revert("invalid call input: not valid JSON");
    if (r.isArray && r.values.length > params.length) {
      revert(method + " takes " + params.length.toString() + " argument" + (params.length == 1 ? "" : "s") +
             ", got " + r.values.length.toString());
    }
    if (!r.isArray) {
      for (let k = 0; k < r.names.length; k++) {
        if (!params.includes(r.names[k])) {
          let msg = "unknown argument '" + r.names[k] + "' of " + method + " (";
          msg += params.length == 0 ? "it takes none" : "takes: " + params.join(", ");
          revert(msg + ")");
        }
      }
    }
    return r;
  }

  /** The raw JSON of argument `name` at `position`; reverts when missing. */
  raw(position: i32, name: string, type: string): string {
    if (this.isArray) {
      if (position < this.values.length) return this.values[position];
    } else {
      for (let k = 0; k < this.names.length; k++) if (this.names[k] == name) return this.values[k];
    }
    revert("argument '" + name + "': missing (expected " + type + ")");
    return "";
  }
}

/** The end of the JSON value starting at `i`, or -1. */
function skipValue(t: string, i: i32): i32 {
  const n = t.length;
  if (i >= n) return -1;
  const c = t.charCodeAt(i);
  if (c == 34) {
    i++;
    while (i < n) {
      const d = t.charCodeAt(i);
      if (d == 92) i += 2;
      else if (d == 34) return i + 1;
      else i++;
    }
    return -1;
  }
  if (c == 123 || c == 91) {
    let depth = 0;
    while (i < n) {
      const d = t.charCodeAt(i);
      if (d == 34) {
        const e = skipValue(t, i);
        if (e < 0) return -1;
        i = e;
        continue;
      }
      if (d == 123 || d == 91) depth++;
      else if (d == 125 || d == 93) {
        depth--;
        if (depth == 0) return i + 1;
      }
      i++;
    }
    return -1;
  }
  let j = i;
  while (j < n) {
    const d = t.charCodeAt(j);
    if (d == 44 || d == 125 || d == 93 || isSpace(d)) break;
    j++;
  }
  return j > i ? j : -1;
}

function unquote(raw: string): string {
  if (raw.indexOf("\\") < 0) return raw.substring(1, raw.length - 1);
  let out = "";
  for (let i = 1; i < raw.length - 1; i++) {
    const c = raw.charCodeAt(i);
    if (c != 92) { out += String.fromCharCode(c); continue; }
    i++;
    const e = raw.charCodeAt(i);
    if (e == 110) out += "\n";
    else if (e == 116) out += "\t";
    else if (e == 114) out += "\r";
    else if (e == 98) out += "\b";
    else if (e == 102) out += "\f";
    else if (e == 117) { out += String.fromCharCode(<i32>parseInt(raw.substr(i + 1, 4), 16)); i += 4; }
    else out += String.fromCharCode(e);
  }
  return out;
}

function bad(name: string, type: string): void {
  revert("argument '" + name + "': expected " + type);
}

function digitsU64(s: string, name: string): u64 {
  if (s.length == 0 || s.length > 20) bad(name, "u64");
  let v: u64 = 0;
  for (let i = 0; i < s.length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) bad(name, "u64");
    const next = v * 10 + <u64>d;
    if ((v > 1844674407370955161) || next < v) bad(name, "u64");
    v = next;
  }
  return v;
}

export function argU64(input: Input, position: i32, name: string): u64 {
  const raw = input.raw(position, name, "u64");
  return digitsU64(raw.charCodeAt(0) == 34 ? unquote(raw) : raw, name);
}

export function argOptU64(input: Input, position: i32, name: string, fallback: u64): u64 {
  if (input.isArray ? position >= input.values.length : !input.names.includes(name)) return fallback;
  const raw = input.raw(position, name, "u64?");
  if (raw == "null") return fallback;
  return digitsU64(raw.charCodeAt(0) == 34 ? unquote(raw) : raw, name);
}

export function argBool(input: Input, position: i32, name: string): bool {
  const raw = input.raw(position, name, "bool");
  if (raw == "true") return true;
  if (raw != "false") bad(name, "bool");
  return false;
}

export function argString(input: Input, position: i32, name: string): string {
  const raw = input.raw(position, name, "string");
  if (raw.charCodeAt(0) != 34) bad(name, "string");
  return unquote(raw);
}

export function argAddress(input: Input, position: i32, name: string): Address {
  const raw = input.raw(position, name, "address");
  const a = raw.charCodeAt(0) == 34 ? Address.fromHex(unquote(raw)) : null;
  if (!a) bad(name, "address");
  return a!;
}

export function argObjectId(input: Input, position: i32, name: string): ObjectId {
  const raw = input.raw(position, name, "object_id");
  const a = raw.charCodeAt(0) == 34 ? ObjectId.fromHex(unquote(raw)) : null;
  if (!a) bad(name, "object_id");
  return a!;
}

function writeResult(json: string): void {
  const b = bytesOf(json);
  host.result_write(ptr(b), b.byteLength);
}

export function resultU64(v: u64): void { writeResult(v.toString()); }
export function resultI64(v: i64): void { writeResult(v.toString()); }
export function resultBool(v: bool): void { writeResult(v ? "true" : "false"); }
export function resultString(v: string): void { writeResult(jsonString(v)); }
export function resultAddress(v: Address | null): void { writeResult(v != null ? jsonString(v.toHex()) : "null"); }
export function resultObjectId(v: ObjectId | null): void { writeResult(v != null ? jsonString(v.toHex()) : "null"); }

/** Reverts when the call carries value, in the C++ SDK's words. */
export function rejectValue(method: string): void {
  const v = <u64>host.call_value();
  if (v != 0) {
    revert("method " + method + " is not payable (call value " + v.toString() + "); only WARD_PAYABLE methods accept value");
  }
}

/** Marks the running method read-only. */
export function beginView(method: string): void { readOnlyMethod = method; }
