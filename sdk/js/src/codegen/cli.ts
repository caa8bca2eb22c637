#!/usr/bin/env node
// ward-codegen ABI.json [-o OUT.ts] [--name CLASS] [--import MODULE]
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { generateClient } from "./generate.js";

const USAGE = `usage: ward-codegen ABI.json [-o OUT.ts] [--name CLASS] [--import MODULE]
  Writes a typed TypeScript client of the contract ABI (as \`ward build\` writes it).
  -o, --out FILE     output file (default: stdout)
  --name CLASS       class name (default: from the file name, token.abi.json -> TokenClient)
  --import MODULE    module the client imports the SDK from (default: @ward/sdk)`;

function main(argv: string[]): number {
  let input: string | undefined;
  let out: string | undefined;
  let name: string | undefined;
  let importFrom: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "-h" || a === "--help") {
      console.log(USAGE);
      return 0;
    } else if (a === "-o" || a === "--out") out = value();
    else if (a === "--name") name = value();
    else if (a === "--import") importFrom = value();
    else if (a.startsWith("-")) throw new Error(`unknown option ${a}`);
    else if (input === undefined) input = a;
    else throw new Error(`unexpected argument ${a}`);
  }
  if (input === undefined) throw new Error("missing ABI.json");
  let text: string;
  try {
    text = readFileSync(input, "utf8");
  } catch (e) {
    throw new Error(`cannot read ${input}: ${(e as Error).message}`);
  }
  const base = basename(input).replace(/\.abi\.json$|\.json$/, "");
  const className = name ?? base.replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_m, _s, c: string) => c.toUpperCase()) + "Client";
  const src = generateClient(text, { className, importFrom, source: basename(input) });
  if (out) writeFileSync(out, src);
  else process.stdout.write(src);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  console.error(`ward-codegen: error: ${(e as Error).message}`);
  console.error(USAGE.split("\n")[0]);
  process.exitCode = 2;
}
