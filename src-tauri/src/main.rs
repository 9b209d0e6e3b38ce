//! The ropa desktop app (Tauri 2). For now it opens one window with a static
//! placeholder page (`ui/static/`) that points to the `ropa` command-line tool.

// No console window next to the app in Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    tauri::Builder::default().run(tauri::generate_context!()).expect("the ropa desktop app failed to start");
}
