// The asc transform of the Ward AssemblyScript SDK. After parsing, it finds
// the entry file's functions decorated @method, @view or @payable, renames
// each to __ward_impl_NAME (no longer exported), and appends a `() -> ()`
// export NAME that decodes the JSON arguments, calls it and writes the
// result; it writes the methods' ABI (the schema of `ward build`'s ABI file)
// as JSON lines to the file named by WARD_AS_ABI_OUT.
import { Transform } from "assemblyscript/transform";
import * as as from "assemblyscript";
import { writeFileSync } from "node:fs";
import * as path from "node:path";

const MARKS = new Set(["method", "view", "payable"]);

// AssemblyScript type -> [ABI type, argument decoder, result writer]
const TYPES = {
  u64: ["u64", "argU64", "resultU64"],
  bool: ["bool", "argBool", "resultBool"],
  string: ["string", "argString", "resultString"],
  Address: ["address", "argAddress", "resultAddress"],
  ObjectId: ["object_id", "argObjectId", "resultObjectId"],
  "ObjectId | null": ["object_id?", null, "resultObjectId"],
  "Address | null": ["address?", null, "resultAddress"],
  i64: ["i64", null, "resultI64"],
};

function lineOf(text, pos) {
  let line = 1;
  for (let i = 0; i < pos && i < text.length; i++) if (text.charCodeAt(i) == 10) line++;
  return line;
}

function fail(where, message) {
  process.stderr.write(`${where}: ${message}\n`);
  process.exit(1);
}

export default class WardTransform extends Transform {
  afterParse(parser) {
    const entries = parser.sources.filter((s) => s.sourceKind == as.SourceKind.UserEntry && !s.normalizedPath.startsWith("~lib"));
    const sdk = parser.sources.find((s) => s.normalizedPath.endsWith("sdk/as/assembly/index.ts"));
    const abi = [];
    for (const s of entries) {
      let text = s.text;
      const edits = [];
      let wrappers = "";
      for (const st of s.statements) {
        if (st.kind != as.NodeKind.FunctionDeclaration || !st.decorators) continue;
        const marks = st.decorators.map((d) => d.name.text).filter((n) => MARKS.has(n));
        if (!marks.length) continue;
        const name = st.name.text;
        const where = `${s.normalizedPath}:${lineOf(text, st.range.start)}`;
        if (!sdk) fail(where, "a contract imports the Ward SDK (sdk/as/assembly/index.ts)");
        const view = marks.includes("view"), payable = marks.includes("payable");
        if (view && payable) fail(where, `method ${name}: a view cannot be payable`);
        const params = [];
        const decls = [];
        st.signature.parameters.forEach((p, i) => {
          const pname = p.name.text;
          const ptype = p.type.range.toString();
          const t = TYPES[ptype];
          if (!t || !t[1]) fail(where, `method ${name}: parameter ${pname} has type ${ptype}, which a method cannot take (u64, bool, string, Address, ObjectId)`);
          if (p.initializer) {
            if (ptype != "u64") fail(where, `method ${name}: only a u64 parameter may have a default`);
            params.push({ name: pname, type: "u64?" });
            decls.push(`const a${i} = __ward.argOptU64(__in, ${i}, "${pname}", ${p.initializer.range.toString()});`);
          } else {
            params.push({ name: pname, type: t[0] });
            decls.push(`const a${i} = __ward.${t[1]}(__in, ${i}, "${pname}");`);
          }
        });
        const rtype = st.signature.returnType.range.toString();
        let returns = null, finish = "";
        if (rtype != "void") {
          const t = TYPES[rtype];
          if (!t) fail(where, `method ${name}: result type ${rtype} is not supported (void, u64, i64, bool, string, Address, ObjectId, ObjectId | null)`);
          returns = t[0];
          finish = `__ward.${t[2]}(r);`;
        }
        for (const d of st.decorators) edits.push([d.range.start, d.range.end, ""]);
        const head = text.slice(st.range.start, st.name.range.start);
        const e = head.indexOf("export");
        if (e >= 0) edits.push([st.range.start + e, st.range.start + e + 6, ""]);
        edits.push([st.name.range.start, st.name.range.end, `__ward_impl_${name}`]);
        const call = `__ward_impl_${name}(${params.map((_, i) => "a" + i).join(", ")})`;
        wrappers += `export function ${name}(): void {\n` +
          (payable ? "" : `  __ward.rejectValue("${name}");\n`) +
          (view ? `  __ward.beginView("${name}");\n` : "") +
          `  const __in = __ward.Input.read("${name}", [${params.map((p) => JSON.stringify(p.name)).join(", ")}]);\n` +
          decls.map((d) => "  " + d + "\n").join("") +
          (finish ? `  const r = ${call};\n  ${finish}\n` : `  ${call};\n`) + "}\n";
        abi.push({ name, params, returns, readonly: view, payable });
      }
      if (!wrappers) continue;
      edits.sort((a, b) => b[0] - a[0]);
      for (const [a, b, r] of edits) text = text.slice(0, a) + r + text.slice(b);
      // Import the SDK as the contract does; else by its path from here.
      const own = s.statements.find((st) => st.kind == as.NodeKind.Import && st.path &&
        /sdk\/as\/assembly(\/index)?(\.ts)?$/.test(st.path.value));
      let rel = own ? own.path.value :
        path.posix.relative(path.posix.dirname(s.normalizedPath), sdk.normalizedPath.replace(/\.ts$/, ""));
      if (!rel.startsWith(".")) rel = "./" + rel;
      text += `\n// Generated by the Ward transform.\nimport * as __ward from "${rel}";\n` + wrappers;
      parser.sources.splice(parser.sources.indexOf(s), 1);
      parser.donelog.delete(s.internalPath);
      parser.parseFile(text, s.normalizedPath, true);
    }
    if (!abi.length) {
      fail(entries.length ? entries[0].normalizedPath : "contract", "the contract has no methods: decorate functions with @method, @view or @payable");
    }
    const out = process.env.WARD_AS_ABI_OUT;
    if (out) writeFileSync(out, abi.map((m) => JSON.stringify(m)).join("\n") + "\n");
  }
}
