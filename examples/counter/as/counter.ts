// The counter of examples/counter in AssemblyScript: Increment, Get, Reset.
//
//   ward build examples/counter/as/counter.ts -o counter-as.wasm
import { revert, storage } from "../../../sdk/as/assembly/index";

const KEY = "count";

/** Adds `by` (1 when omitted) and returns the new count. */
@method
export function Increment(by: u64 = 1): u64 {
  const count = storage.getU64(KEY);
  if (count + by < count) revert("counter overflow");
  storage.putU64(KEY, count + by);
  return count + by;
}

/** The count. */
@view
export function Get(): u64 {
  return storage.getU64(KEY);
}

/** Sets the count back to 0. */
@method
export function Reset(): void {
  storage.remove(KEY);
}
