//! The implementations: what each writer does when bytes do not fit.

mod allocating;
mod discarding;
mod failing;
mod fixed;
#[cfg(feature = "digest")]
mod hashing;
mod instrumented;
mod io_adapter;

pub use allocating::Allocating;
pub use discarding::Discarding;
pub use failing::Failing;
pub use fixed::Fixed;
#[cfg(feature = "digest")]
pub use hashing::{Hashed, Hashing};
pub use instrumented::{DrainCall, Event, Instrumented, Trace};
pub use io_adapter::IoSink;
