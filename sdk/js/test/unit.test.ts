// Offline checks: lossless JSON, the documented state-tree vectors, the ABI codec.
import assert from "node:assert/strict";
import { test } from "node:test";
import { AbiCodec, AbiError, contractAddress, parseJson, stringifyJson, to0x, utf8, verifyProof, checkProof } from "../src/index.js";

test("parseJson keeps u64 values exact and stringifyJson writes bigint as integers", () => {
  const v = parseJson('{"a": 18446744073709551615, "b": 12, "c": -9007199254740993, "d": 1.5, "e": [true, null, "x\\u00e9\\n"]}') as any;
  assert.equal(v.a, 18446744073709551615n);
  assert.equal(v.b, 12);
  assert.equal(v.c, -9007199254740993n);
  assert.equal(v.d, 1.5);
  assert.deepEqual(v.e, [true, null, "xé\n"]);
  assert.equal(stringifyJson({ a: 18446744073709551615n, s: "é\"", u: undefined, l: [1n, null] }), '{"a":18446744073709551615,"s":"é\\"","l":[1,null]}');
  assert.throws(() => parseJson("{\"a\": 1,}"), SyntaxError);
  assert.throws(() => parseJson("[1] x"), /unexpected text/);
  assert.throws(() => parseJson("01"), SyntaxError);
  assert.throws(() => stringifyJson({ n: NaN }), TypeError);
  const proto = parseJson('{"__proto__": {"x": 1}}') as any;
  assert.equal(({} as any).x, undefined);
  assert.deepEqual(Object.keys(proto), ["__proto__"]);
});

// docs/state-tree.md, "Test vectors": {"a": "1", "b": "2", "c": "3"}.
const ROOT = "0x8e2a164a410203f51300d7c6645b7a37f549768457be109acc126c63573a9e0a";
const LEAF_A = "0x565388d4bc00257133f799d9366ac97f6e949c18acc53d17457f8859ba0f08d3";
const LEAF_C = "0x6dc4a0fe4285844b9c64ba063f6a8b808a07eb2e8c124cda2babd55a2a7f3d24";
const H001 = "0x44ebb3d0f7604913f94789f54965210118cb621490e4279a2f512ea8ecf280a4";
const ZERO = "0x" + "00".repeat(32);
const proofB = {
  siblings: [LEAF_A, ZERO, ZERO, LEAF_C],
  leaf: {
    key_hash: "0x3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d",
    value_hash: "0xd4735e3a265e16eee03f59718b9b5d03019c07d8b6c51f90da3a666eec13ab35",
  },
};

test("state proofs: the documented inclusion and exclusion proofs verify", () => {
  assert.ok(verifyProof(ROOT, utf8("b"), utf8("2"), proofB));
  assert.equal(verifyProof(ROOT, utf8("b"), utf8("3"), proofB), false, "wrong value");
  assert.equal(verifyProof(ROOT, utf8("b"), null, proofB), false, "claimed absent while present");
  // e is absent: b's leaf shares e's first 4 bits.
  assert.ok(verifyProof(ROOT, utf8("e"), null, proofB));
  assert.equal(verifyProof(ROOT, utf8("e"), utf8("2"), proofB), false);
  // d is absent: an empty subtree at prefix 000.
  assert.ok(verifyProof(ROOT, utf8("d"), null, { siblings: [LEAF_A, ZERO, H001], leaf: null }));
  assert.equal(verifyProof(ROOT, utf8("a"), null, { siblings: [LEAF_A, ZERO, H001], leaf: null }), false);
  // One altered sibling, another root, or too many siblings: refused.
  assert.equal(verifyProof(ROOT, utf8("b"), utf8("2"), { ...proofB, siblings: [LEAF_C, ZERO, ZERO, LEAF_C] }), false);
  assert.throws(() => checkProof(LEAF_A, utf8("b"), utf8("2"), proofB), /reaches root/);
  assert.equal(verifyProof(ROOT, utf8("b"), utf8("2"), { ...proofB, siblings: new Array(257).fill(ZERO) }), false);
  // The empty state and the state {"a": "1"}.
  assert.ok(verifyProof(ZERO, utf8("x"), null, { siblings: [], leaf: null }));
  assert.ok(
    verifyProof(LEAF_A, utf8("a"), utf8("1"), {
      siblings: [],
      leaf: { key_hash: "0xca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb", value_hash: "0x6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b" },
    }),
  );
});

