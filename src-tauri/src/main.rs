//! The ropa desktop app (Tauri 2): one window with the Svelte UI from `ui/dist`, talking to
//! ropa-core through the commands in [`commands`]. See `docs/app-commands.md`.

// No console window next to the app in Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod dialog;
mod error;
mod notify;
mod state;
#[cfg(test)]
mod tests;
mod viewer;

use state::AppState;
use std::time::{Duration, Instant};

/// How often the idle auto-lock looks at the clock.
const IDLE_CHECK: Duration = Duration::from_secs(15);

fn main() {
    let builder = commands::specta_builder();
    let state = AppState::user_default();
    let idle = state.clone();
    let notices = state.clone();
    std::thread::Builder::new()
        .name("auto-lock".into())
        .spawn(move || {
            loop {
                std::thread::sleep(IDLE_CHECK);
                idle.lock_if_idle(Instant::now());
            }
        })
        .expect("could not start the auto-lock timer");
    tauri::Builder::default()
        .manage(state)
        // Used from Rust only (`notify.rs`); the window is granted none of its commands.
        .plugin(tauri_plugin_notification::init())
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            notify::start(app.handle(), notices);
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("the ropa desktop app failed to start");
}
