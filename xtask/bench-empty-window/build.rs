//! Embeds `tauri.conf.json` and `dist/` like ropa-app's build script does.

fn main() {
    tauri_build::build();
}
