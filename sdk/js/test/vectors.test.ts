// The shared transaction vectors (tests/vectors/tx-v1.json), byte for byte.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import {
  Ed25519Signer,
  addressOf,
  decodeSigned,
  decodeTransaction,
  encodeTransaction,
  fromHex,
  signTransaction,
  signingDigest,
  toHex,
  verifyEd25519,
  verifyTransaction,
  type Action,
  type Address,
  type Transaction,
} from "../src/index.js";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
const file = JSON.parse(readFileSync(`${root}tests/vectors/tx-v1.json`, "utf8"));

type Fields = Record<string, any>;

function txFromFields(f: Fields): Transaction {
  const a = f.action;
  let action: Action;
  switch (a.type) {
    case "transfer":
      action = { type: "transfer", to: a.to as Address, amount: BigInt(a.amount) };
      break;
    case "deploy":
      action = {
        type: "deploy",
        code: fromHex(a.code),
        initMethod: a.init_method,
        initArgs: a.init_args,
        value: BigInt(a.value),
        immutable: a.immutable,
        floatPolicy: a.float_policy,
        abi: a.abi,
      };
      break;
    case "call":
      action = { type: "call", contract: a.contract as Address, method: a.method, args: a.args, value: BigInt(a.value) };
      break;
    case "upgrade":
      action = { type: "upgrade", contract: a.contract, code: fromHex(a.code), migrateMethod: a.migrate_method, migrateArgs: a.migrate_args };
      break;
    case "destroy":
      action = { type: "destroy", contract: a.contract, beneficiary: a.beneficiary };
      break;
    default:
      throw new Error(`unknown action ${a.type}`);
  }
  return {
    version: f.version,
    chainId: f.chain_id,
    signer: fromHex(f.signer),
    nonce: BigInt(f.nonce),
    expiryHeight: BigInt(f.expiry_height),
    gasLimit: BigInt(f.gas_limit),
    gasPrice: BigInt(f.gas_price),
    action,
  };
}

function fieldsOf(tx: Transaction): Fields {
  const a = tx.action;
  const s = (v: bigint) => v.toString();
  let action: Fields;
  switch (a.type) {
    case "transfer":
      action = { type: "transfer", to: a.to, amount: s(a.amount) };
      break;
    case "deploy":
      action = {
        type: "deploy",
        code: toHex(a.code),
        init_method: a.initMethod,
        init_args: a.initArgs,
        value: s(a.value),
        immutable: a.immutable,
        float_policy: a.floatPolicy,
        abi: a.abi,
      };
      break;
    case "call":
      action = { type: "call", contract: a.contract, method: a.method, args: a.args, value: s(a.value) };
      break;
    case "upgrade":
      action = { type: "upgrade", contract: a.contract, code: toHex(a.code), migrate_method: a.migrateMethod, migrate_args: a.migrateArgs };
      break;
    case "destroy":
      action = { type: "destroy", contract: a.contract, beneficiary: a.beneficiary };
      break;
  }
  return {
    version: tx.version,
    chain_id: tx.chainId,
    signer: toHex(tx.signer),
    nonce: s(tx.nonce),
    expiry_height: s(tx.expiryHeight),
    gas_limit: s(tx.gasLimit),
    gas_price: s(tx.gasPrice),
    action,
  };
}

test("the vectors file has valid and invalid cases", () => {
  assert.ok(file.valid.length >= 10);
  assert.ok(file.invalid.length >= 10);
});

for (const v of file.valid) {
  test(`valid vector ${v.name}`, async () => {
    const signer = Ed25519Signer.fromSeed(v.seed);
    assert.equal(toHex(signer.publicKey), v.public_key);
    assert.equal(signer.address, v.address);
    assert.equal(addressOf(signer.publicKey), v.address);

    const tx = txFromFields(v.fields);
    const bytes = encodeTransaction(tx);
    assert.equal(toHex(bytes), v.tx_hex, "encoding");
    assert.equal(toHex(signingDigest(tx.chainId, bytes)), v.signing_digest, "signing digest");

    const stx = await signTransaction(tx, signer);
    assert.equal(toHex(stx.txBytes), v.tx_hex);
    assert.equal(stx.hash, "0x" + v.hash, "hash");
    assert.equal(toHex(stx.signature), v.signature, "signature");
    assert.equal(toHex(stx.signedBytes), v.signed_hex, "signed bytes");
    assert.ok(verifyEd25519(stx.signature, signingDigest(tx.chainId, bytes), signer.publicKey));

    // Decoding gives back the fields, and re-encoding the bytes.
    const decoded = decodeTransaction(fromHex(v.tx_hex));
    assert.deepEqual(fieldsOf(decoded), v.fields);
    assert.equal(toHex(encodeTransaction(decoded)), v.tx_hex);
    const signed = decodeSigned(fromHex(v.signed_hex));
    assert.deepEqual(fieldsOf(signed.tx), v.fields);
    assert.equal(signed.hash, "0x" + v.hash);
    assert.equal(toHex(signed.signature), v.signature);
    assert.ok(verifyTransaction(signed), "signature verifies");

    // One flipped signature bit, or another chain id in the digest, fails.
    const bad = signed.signature.slice();
    bad[0]! ^= 1;
    assert.equal(verifyTransaction({ ...signed, signature: bad }), false);
    assert.equal(verifyEd25519(signed.signature, signingDigest(tx.chainId + "x", bytes), signer.publicKey), false);
  });
}

for (const v of file.invalid) {
  test(`invalid vector ${v.name}`, () => {
    const decode = v.decoder === "signed" ? decodeSigned : decodeTransaction;
    assert.throws(
      () => decode(fromHex(v.hex)),
      (e: Error) => {
        assert.ok(e.message.includes(v.error), `message ${JSON.stringify(e.message)} should contain ${JSON.stringify(v.error)}`);
        return true;
      },
    );
  });
}

test("ed25519 verification is strict (zip215: false): a non-canonical S is refused", () => {
  const signer = Ed25519Signer.fromSeed("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  const msg = new Uint8Array(32);
  const sig = signer.sign(msg);
  assert.ok(verifyEd25519(sig, msg, signer.publicKey));
  // S + L (the group order) is the same scalar mod L but not canonical: libsodium refuses it.
  const L = (1n << 252n) + 27742317777372353535851937790883648493n;
  let s = 0n;
  for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(sig[32 + i]!);
  const s2 = s + L;
  const mall = sig.slice();
  let t = s2;
  for (let i = 0; i < 32; i++) {
    mall[32 + i] = Number(t & 0xffn);
    t >>= 8n;
  }
  if (t === 0n) assert.equal(verifyEd25519(mall, msg, signer.publicKey), false);
});

test("encoding refuses values outside their types", () => {
  const base = txFromFields(file.valid[0].fields);
  assert.throws(() => encodeTransaction({ ...base, nonce: 1n << 64n }), /u64 out of range/);
  assert.throws(() => encodeTransaction({ ...base, signer: new Uint8Array(31) }), /signer: expected 32 bytes/);
  assert.throws(() => encodeTransaction({ ...base, action: { type: "transfer", to: "0x12" as Address, amount: 1n } }), /transfer.to/);
  assert.throws(() => encodeTransaction({ ...base, chainId: "\ud800" }), /lone surrogate/);
});
