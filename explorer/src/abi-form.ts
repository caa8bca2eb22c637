// The form of one ABI method: an input per parameter. The texts are read as
// JS values here (a number as its decimal text, JSON for lists and structs)
// and checked and encoded by the SDK's AbiCodec, whose errors name the
// argument.
import { AbiCodec, AbiError, parseJson, type Json } from '@ward/sdk';
import { h } from './dom';
import type { AbiMethod, AbiParam } from './types';

/** A bad argument: `param` names the input, or is null for the whole call. */
export class ArgError extends Error {
  constructor(
    readonly param: string | null,
    message: string,
  ) {
    super(message);
  }
}

const INT = /^([ui])(8|16|32|64)$/;
const HEX_LEN: Record<string, number> = { address: 40, hash: 64, object_id: 64 };
/** The input of a raw method (no typed parameters): its JSON argument. */
export const RAW: AbiParam = { name: 'args', type: 'json' };

function baseOf(type: string): string {
  return type.endsWith('?') ? type.slice(0, -1) : type;
}

/** Lists, structs and raw JSON are typed as JSON text. */
function isJsonTyped(base: string): boolean {
  return !(INT.test(base) || base in HEX_LEN || ['bool', 'string', 'bytes'].includes(base));
}

/** The placeholder shown in an empty input of `type`. */
export function placeholder(type: string): string {
  const base = baseOf(type);
  const opt = type.endsWith('?') ? ' (empty: none)' : '';
  const m = INT.exec(base);
  if (m) return (m[1] === 'u' ? `0 to ${(2n ** BigInt(m[2]) - 1n).toString()}` : 'integer') + opt;
  if (base in HEX_LEN) return `0x + ${HEX_LEN[base]} hex digits` + opt;
  if (base === 'bytes') return '0x hex' + opt;
  if (base === 'string') return 'text' + opt;
  if (base === 'json') return 'JSON';
  if (base.endsWith('[]')) return `JSON array of ${base.slice(0, -2)}` + opt;
  return `JSON object ${base}` + opt;
}

/** "Transfer(to: address, amount: u64) → bool". */
export function signature(m: AbiMethod): string {
  const params = m.raw ? 'JSON' : (m.params ?? []).map((p) => `${p.name}: ${p.type}`).join(', ');
  return `${m.name}(${params})${m.returns && m.returns !== 'void' ? ` → ${m.returns}` : ''}`;
}

/** The parameters the form asks for. */
export function formParams(m: AbiMethod): AbiParam[] {
  return m.raw ? [RAW] : (m.params ?? []);
}

/** One input element for `param`, named after it. */
export function inputFor(method: AbiMethod, param: AbiParam): HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement {
  const id = `arg-${method.name}-${param.name}`;
  const base = baseOf(param.type);
  if (base === 'bool') {
    const opts = param.type.endsWith('?') ? ['', 'true', 'false'] : ['true', 'false'];
    return h('select', { id, name: param.name }, ...opts.map((o) => h('option', { value: o }, o === '' ? '(none)' : o)));
  }
  if (isJsonTyped(base)) return h('textarea', { id, name: param.name, rows: 2, placeholder: placeholder(param.type), spellcheck: 'false' });
  return h('input', { id, name: param.name, type: 'text', placeholder: placeholder(param.type), autocomplete: 'off', spellcheck: 'false' });
}

/** The text of one input as a JS value for AbiCodec; undefined for an empty optional. */
function readField(param: AbiParam, text: string): unknown {
  const optional = param.type.endsWith('?');
  const base = baseOf(param.type);
  if (optional && text.trim() === '') return undefined;
  if (base === 'string') return text;
  if (base === 'bool') return text === 'true' ? true : text === 'false' ? false : text;
  if (!isJsonTyped(base)) return text.trim();
  if (base === 'json' && text.trim() === '') return null;
  try {
    return parseJson(text);
  } catch (e) {
    throw new ArgError(param.name, `argument '${param.name}': not JSON (${(e as Error).message})`);
  }
}

/**
 * The JSON arguments of `method` from the inputs' texts (by parameter, in
 * order), checked and encoded by the SDK.
 * @throws ArgError naming the parameter.
 */
export function readArgs(codec: AbiCodec, method: AbiMethod, texts: string[]): Json {
  const params = formParams(method);
  if (method.raw) return codec.encodeArgs(method.name, readField(RAW, texts[0] ?? ''));
  const args: Record<string, unknown> = {};
  params.forEach((p, i) => {
    const v = readField(p, texts[i] ?? '');
    if (v !== undefined) args[p.name] = v;
  });
  try {
    return codec.encodeArgs(method.name, args);
  } catch (e) {
    if (!(e instanceof AbiError)) throw e;
    const m = /^argument '([^'.[\]]+)/.exec(e.message);
    throw new ArgError(m ? m[1] : null, e.message);
  }
}
