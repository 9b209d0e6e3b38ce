//! Build script of the desktop app: runs `tauri-build` with `tauri.conf.json` at the
//! repository root, the capabilities in `src-tauri/capabilities/`, and an app manifest that
//! declares every app command, so each needs an explicit `allow-<command>` grant.

include!("src/commands/list.rs");

fn main() {
    // A custom capabilities path must be watched by hand (see `capabilities_path_pattern`).
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    println!("cargo:rerun-if-changed=src-tauri/src/commands/list.rs");
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        // A build script reports failure by exiting non-zero; cargo shows what it printed.
        eprintln!("tauri-build failed: {error:#}");
        std::process::exit(1);
    }
}
