//! `ui/src/bindings.ts` must be what the commands generate. `UPDATE_EXPECT=1 cargo test -p
//! ropa-app` rewrites it.

use crate::commands::specta_builder;
use specta_typescript::Typescript;
use std::path::Path;

/// The bindings as the current commands and types generate them.
fn generate() -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("bindings.ts");
    specta_builder()
        .disable_serde_phases()
        .dangerously_cast_bigints_to_number()
        .export(Typescript::default(), &file)
        .expect("export bindings");
    std::fs::read_to_string(&file).expect("read bindings")
}

#[test]
fn the_committed_bindings_are_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/bindings.ts");
    let actual = generate();
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, &actual).expect("write bindings");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(committed == actual, "ui/src/bindings.ts is stale: run `UPDATE_EXPECT=1 cargo test -p ropa-app bindings`");
}
