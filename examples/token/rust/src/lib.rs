//! The token of examples/token in Rust: the same methods, events and storage
//! layout. Each holder's balance lives in an account object of this contract
//! (fields "holder" and "balance"); the default object keeps the total
//! supply; the storage key "account/0x<holder>" maps a holder to its account.
//!
//!   ward build examples/token/rust -o token-rs.wasm

#[ward::contract]
mod token {
    use serde::Serialize;
    use ward::{storage, Address, Object, ObjectId};

    #[derive(Serialize)]
    struct AccountCreated {
        holder: Address,
        account: ObjectId,
    }

    #[derive(Serialize)]
    struct Initialized {
        owner: Address,
        total_supply: u64,
    }

    #[derive(Serialize)]
    struct Transferred {
        from: Address,
        to: Address,
        amount: u64,
    }

    fn account_of(holder: &Address) -> Option<Object> {
        let raw = storage::get(storage::key("account", holder))?;
        let id: [u8; 32] = raw.try_into().ok()?;
        Some(Object::at(ObjectId(id)))
    }

    fn open_account(holder: &Address) -> Object {
        let account = Object::create(&ward::self_address());
        account.set_address("holder", holder);
        account.set_u64("balance", 0);
        let id = account.id().unwrap_or_default();
        storage::put(storage::key("account", holder), id.0);
        ward::emit("AccountCreated", &AccountCreated { holder: *holder, account: id });
        account
    }

    /// Gives the caller the whole supply. Once only.
    #[ward::export]
    pub fn Initialize(total_supply: u64) -> Result<bool, String> {
        let meta = Object::default_object();
        if meta.get("total_supply").is_some() {
            return Err("already initialized".into());
        }
        meta.set_u64("total_supply", total_supply);
        let owner = ward::sender();
        let account = account_of(&owner).unwrap_or_else(|| open_account(&owner));
        account.set_u64("balance", total_supply);
        ward::emit("Initialized", &Initialized { owner, total_supply });
        Ok(true)
    }

    /// Opens an empty account for the caller; returns its object id.
    #[ward::export]
    pub fn CreateAccount() -> Result<ObjectId, String> {
        let holder = ward::sender();
        if account_of(&holder).is_some() {
            return Err("account exists".into());
        }
        Ok(open_account(&holder).id().unwrap_or_default())
    }

    /// Moves `amount` tokens from the caller to `to` (whose account is opened
    /// when it has none).
    #[ward::export]
    pub fn Transfer(to: Address, amount: u64) -> Result<bool, String> {
        let from = ward::sender();
        let from_account = account_of(&from);
        let from_balance = from_account.map(|a| a.get_u64("balance")).unwrap_or(0);
        if from_balance < amount {
            return Err("insufficient balance".into());
        }
        if from != to {
            let to_account = account_of(&to).unwrap_or_else(|| open_account(&to));
            if let Some(a) = from_account {
                a.set_u64("balance", from_balance - amount);
            }
            // Cannot overflow: the sum of all balances is the supply, a u64.
            to_account.set_u64("balance", to_account.get_u64("balance") + amount);
        }
        ward::emit("Transfer", &Transferred { from, to, amount });
        Ok(true)
    }

    /// The holder's balance (0 without an account).
    #[ward::view]
    pub fn GetBalance(owner: Address) -> u64 {
        account_of(&owner).map(|a| a.get_u64("balance")).unwrap_or(0)
    }

    /// The id of the holder's account object, or null.
    #[ward::view]
    pub fn AccountOf(owner: Address) -> Option<ObjectId> {
        account_of(&owner).and_then(|a| a.id())
    }

    /// The supply set by Initialize (0 before).
    #[ward::view]
    pub fn TotalSupply() -> u64 {
        Object::default_object().get_u64("total_supply")
    }
}
