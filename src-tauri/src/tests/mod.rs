//! Tests of the app at its boundaries: the generated bindings, the command permissions, and
//! the command logic on real encrypted registers in temp folders.

mod adapters;
mod bindings;
mod capabilities;
mod recordings;
