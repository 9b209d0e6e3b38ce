//! An empty Tauri 2 window: no commands, no state, one element. `cargo xtask bench-app`
//! measures ropa's launch time and memory against it.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    tauri::Builder::default().run(tauri::generate_context!()).expect("the empty window failed to start");
}
