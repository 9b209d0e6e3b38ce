//! Build script of the desktop app: runs `tauri-build` with `tauri.conf.json` at the
//! repository root and the capabilities in `src-tauri/capabilities/`.

fn main() {
    // A custom capabilities path must be watched by hand (see `capabilities_path_pattern`).
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    let attributes = tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/**/*");
    if let Err(error) = tauri_build::try_build(attributes) {
        // A build script reports failure by exiting non-zero; cargo shows what it printed.
        eprintln!("tauri-build failed: {error:#}");
        std::process::exit(1);
    }
}
