// The token of examples/token in AssemblyScript: the same methods, events
// and storage layout. Each holder's balance lives in an account object of
// this contract (fields "holder" and "balance"); the default object keeps
// the total supply; "account/0x<holder>" maps a holder to its account.
//
//   ward build examples/token/as/token.ts -o token-as.wasm
import { Address, Json, Obj, ObjectId, emit, revert, selfAddress, sender, storage } from "../../../sdk/as/assembly/index";

function accountOf(holder: Address): Obj | null {
  const raw = storage.get(storage.key("account", holder));
  if (raw == null || raw.length != 32) return null;
  const id = new ObjectId();
  id.bytes.set<Uint8Array>(raw);
  return Obj.at(id);
}

function openAccount(holder: Address): Obj {
  const account = Obj.create(selfAddress());
  account.setAddress("holder", holder);
  account.setU64("balance", 0);
  const id = account.id!;
  storage.put(storage.key("account", holder), id.bytes);
  emit("AccountCreated", new Json().address("holder", holder).objectId("account", id));
  return account;
}

/** Gives the caller the whole supply. Once only. */
@method
export function Initialize(total_supply: u64): bool {
  const meta = Obj.defaultObject();
  if (meta.get("total_supply") != null) revert("already initialized");
  meta.setU64("total_supply", total_supply);
  const owner = sender();
  let account = accountOf(owner);
  if (account == null) account = openAccount(owner);
  account.setU64("balance", total_supply);
  emit("Initialized", new Json().address("owner", owner).u64("total_supply", total_supply));
  return true;
}

/** Opens an empty account for the caller; returns its object id. */
@method
export function CreateAccount(): ObjectId {
  const holder = sender();
  if (accountOf(holder) != null) revert("account exists");
  return openAccount(holder).id!;
}

/** Moves `amount` tokens from the caller to `to` (whose account is opened when it has none). */
@method
export function Transfer(to: Address, amount: u64): bool {
  const from = sender();
  const fromAccount = accountOf(from);
  const fromBalance: u64 = fromAccount != null ? fromAccount.getU64("balance") : 0;
  if (fromBalance < amount) revert("insufficient balance");
  if (!from.equals(to)) {
    let toAccount = accountOf(to);
    if (toAccount == null) toAccount = openAccount(to);
    fromAccount!.setU64("balance", fromBalance - amount);
    // Cannot overflow: the sum of all balances is the supply, a u64.
    toAccount.setU64("balance", toAccount.getU64("balance") + amount);
  }
  emit("Transfer", new Json().address("from", from).address("to", to).u64("amount", amount));
  return true;
}

/** The holder's balance (0 without an account). */
@view
export function GetBalance(owner: Address): u64 {
  const account = accountOf(owner);
  return account != null ? account.getU64("balance") : 0;
}

/** The id of the holder's account object, or null. */
@view
export function AccountOf(owner: Address): ObjectId | null {
  const account = accountOf(owner);
  return account != null ? account.id : null;
}

/** The supply set by Initialize (0 before). */
@view
export function TotalSupply(): u64 {
  return Obj.defaultObject().getU64("total_supply");
}
