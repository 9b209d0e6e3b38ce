//! ropa-core's integration tests, one binary: the register file on disk (`store`), the
//! interchange JSON (`interchange`) and the rules of the processing register (`validation`).

mod breaches;
mod common;
mod deadlines;
mod interchange;
mod processors;
mod recordings;
mod store;
mod validation;
