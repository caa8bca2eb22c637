//! The counter of examples/counter in Rust: Increment, Get, Reset.
//!
//!   ward build examples/counter/rust -o counter-rs.wasm

#[ward::contract]
mod counter {
    const KEY: &str = "count";

    /// Adds `by` (1 when omitted) and returns the new count.
    #[ward::export]
    pub fn Increment(by: Option<u64>) -> Result<u64, String> {
        let count = ward::storage::get_u64(KEY);
        let next = count.checked_add(by.unwrap_or(1)).ok_or("counter overflow")?;
        ward::storage::put_u64(KEY, next);
        Ok(next)
    }

    /// The count.
    #[ward::view]
    pub fn Get() -> u64 {
        ward::storage::get_u64(KEY)
    }

    /// Sets the count back to 0.
    #[ward::export]
    pub fn Reset() {
        ward::storage::delete(KEY);
    }
}
