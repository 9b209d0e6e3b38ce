//! `ropa settings country-lists` end to end: the lists shown, one replaced (and used by the
//! transfer rules of a register), a bad code refused by name with nothing written, and the
//! shipped lists back after a reset. The config folder is the test's own.

use predicates::prelude::*;

mod common;
use common::*;

#[test]
fn the_country_lists_are_shown_edited_used_and_reset() {
    let env = Env::new();
    env.ropa()
        .args(["settings", "country-lists", "show"])
        .assert()
        .success()
        .stdout(predicate::str::contains("The EEA countries: as of 2025-01-01 (as shipped)"))
        .stdout(predicate::str::contains("Third countries with an adequacy decision: as of 2025-07-01 (as shipped)"));

    // A processor in Brazil needs a transfer mechanism with the shipped list.
    env.init_with_fixture("a.ropa");
    let add = ["processors", "add", "a.ropa", "--id", "br", "--name", "Cloud BR", "--country", "BR"];
    env.ropa()
        .args(add)
        .assert()
        .failure()
        .stderr(predicate::str::contains("BR is outside the EEA without an adequacy decision (list as of 2025-07-01)"));

    let shipped = "AD,AR,CA,FO,GG,IL,IM,JP,JE,NZ,KR,CH,GB,UY";
    env.ropa()
        .args(["settings", "country-lists", "set", "--list", "adequacy", "--as-of", "2026-09-01"])
        .args(["--countries", &format!("{shipped},BR")])
        .assert()
        .success()
        .stdout("Saved Third countries with an adequacy decision: 15 countries.\n");
    env.ropa()
        .args(["settings", "country-lists", "show", "--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"as_of\": \"2026-09-01\""))
        .stdout(predicate::str::contains("\"edited\": true"));
    // Now Brazil needs none.
    env.ropa().args(add).assert().success().stdout("Added processor br.\n");

    // A bad code: named, and the file unchanged.
    let file = env.path("config/country-lists.json");
    let before = std::fs::read(&file).expect("read");
    env.ropa()
        .args(["settings", "country-lists", "set", "--list", "eea", "--as-of", "2026-09-01"])
        .args(["--countries", "DK,SE,se"])
        .assert()
        .failure()
        .stderr("ropa: “se” is not an ISO 3166-1 alpha-2 country code (two capital letters, such as DK). Nothing was saved.\n");
    env.ropa()
        .args(["--lang", "da", "settings", "country-lists", "set", "--list", "eea", "--as-of", "2026-09-01"])
        .args(["--countries", "DK,SE,DK"])
        .assert()
        .failure()
        .stderr("ropa: DK står to gange på listen. Intet er gemt.\n");
    env.ropa()
        .args(["settings", "country-lists", "set", "--list", "eea", "--as-of", "1 September", "--countries", "DK"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("“1 September” is not a date"));
    assert_eq!(std::fs::read(&file).expect("read"), before);

    env.ropa()
        .args(["settings", "country-lists", "reset", "--list", "adequacy"])
        .assert()
        .success()
        .stdout("The shipped list applies again.\n");
    env.ropa()
        .args(["settings", "country-lists", "show"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Third countries with an adequacy decision: as of 2025-07-01 (as shipped)"));
}
