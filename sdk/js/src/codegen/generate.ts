// ward-codegen: an ABI (NAME.abi.json) to a typed TypeScript client class.
import { parseAbi, type Abi, type AbiMethod } from "../abi.js";

export interface GenerateOptions {
  /** The class name, e.g. "TokenClient". */
  className: string;
  /** Where the generated file imports the SDK from (default "@ward/sdk"). */
  importFrom?: string;
  /** The ABI file name, for the header comment. */
  source?: string;
}

const RESERVED = new Set(["contract", "address", "simulate", "constructor", "connect", "at", "deploy", "fromNode", "provider", "wallet"]);
const INTS = new Set(["u8", "u16", "u32", "i8", "i16", "i32"]);

/** A TypeScript identifier for an ABI name (camelCase; "_" suffix on clashes). */
function memberName(name: string, taken: Set<string>): string {
  let n = name.replace(/[^A-Za-z0-9_$]/g, "_");
  if (/^[0-9]/.test(n)) n = "_" + n;
  n = n.charAt(0).toLowerCase() + n.slice(1);
  while (RESERVED.has(n) || taken.has(n)) n += "_";
  taken.add(n);
  return n;
}

function typeName(name: string): string {
  const n = name.replace(/[^A-Za-z0-9_$]/g, "_");
  return /^[0-9]/.test(n) ? "_" + n : n;
}

/** TypeScript type of an ABI type; `input` is the argument side. */
function tsType(t: string, input: boolean): string {
  if (t.endsWith("?")) return `${tsType(t.slice(0, -1), input)} | null`;
  if (t.endsWith("[]")) return `Array<${tsType(t.slice(0, -2), input)}>`;
  if (t === "u64" || t === "i64") return "bigint";
  if (INTS.has(t)) return "number";
  switch (t) {
    case "bool":
      return "boolean";
    case "string":
      return "string";
    case "bytes":
      return input ? "Uint8Array | string" : "string";
    case "address":
      return "Address";
    case "object_id":
      return "ObjectId";
    case "hash":
      return "Hash";
  }
  return typeName(t);
}

function ident(name: string): string {
  const n = name.replace(/[^A-Za-z0-9_$]/g, "_");
  return /^[0-9]/.test(n) || ["default", "class", "function", "new", "delete", "in", "for", "var", "let", "const", "options"].includes(n) ? "_" + n : n;
}

function doc(m: AbiMethod): string {
  const sig = m.raw
    ? `${m.name}(raw JSON)`
    : `${m.name}(${(m.params ?? []).map((p) => `${p.name}: ${p.type}`).join(", ")})${m.returns ? ` -> ${m.returns}` : ""}`;
  const kind = m.readonly ? " [view: ward_call, nothing signed]" : ` [signed transaction${m.payable ? ", payable" : ""}]`;
  return `  /** ${sig}${kind} */\n`;
}

/**
 * The source of a TypeScript module with `export class <className>`: one
 * typed method per ABI method (views resolve with the decoded result, other
 * methods sign and send and resolve with {txHash, receipt, result}), a
 * `simulate` object for dry runs, `at`, `deploy` and the ABI as a constant.
 * @throws AbiError when the ABI is malformed.
 */
