//! Every command is registered in the invoke handler, declared in the app manifest (the list
//! `build.rs` includes) and granted to the main window, and nothing else is granted.

use crate::commands::collect;
use std::collections::BTreeSet;
use std::path::Path;

// The very list `build.rs` declares in the app manifest.
include!("../commands/list.rs");

fn registered() -> BTreeSet<String> {
    let commands = collect();
    let collected = (commands.1)(&mut specta::Types::default());
    collected.functions.iter().map(|f| f.name().to_string()).collect()
}

fn declared() -> BTreeSet<String> {
    COMMANDS.iter().map(|c| (*c).to_owned()).collect()
}

fn capability() -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/capabilities/default.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("read capability")).expect("capability is JSON")
}

#[test]
fn every_registered_command_is_in_the_app_manifest_and_only_those() {
    assert_eq!(registered(), declared());
    assert_eq!(COMMANDS.len(), declared().len(), "a command is listed twice in commands/list.rs");
}

#[test]
fn the_main_window_is_granted_exactly_the_app_commands() {
    let capability = capability();
    assert_eq!(capability["windows"], serde_json::json!(["main"]));
    let granted: BTreeSet<String> = capability["permissions"]
        .as_array()
        .expect("permissions is a list")
        .iter()
        .map(|p| p.as_str().expect("permissions are plain identifiers").to_owned())
        .collect();
    let expected: BTreeSet<String> = registered().iter().map(|c| format!("allow-{}", c.replace('_', "-"))).collect();
    assert_eq!(granted, expected);
}

#[test]
fn no_other_capability_file_grants_anything() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/capabilities");
    let files: Vec<String> = std::fs::read_dir(dir)
        .expect("capabilities folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, ["default.json"]);
}
