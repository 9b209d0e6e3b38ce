//! The interchange JSON: round trips, the generated schema, and import errors with pointers.

use chrono::NaiveDate;
use ropa_core::interchange::{self, Problem};
use ropa_core::{ChainHeads, Passphrase, Register};
use std::path::Path;

const FIXTURE: &str = include_str!("../../../../tests/fixtures/register-da.json");

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 1).expect("date")
}

#[test]
fn export_import_export_is_byte_identical_through_a_real_register() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (content, log, _) = interchange::parse_all(FIXTURE, today()).expect("fixture parses");
    assert_eq!(log.breaches.len(), 2, "the fixture holds breaches, so the round trip covers them");
    let pass = Passphrase::from("korrekt hest batteri");
    let mut register =
        Register::create(&dir.path().join("a.ropa"), &pass, &content.organisation, ChainHeads::disabled())
            .expect("create");
    register.import_all(&content, &log, false).expect("import");
    register.close().expect("close");
    let register = Register::open(&dir.path().join("a.ropa"), &pass, ChainHeads::disabled()).expect("open");
    let exported = interchange::export_all(&register.content().expect("content"), &register.breach_log().expect("log"));
    assert!(exported == FIXTURE, "the export differs from the fixture it was imported from");
    // And once more, from the export.
    let (again, again_log, _) = interchange::parse_all(&exported, today()).expect("export parses");
    assert_eq!(interchange::export_all(&again, &again_log), exported);
}

/// The committed schema must match the types. `UPDATE_EXPECT=1 cargo test` rewrites it.
#[test]
fn the_committed_schema_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/register.v1.schema.json");
    let actual = interchange::schema_text();
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, &actual).expect("write schema");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == actual,
        "schema/register.v1.schema.json is stale: run `UPDATE_EXPECT=1 cargo test -p ropa-core --test interchange`"
    );
}

#[test]
fn the_fixture_validates_against_the_schema() {
    let value: serde_json::Value = serde_json::from_str(FIXTURE).expect("json");
    let validator = jsonschema::validator_for(&interchange::schema()).expect("schema compiles");
    let errors: Vec<String> = validator.iter_errors(&value).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
}

/// Applies `edit` to the fixture and returns the problems import reports.
fn problems(edit: impl FnOnce(&mut serde_json::Value)) -> Vec<Problem> {
    let mut value: serde_json::Value = serde_json::from_str(FIXTURE).expect("json");
    edit(&mut value);
    let text = serde_json::to_string_pretty(&value).expect("json");
    interchange::parse(&text, today()).expect_err("must be refused").problems
}

fn check(edit: impl FnOnce(&mut serde_json::Value), expected: &[(&str, &str)]) {
    let found = problems(edit);
    let found: Vec<(String, String)> = found.iter().map(|p| (p.pointer.clone(), p.detail.clone())).collect();
    let expected: Vec<(String, String)> = expected.iter().map(|(p, d)| ((*p).to_owned(), (*d).to_owned())).collect();
    assert_eq!(found, expected);
}

#[test]
fn an_unknown_legal_basis_is_reported_at_its_pointer() {
    check(
        |v| v["activities"][3]["legal_bases"][0]["article"] = "6-1-g".into(),
        &[("/activities/3/legal_bases/0/article", "unknown value \"6-1-g\"")],
    );
}

#[test]
fn every_shape_problem_is_reported_not_just_the_first() {
    check(
        |v| {
            v["activities"][0]["retention"][0]["trigger"] = "forever".into();
            v["activities"][1].as_object_mut().expect("object").remove("name");
            v["activities"][2]["colour"] = "blue".into();
            v["organisation"]["country"] = "SE".into();
            v["activities"][4]["review"]["next_review"] = 42.into();
        },
        &[
            ("/activities/0/retention/0/trigger", "unknown value \"forever\""),
            ("/activities/1", "missing field \"name\""),
            ("/activities/2", "unknown field \"colour\""),
            ("/activities/4/review/next_review", "42 is not of types \"null\", \"string\""),
            ("/organisation/country", "unknown value \"SE\""),
        ],
    );
}

#[test]
fn rule_errors_are_reported_with_pointers_and_codes() {
    let found = problems(|v| {
        v["activities"][0]["legal_bases"][1]["law"] = "".into();
        v["activities"][4]["transfers"] = serde_json::json!([{ "country": "CN" }]);
        v["organisation"]["business_id"] = "24256791".into();
    });
    let found: Vec<(&str, &str)> = found.iter().map(|p| (p.pointer.as_str(), p.code.as_str())).collect();
    assert_eq!(
        found,
        vec![
            ("/organisation/business_id", "issue.organisation.cvr_invalid"),
            ("/activities/0/legal_bases/1/law", "issue.legal_basis.law_missing"),
            ("/activities/4/transfers/0/mechanism", "issue.transfer.mechanism_missing"),
        ]
    );
}

#[test]
fn syntax_errors_name_the_line_and_newer_versions_are_refused() {
    let found =
        interchange::parse("{\n  \"format\": \"ropa-register\",\n  oops\n}", today()).expect_err("syntax").problems;
    assert_eq!(found[0].code, "syntax");
    assert_eq!(found[0].params["line"], "3");

    let found = problems(|v| v["version"] = 2.into());
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].pointer.as_str(), found[0].code.as_str()), ("/version", "newer_version"));

    let found = problems(|v| v["format"] = "something-else".into());
    assert_eq!((found[0].pointer.as_str(), found[0].code.as_str()), ("/format", "import.unknown_value"));
}

#[test]
fn a_file_from_before_the_breach_log_still_imports_with_the_default_settings() {
    let mut value: serde_json::Value = serde_json::from_str(FIXTURE).expect("json");
    let object = value.as_object_mut().expect("object");
    object.remove("breaches");
    object.remove("breach_settings");
    let text = serde_json::to_string_pretty(&value).expect("json");
    let (content, log, _) = interchange::parse_all(&text, today()).expect("an old file imports");
    assert_eq!(content.activities.len(), 6);
    assert_eq!(log, ropa_core::breach_log::BreachLog::default());
    assert_eq!(log.settings.acknowledge_within_working_days, 2);
    assert_eq!(log.settings.feedback_within_working_days, 10);
}

#[test]
fn breach_problems_are_reported_at_their_pointers() {
    check(
        |v| v["breaches"][0]["nature"] = serde_json::json!(["leak"]),
        &[("/breaches/0/nature/0", "unknown value \"leak\"")],
    );
    let found = problems(|v| {
        v["breaches"][0]["activities"] = serde_json::json!(["no-such-activity"]);
        v["breaches"][1]["risk"]["reasons"] = "".into();
    });
    let found: Vec<(&str, &str)> = found.iter().map(|p| (p.pointer.as_str(), p.code.as_str())).collect();
    assert_eq!(
        found,
        vec![
            ("/breaches/0/activities/0", "issue.breach.unknown_activity"),
            ("/breaches/1/risk/reasons", "issue.breach.risk_reasons_missing"),
        ]
    );
}