export function generateClient(abiInput: Abi | string, options: GenerateOptions): string {
  const abi = parseAbi(abiInput);
  const cls = options.className;
  if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(cls)) throw new TypeError(`class name ${JSON.stringify(cls)} is not a TypeScript identifier`);
  const from = options.importFrom ?? "@ward/sdk";
  const constName = cls.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase() + "_ABI";
  let out = "";
  out += `/** The ABI the client was generated from. */\nexport const ${constName}: Abi = ${JSON.stringify(abi, null, 2)};\n\n`;
  for (const s of abi.types ?? []) {
    out += `export interface ${typeName(s.name)} {\n`;
    for (const f of s.fields) out += `  ${JSON.stringify(f.name)}: ${tsType(f.type, false)};\n`;
    out += `}\n\n`;
  }
  // Argument lists.
  const taken = new Set<string>();
  const members = abi.methods.map((m) => ({ m, name: memberName(m.name, taken) }));
  const params = (m: AbiMethod) => {
    if (m.raw) return { decl: "args: unknown", pass: "args" };
    const ps = m.params ?? [];
    // Optional parameters may be left out only when every later one may be too.
    let lastRequired = -1;
    ps.forEach((p, i) => {
      if (!p.type.endsWith("?")) lastRequired = i;
    });
    const decl = ps.map((p, i) => `${ident(p.name)}${i > lastRequired ? "?" : ""}: ${tsType(p.type, true)}`).join(", ");
    const pass = ps.length ? `{ ${ps.map((p) => `${JSON.stringify(p.name)}: ${ident(p.name)}`).join(", ")} }` : "{}";
    return { decl, pass };
  };
  const result = (m: AbiMethod) => (m.raw ? "unknown" : m.returns ? tsType(m.returns, false) : "void");
  const sep = (decl: string) => (decl ? ", " : "");

  out += `/** Typed client of a contract with this ABI. */\nexport class ${cls} {\n`;
  out += `  readonly contract: Contract;\n\n`;
  out += `  constructor(runner: WardProvider | Wallet, address: string) {\n    this.contract = Contract.at(runner, address, ${constName});\n  }\n\n`;
  out += `  /** The client of the contract at \`address\` (a Wallet can send, a WardProvider only reads). */\n`;
  out += `  static at(runner: WardProvider | Wallet, address: string): ${cls} {\n    return new ${cls}(runner, address);\n  }\n\n`;
  out += `  /** Deploys \`wasm\` with this ABI (options.init / options.args run the init method). */\n`;
  out += `  static async deploy(wallet: Wallet, wasm: Uint8Array, options: Omit<DeployOptions, "abi"> = {}): Promise<DeployResult & { client: ${cls} }> {\n`;
  out += `    const r = await wallet.deploy(wasm, { ...options, abi: ${constName} });\n    return { ...r, client: new ${cls}(wallet, r.address) };\n  }\n\n`;
  out += `  get address(): Address {\n    return this.contract.address;\n  }\n\n`;
  for (const { m, name } of members) {
    const p = params(m);
    const r = result(m);
    out += doc(m);
    if (m.readonly) {
      out += `  ${name}(${p.decl}${sep(p.decl)}options?: ViewOptions): Promise<${r}> {\n`;
      out += `    return this.contract.viewMethod(${JSON.stringify(m.name)}, ${p.pass}, options) as Promise<${r}>;\n  }\n\n`;
    } else {
      out += `  ${name}(${p.decl}${sep(p.decl)}options?: CallOptions): Promise<CallResult<${r}>> {\n`;
      out += `    return this.contract.callMethod(${JSON.stringify(m.name)}, ${p.pass}, options) as Promise<CallResult<${r}>>;\n  }\n\n`;
    }
  }
  out += `  /** Dry runs (ward_simulate) of every method, from the wallet's address. */\n  readonly simulate = {\n`;
  for (const { m, name } of members) {
    const p = params(m);
    const r = result(m);
    out += `    ${name}: (${p.decl}${sep(p.decl)}options?: CallOptions): Promise<SimulateResult<${r}>> =>\n`;
    out += `      this.contract.simulateMethod(${JSON.stringify(m.name)}, ${p.pass}, options) as Promise<SimulateResult<${r}>>,\n`;
  }
  out += `  };\n}\n`;
  const types = ["Abi", "Address", "CallOptions", "CallResult", "DeployOptions", "DeployResult", "Hash", "ObjectId", "SimulateResult", "ViewOptions", "Wallet", "WardProvider"];
  const used = types.filter((t) => new RegExp(`\\b${t}\\b`).test(out));
  let head = `// Generated by ward-codegen${options.source ? ` from ${options.source}` : ""}; do not edit.\n`;
  head += `import {\n  Contract,\n${used.map((t) => `  type ${t},\n`).join("")}} from ${JSON.stringify(from)};\n\n`;
  return head + out;
}
