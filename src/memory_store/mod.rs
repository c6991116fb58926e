//! Storage of the MemoryStore: sessions as JSON text (the cookie's JSON and
//! the rest kept apart, so touching rewrites only the cookie), each with an
//! expiry time.
//!
//! - `storage`: the sessions by ID, their expiry and use orders, bounds.
//! - `entry`: one stored session, in one allocation.
//! - `template`: cookie JSON shared between sessions, with the date cut out.
//! - `session_json`: joining a cookie and data JSON into the session's JSON.
//! - `release`: handing freed memory back to the system (the crate's one
//!   `unsafe` call).

mod entry;
mod release;
mod session_json;
mod storage;
mod template;

pub use release::{release_free_memory, TRIM_THRESHOLD};
pub use session_json::{data_offset, session_json};
pub use storage::{Storage, StoredCookie, Touch};
