//! The Ward contract SDK for Rust.
//!
//! A contract is a `cdylib` crate for `wasm32-unknown-unknown` whose methods
//! live in a module marked `#[ward::contract]`:
//!
//! ```ignore
//! #[ward::contract]
//! mod counter {
//!     #[ward::export]
//!     pub fn Increment(by: u64) -> Result<u64, String> {
//!         let n = ward::storage::get_u64("count").checked_add(by).ok_or("counter overflow")?;
//!         ward::storage::put_u64("count", n);
//!         Ok(n)
//!     }
//! }
//! ```
//!
//! `ward build Cargo.toml` compiles it, reads the ABI the macros wrote and
//! checks the module. The raw host functions are in [`host`] (generated from
//! the host ABI table).
pub mod host;

use std::cell::Cell;
use std::fmt;

pub use serde;
pub use serde_json;
pub use ward_macros::{contract, export, payable, view};

use host::ward_v1 as h;

/// Stops the call with status `reverted` and `reason`; never returns.
pub fn revert(reason: &str) -> ! {
    unsafe { h::revert(reason.as_ptr(), reason.len() as i32) }
}

/// Writes one line to the debug log (shown by `ward run`).
pub fn debug(text: &str) {
    unsafe { h::debug_print(text.as_ptr(), text.len() as i32) }
}

/// The call input: UTF-8 JSON bytes.
pub fn input() -> Vec<u8> {
    let n = unsafe { h::input_size() } as usize;
    let mut buf = vec![0u8; n];
    if n > 0 {
        unsafe { h::input_read(buf.as_mut_ptr()) };
    }
    buf
}

/// Emits the event `name` with `data` serialised as JSON (struct fields keep
/// their declaration order).
pub fn emit<T: serde::Serialize + ?Sized>(name: &str, data: &T) {
    check_writable("emit events");
    let text = serde_json::to_string(data).unwrap_or_else(|e| revert(&format!("event {}: {}", name, e)));
    unsafe { h::log(name.as_ptr(), name.len() as i32, text.as_ptr(), text.len() as i32) }
}

macro_rules! hex_bytes {
    ($name:ident, $n:expr, $doc:expr, $expect:expr) => {
        #[doc = $doc]
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        pub struct $name(pub [u8; $n]);

        impl $name {
            /// "0x" followed by the bytes in lowercase hex.
            pub fn to_hex(&self) -> String {
                const D: &[u8; 16] = b"0123456789abcdef";
                let mut s = String::with_capacity(2 + 2 * $n);
                s.push_str("0x");
                for b in self.0.iter() {
                    s.push(D[(b >> 4) as usize] as char);
                    s.push(D[(b & 15) as usize] as char);
                }
                s
            }
            /// Parses "0x" + hex digits (either case); `None` on any other text.
            pub fn from_hex(text: &str) -> Option<Self> {
                let t = text.strip_prefix("0x")?.as_bytes();
                if t.len() != 2 * $n {
                    return None;
                }
                let mut out = [0u8; $n];
                for i in 0..$n {
                    let hi = (t[2 * i] as char).to_digit(16)?;
                    let lo = (t[2 * i + 1] as char).to_digit(16)?;
                    out[i] = (hi * 16 + lo) as u8;
                }
                Some($name(out))
            }
            /// The raw bytes.
            pub fn as_bytes(&self) -> &[u8] {
                &self.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.to_hex())
            }
        }
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.to_hex())
            }
        }
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.to_hex())
            }
        }
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                $name::from_hex(&s).ok_or_else(|| {
                    serde::de::Error::custom(concat!("expected ", $expect))
                })
            }
        }
    };
}

hex_bytes!(Address, 20, "A 20-byte account or contract address; JSON: \"0x\" + 40 hex digits.", "an address: \"0x\" + 40 hex digits");
hex_bytes!(ObjectId, 32, "The 32-byte id of an object; JSON: \"0x\" + 64 hex digits.", "an object id: \"0x\" + 64 hex digits");
hex_bytes!(Hash, 32, "A 32-byte digest (sha256, keccak256); JSON: \"0x\" + 64 hex digits.", "a hash: \"0x\" + 64 hex digits");

fn address_from(f: unsafe extern "C" fn(*mut u8)) -> Address {
    let mut a = Address::default();
    unsafe { f(a.0.as_mut_ptr()) };
    a
}

/// The caller: the account or contract that called this method.
pub fn sender() -> Address {
    address_from(h::sender)
}

/// The account that signed the outermost call.
pub fn origin() -> Address {
    address_from(h::origin)
}

/// The running contract's address.
pub fn self_address() -> Address {
    address_from(h::self_address)
}

/// Height of the block the call runs in.
pub fn block_height() -> u64 {
    unsafe { h::block_height() as u64 }
}