const tokenAbi = {
  abi_version: 1,
  methods: [
    { name: "Transfer", params: [{ name: "to", type: "address" }, { name: "amount", type: "u64" }], returns: "bool", readonly: false },
    { name: "AccountOf", params: [{ name: "owner", type: "address" }], returns: "object_id?", readonly: true },
    { name: "Deal", params: [{ name: "d", type: "Deal" }, { name: "tags", type: "string[]" }, { name: "memo", type: "bytes?" }], returns: "Deal[]", readonly: false },
  ],
  types: [{ name: "Deal", fields: [{ name: "buyer", type: "address" }, { name: "price", type: "u64" }, { name: "delta", type: "i32" }] }],
};

test("ABI codec: arguments by name and position, range checks, results", () => {
  const c = new AbiCodec(tokenAbi);
  const to = "0x" + "AB".repeat(20);
  assert.deepEqual(c.encodeArgs("Transfer", { to, amount: 5n }), { to: to.toLowerCase(), amount: 5 });
  assert.equal(stringifyJson(c.encodeArgs("Transfer", [to, "18446744073709551615"])), `{"to":"${to.toLowerCase()}","amount":18446744073709551615}`);
  assert.throws(() => c.encodeArgs("Transfer", { to, amount: -1 }), /outside u64/);
  assert.throws(() => c.encodeArgs("Transfer", { to, amount: 1.5 }), /expected u64/);
  assert.throws(() => c.encodeArgs("Transfer", { to: "0x12", amount: 1 }), /argument 'to': expected address/);
  assert.throws(() => c.encodeArgs("Transfer", { to }), /argument 'amount': missing/);
  assert.throws(() => c.encodeArgs("Transfer", { to, amount: 1, memo: "x" }), /unknown argument 'memo' of Transfer/);
  assert.throws(() => c.encodeArgs("Nope", {}), AbiError);
  assert.deepEqual(c.encodeArgs("Deal", { d: { buyer: to, price: 3, delta: -4 }, tags: ["a"], memo: new Uint8Array([1, 255]) }), {
    d: { buyer: to.toLowerCase(), price: 3, delta: -4 },
    tags: ["a"],
    memo: "0x01ff",
  });
  assert.throws(() => c.encodeArgs("Deal", { d: { buyer: to, price: 3, delta: 2 ** 31 }, tags: [] }), /argument 'd.delta': 2147483648 is outside i32/);
  assert.equal(c.decodeResult("AccountOf", null), null);
  assert.equal(c.decodeResult("AccountOf", "0x" + "CD".repeat(32)), "0x" + "cd".repeat(32));
  assert.deepEqual(c.decodeResult("Deal", [{ buyer: to, price: 18446744073709551615n, delta: -1 }]), [
    { buyer: to.toLowerCase(), price: 18446744073709551615n, delta: -1 },
  ]);
  const paying = new AbiCodec({ abi_version: 1, methods: [
    { name: "Pay", params: [], returns: null, readonly: false, payable: true },
    { name: "Keep", params: [], returns: null, readonly: false, payable: false, since: 2 },
    { name: "Old", params: [], returns: null, readonly: false },
  ] });
  paying.checkValue("Pay", 5n);
  paying.checkValue("Old", 5n);
  paying.checkValue("Keep", 0n);
  assert.throws(() => paying.checkValue("Keep", 5n), /method Keep is not payable/);
  assert.throws(() => new AbiCodec({ abi_version: 1, methods: [{ name: "X", params: [{ name: "a", type: "float" }], returns: null, readonly: false }] }), /unknown type "float"/);
});

test("contract address: last 20 bytes of sha256(deployer || u64be(nonce))", () => {
  const a = contractAddress("0x" + "11".repeat(20), 0);
  assert.match(a, /^0x[0-9a-f]{40}$/);
  assert.notEqual(a, contractAddress("0x" + "11".repeat(20), 1));
  assert.equal(to0x(new Uint8Array([1])), "0x01");
});