/// Time of that block, seconds since the Unix epoch.
pub fn block_time() -> i64 {
    unsafe { h::block_time() }
}

/// Native value attached to this call.
pub fn call_value() -> u64 {
    unsafe { h::call_value() as u64 }
}

/// Gas remaining.
pub fn gas_left() -> u64 {
    unsafe { h::gas_left() as u64 }
}

/// Native balance of `addr`.
pub fn balance(addr: &Address) -> u64 {
    unsafe { h::balance(addr.0.as_ptr()) as u64 }
}

/// Moves `amount` from this contract to `to`; false when the balance is short.
pub fn transfer(to: &Address, amount: u64) -> bool {
    check_writable("transfer value");
    unsafe { h::transfer(to.0.as_ptr(), amount as i64) == 0 }
}

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> Hash {
    let mut out = Hash::default();
    unsafe { h::sha256(data.as_ptr(), data.len() as i32, out.0.as_mut_ptr()) };
    out
}

/// Keccak-256 of `data` (Ethereum's padding).
pub fn keccak256(data: &[u8]) -> Hash {
    let mut out = Hash::default();
    unsafe { h::keccak256(data.as_ptr(), data.len() as i32, out.0.as_mut_ptr()) };
    out
}

thread_local! {
    static READ_ONLY: Cell<Option<&'static str>> = Cell::new(None);
}

/// Reverts when the running method is a view: "read-only method M cannot WHAT".
pub fn check_writable(what: &str) {
    if let Some(m) = READ_ONLY.with(|c| c.get()) {
        revert(&format!("read-only method {} cannot {}", m, what));
    }
}

/// The contract's own key/value storage.
pub mod storage {
    use super::{check_writable, h, Address};

    /// The value of `key`, or `None`.
    pub fn get(key: impl AsRef<[u8]>) -> Option<Vec<u8>> {
        let key = key.as_ref();
        let mut buf = vec![0u8; 64];
        let n = unsafe { h::storage_get(key.as_ptr(), key.len() as i32, buf.as_mut_ptr(), buf.len() as i32) };
        if n < 0 {
            return None;
        }
        let n = n as usize;
        if n > buf.len() {
            buf.resize(n, 0);
            unsafe { h::storage_get(key.as_ptr(), key.len() as i32, buf.as_mut_ptr(), n as i32) };
        }
        buf.truncate(n);
        Some(buf)
    }

    /// Writes `value` under `key`.
    pub fn put(key: impl AsRef<[u8]>, value: impl AsRef<[u8]>) {
        check_writable("write storage");
        let (key, value) = (key.as_ref(), value.as_ref());
        unsafe { h::storage_put(key.as_ptr(), key.len() as i32, value.as_ptr(), value.len() as i32) }
    }

    /// Removes `key`.
    pub fn delete(key: impl AsRef<[u8]>) {
        check_writable("write storage");
        let key = key.as_ref();
        unsafe { h::storage_delete(key.as_ptr(), key.len() as i32) }
    }

    /// The u64 at `key` (8 bytes little-endian), 0 when absent.
    pub fn get_u64(key: impl AsRef<[u8]>) -> u64 {
        match get(key) {
            None => 0,
            Some(v) if v.len() == 8 => u64::from_le_bytes([v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]]),
            Some(_) => super::revert("storage: value is not a u64 (8 bytes)"),
        }
    }

    /// Writes a u64 as 8 bytes little-endian (the C++ SDK's encoding).
    pub fn put_u64(key: impl AsRef<[u8]>, value: u64) {
        put(key, value.to_le_bytes())
    }

    /// The key "PREFIX/0x<hex address>", as the C++ SDK's storage::key builds it.
    pub fn key(prefix: &str, a: &Address) -> String {
        format!("{}/{}", prefix, a.to_hex())
    }
}

/// An object of this contract (docs/host-abi.md, "Objects and ownership").
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Object {
    id: Option<ObjectId>,
}

impl Object {
    /// The contract's default object (id length 0).
    pub fn default_object() -> Object {
        Object { id: None }
    }
    /// The object with this id (it may not exist).
    pub fn at(id: ObjectId) -> Object {
        Object { id: Some(id) }
    }
    /// Creates an object owned by `owner`.
    pub fn create(owner: &Address) -> Object {
        check_writable("change objects");
        let mut id = ObjectId::default();
        unsafe { h::object_create(owner.0.as_ptr(), id.0.as_mut_ptr()) };
        Object { id: Some(id) }
    }
    /// The id; the default object has none.
    pub fn id(&self) -> Option<ObjectId> {
        self.id
    }
    fn id_ptr(&self) -> (*const u8, i32) {
        match &self.id {
            Some(id) => (id.0.as_ptr(), 32),
            None => ([].as_ptr(), 0),
        }
    }
    /// The field `name`, or `None`.
    pub fn get(&self, name: &str) -> Option<Vec<u8>> {
        let (ip, il) = self.id_ptr();
        let mut buf = vec![0u8; 64];
        let n = unsafe {
            h::object_get_field(ip, il, name.as_ptr(), name.len() as i32, buf.as_mut_ptr(), buf.len() as i32)
        };
        if n < 0 {
            return None;
        }
        let n = n as usize;
        if n > buf.len() {
            buf.resize(n, 0);
            unsafe { h::object_get_field(ip, il, name.as_ptr(), name.len() as i32, buf.as_mut_ptr(), n as i32) };
        }
        buf.truncate(n);
        Some(buf)
    }
    /// Writes the field `name`.
    pub fn set(&self, name: &str, value: &[u8]) {
        check_writable("change objects");
        let (ip, il) = self.id_ptr();
        unsafe { h::object_set_field(ip, il, name.as_ptr(), name.len() as i32, value.as_ptr(), value.len() as i32) }
    }
    /// The u64 field `name` (8 bytes little-endian), 0 when absent.
    pub fn get_u64(&self, name: &str) -> u64 {
        match self.get(name) {
            None => 0,
            Some(v) if v.len() == 8 => u64::from_le_bytes([v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]]),
            Some(_) => revert("object field is not a u64 (8 bytes)"),
        }
    }
    /// Writes the u64 field `name` as 8 bytes little-endian.
    pub fn set_u64(&self, name: &str, value: u64) {
        self.set(name, &value.to_le_bytes())
    }
    /// Writes the address field `name` (20 raw bytes).
    pub fn set_address(&self, name: &str, value: &Address) {
        self.set(name, &value.0)
    }
}

/// What the generated dispatch code calls; not for contracts.
#[doc(hidden)]
pub mod abi {
    use super::{h, revert, READ_ONLY};
    use serde_json::Value;

    /// Reverts when the call carries value (every method not marked payable),
    /// with the C++ SDK's words, so that receipts read the same in every language.
    pub fn reject_value(method: &str) {
        let v = unsafe { h::call_value() } as u64;
        if v != 0 {
            revert(&format!(
                "method {} is not payable (call value {}); only WARD_PAYABLE methods accept value",
                method, v
            ));
        }
    }

    /// Marks the running method read-only.
    pub fn begin_view(method: &'static str) {
        READ_ONLY.with(|c| c.set(Some(method)));
    }

    /// Writes the method's result as JSON.
    pub fn set_result<T: serde::Serialize + ?Sized>(v: &T) {
        let text = serde_json::to_string(v).unwrap_or_else(|e| revert(&format!("result: {}", e)));
        unsafe { h::result_write(text.as_ptr(), text.len() as i32) }
    }

    /// The decoded call input: a JSON object (arguments by name) or array
    /// (by position); empty or null input: no arguments.
    pub struct Input {
        root: Value,
    }

    impl Input {
        /// Reads and checks the input, as the C++ SDK's dispatch does.
        pub fn read(method: &str, params: &[&str]) -> Input {
            let bytes = super::input();
            if bytes.iter().all(|b| b" \t\r\n".contains(b)) {
                return Input { root: Value::Null };
            }
            let root: Value = serde_json::from_slice(&bytes).unwrap_or_else(|_| revert("invalid call input: not valid JSON"));
            match &root {
                Value::Null => {}
                Value::Array(a) => {
                    if a.len() > params.len() {
                        revert(&format!(
                            "{} takes {} argument{}, got {}",
                            method,
                            params.len(),
                            if params.len() == 1 { "" } else { "s" },
                            a.len()
                        ));
                    }
                }
                Value::Object(o) => {
                    for k in o.keys() {
                        if !params.contains(&k.as_str()) {
                            let list = if params.is_empty() {
                                "it takes none".to_string()
                            } else {
                                format!("takes: {}", params.join(", "))
                            };
                            revert(&format!("unknown argument '{}' of {} ({})", k, method, list));
                        }
                    }
                }
                _ => revert("invalid call input: expected a JSON object or array"),
            }
            Input { root }
        }

        /// The argument `name` at `position`, decoded; reverts when it is
        /// missing ("argument 'NAME': missing (expected TYPE)") or does not decode.
        pub fn arg<T: serde::de::DeserializeOwned>(&self, position: usize, name: &str, abi_type: &str) -> T {
            let v = match &self.root {
                Value::Object(o) => o.get(name),
                Value::Array(a) => a.get(position),
                _ => None,
            };
            let v = match v {
                Some(v) => v.clone(),
                None if abi_type.ends_with('?') => Value::Null,
                None => revert(&format!("argument '{}': missing (expected {})", name, abi_type)),
            };
            T::deserialize(v).unwrap_or_else(|e| revert(&format!("argument '{}': {} (expected {})", name, e, abi_type)))
        }
    }
}
