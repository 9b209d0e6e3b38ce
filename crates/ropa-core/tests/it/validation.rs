//! The rules of the processing register, tested at their boundary: `validate_content` on a whole
//! register. Every case starts from one known-valid register (a Danish organisation with a valid
//! CVR number, the three catalogs, and one complete active activity), applies one mutation, and
//! states the complete set of `(path, code, severity)` issues that must follow. One small
//! `check` helper runs a case; the rest of the file is tables.
//!
//! The last part checks the message catalog against the rules: every code has a message in
//! every language, and the messages' placeholders match the issues' parameters.
//!
//! Cases that show a bug are kept as `#[ignore = "bug: …"]` tests, so that they start to run
//! once the rule is fixed; fixed ones stay as regression tests.

use chrono::NaiveDate;
use chrono::{DateTime, TimeDelta, Utc};
use ropa_core::breach_log::*;
use ropa_core::i18n::{messages, source};
use ropa_core::processing_register::*;
use ropa_core::validation::{
    CountryList, CountryLists, Issue, Severity, adequacy, eea, is_valid_cvr, is_valid_orgnr, validate_breach_log,
    validate_content,
};
use ropa_core::vocab::*;
use std::collections::{BTreeMap, BTreeSet};

const E: Severity = Severity::Error;
const W: Severity = Severity::Warning;

// ---------------------------------------------------------------------------------------------
// The baseline register and the helpers that mutations use

/// Every case runs on this day, so that review dates do not age.
fn today() -> NaiveDate {
    date(2025, 9, 15)
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a valid date")
}

fn data_category(id: &str, name: &str, kind: DataKind, special: Option<SpecialCategory>) -> DataCategory {
    DataCategory { id: id.into(), name: name.into(), kind, special_category: special, description: String::new() }
}

fn subject(id: &str, name: &str) -> SubjectCategory {
    SubjectCategory { id: id.into(), name: name.into(), vulnerable: false }
}

fn recipient(id: &str, name: &str, kind: RecipientKind, country: Option<&str>) -> Recipient {
    Recipient { id: id.into(), name: name.into(), kind, country: country.map(Into::into) }
}

fn basis(article: Art6Basis, justification: &str) -> LegalBasis {
    LegalBasis { article, justification: justification.into(), law: String::new(), withdrawal: String::new() }
}

fn special(article: Art9Condition, justification: &str) -> SpecialCondition {
    SpecialCondition { article, justification: justification.into() }
}

fn national(provision: NationalProvision, justification: &str) -> NationalBasis {
    NationalBasis { provision, justification: justification.into() }
}

fn flow(data_category: &str, subject_category: &str, recipients: &[&str]) -> DataFlow {
    DataFlow {
        data_category: data_category.into(),
        subject_category: subject_category.into(),
        recipients: recipients.iter().map(|r| (*r).to_owned()).collect(),
    }
}

fn transfer(country: &str, mechanism: Option<TransferMechanism>) -> Transfer {
    Transfer {
        country: country.into(),
        recipient: None,
        mechanism,
        derogation: None,
        safeguards: String::new(),
        dpf_certified: None,
        tia_done: false,
    }
}

fn years(years: u32) -> Option<Period> {
    Some(Period { years, ..Period::default() })
}

fn retention(data_categories: &[&str], period: Option<Period>, trigger: RetentionTrigger) -> RetentionRule {
    RetentionRule {
        data_categories: data_categories.iter().map(|c| (*c).to_owned()).collect(),
        period,
        trigger,
        description: String::new(),
    }
}

/// The register every case starts from. Indices matter to the expected paths:
/// data categories 0 `contact`, 1 `payment`, 2 `health` (special), 3 `criminal`, 4 `cpr`
/// (national id); subject categories 0 `customers`, 1 `employees`; recipients 0 `mail-host`
/// (IE), 1 `us-cloud` (US), 2 `tax` (no country). The one activity has one flow
/// (`contact` about `customers` to `mail-host`) and one retention rule covering all categories.
fn baseline() -> RegisterContent {
    let mut organisation = Organisation::new("Eksempel ApS", Country::Denmark, Language::Danish);
    organisation.business_id = "24256790".into();
    RegisterContent {
        organisation,
        data_categories: vec![
            data_category("contact", "Kontaktoplysninger", DataKind::General, None),
            data_category("payment", "Betalingsoplysninger", DataKind::General, None),
            data_category("health", "Helbredsoplysninger", DataKind::Special, Some(SpecialCategory::Health)),
            data_category("criminal", "Straffedomme", DataKind::Criminal, None),
            data_category("cpr", "CPR-nummer", DataKind::NationalId, None),
        ],
        subject_categories: vec![subject("customers", "Kunder"), subject("employees", "Medarbejdere")],
        recipients: vec![
            recipient("mail-host", "E-mailudbyder", RecipientKind::Processor, Some("IE")),
            recipient("us-cloud", "Cloududbyder i USA", RecipientKind::Processor, Some("US")),
            recipient("tax", "Skattestyrelsen", RecipientKind::Authority, None),
        ],
        activities: vec![Activity {
            status: ActivityStatus::Active,
            owner: "Salg".into(),
            purposes: vec!["Administrere kundeforhold og levere de bestilte ydelser.".into()],
            legal_bases: vec![basis(Art6Basis::Contract, "Nødvendigt for at opfylde aftalen med kunden.")],
            data_flows: vec![flow("contact", "customers", &["mail-host"])],
            retention: vec![retention(&[], years(5), RetentionTrigger::EndOfRelationship)],
            review: Review { last_reviewed: Some(date(2025, 3, 1)), next_review: None },
            ..Activity::draft("customer-admin", "Kundeadministration")
        }],
    }
}

fn act(c: &mut RegisterContent) -> &mut Activity {
    &mut c.activities[0]
}

/// Adds a flow of `data_category` about customers (it becomes `/activities/0/data_flows/1`).
fn add_flow(c: &mut RegisterContent, data_category: &str) {
    act(c).data_flows.push(flow(data_category, "customers", &[]));
}

fn add_transfer(c: &mut RegisterContent, transfer: Transfer) {
    act(c).transfers.push(transfer);
}

/// Makes the organisation Norwegian, with a valid organisasjonsnummer.
fn norway(c: &mut RegisterContent) {
    c.organisation.country = Country::Norway;
    c.organisation.business_id = "923609016".into();
    c.organisation.language = Language::NorwegianBokmal;
}

fn as_draft(c: &mut RegisterContent) {
    act(c).status = ActivityStatus::Draft;
}

/// Makes the activity a complete Art. 30(2) processor activity.
fn as_processor(c: &mut RegisterContent) {
    act(c).role = Role::Processor {
        controller: ControllerRef {
            name: "Kunde A/S".into(),
            business_id: "10150817".into(),
            country: "DK".into(),
            contact: Contact::default(),
        },
        processing_categories: vec!["Drift af kundens webshop".into()],
    };
}

fn joint(names: &[&str]) -> Role {
    Role::JointController {
        parties: names
            .iter()
            .map(|name| JointParty {
                name: (*name).into(),
                business_id: String::new(),
                contact: Contact::default(),
                responsibilities: String::new(),
            })
            .collect(),
    }
}

// ---------------------------------------------------------------------------------------------
// The check

type Expected = &'static [(&'static str, &'static str, Severity)];

struct Case {
    name: &'static str,
    mutate: fn(&mut RegisterContent),
    expect: Expected,
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn issues_of(mutate: fn(&mut RegisterContent)) -> Vec<Issue> {
    let mut content = baseline();
    mutate(&mut content);
    validate_content(&content, today(), CountryLists::shipped())
}

/// Runs one case; the issues are compared as a multiset, in no particular order.
fn check(case: &Case) -> Result<(), String> {
    let mut got: Vec<(String, String, &str)> =
        issues_of(case.mutate).into_iter().map(|i| (i.path, i.code, severity(i.severity))).collect();
    let mut want: Vec<(String, String, &str)> =
        case.expect.iter().map(|(p, c, s)| ((*p).to_owned(), (*c).to_owned(), severity(*s))).collect();
    got.sort();
    want.sort();
    if got == want { Ok(()) } else { Err(format!("case `{}`:\n  expected {want:?}\n  got      {got:?}", case.name)) }
}

/// Runs every case of a table and reports all failing cases at once.
fn run(table: &[Case]) {
    let failures: Vec<String> = table.iter().filter_map(|case| check(case).err()).collect();
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), table.len(), failures.join("\n"));
}

#[test]
fn baseline_has_no_issues() {
    assert_eq!(validate_content(&baseline(), today(), CountryLists::shipped()), Vec::<Issue>::new());
    let mut norwegian = baseline();
    norway(&mut norwegian);
    assert_eq!(validate_content(&norwegian, today(), CountryLists::shipped()), Vec::<Issue>::new());
}

// ---------------------------------------------------------------------------------------------
// Business ids

/// `(input, valid)`. The valid numbers are computed from the weights, not taken from a register.
const CVR: &[(&str, bool)] = &[
    ("24256790", true),
    ("10150817", true),
    ("12345674", true),
    ("24 25 67 90", true),
    (" 24256790 ", true),
    ("2425\t6790", true),
    ("24256791", false),  // check digit off by one
    ("24256709", false),  // last two digits swapped
    ("01234560", false),  // weighted sum divisible by 11, but the first digit is 0
    ("00000000", false),  // likewise
    ("2425679", false),   // 7 digits
    ("242567900", false), // 9 digits
    ("", false),
    ("        ", false),
    ("2425679O", false), // a letter O for the 0
    ("DK24256790", false),
    ("24-25-67-90", false),
    ("+24256790", false),
    ("２４２５６７９０", false), // full-width digits
    ("923609016", false),        // an organisasjonsnummer
];

const ORGNR: &[(&str, bool)] = &[
    ("923609016", true),
    ("987654325", true),
    ("812345672", true),
    ("923 609 016", true),
    ("923609017", false), // check digit off by one
    ("923609061", false), // last two digits swapped
    ("92360901", false),  // 8 digits
    ("9236090160", false),
    ("", false),
    ("92360901X", false),
    ("923.609.016", false),
    ("NO923609016", false),
    ("24256790", false), // a CVR number
    ("823609019", true), // begins with 8
    // Brønnøysund assigns organisasjonsnumre beginning with 8 or 9: a matching check digit is
    // not enough for any other first digit.
    ("000000000", false), // a weighted sum of 0
    ("023609010", false),
    ("123609018", false),
    ("223609015", false),
    ("323609012", false),
    ("523609017", false),
    ("623609014", false),
    ("723609011", false),
];

#[test]
fn cvr_numbers() {
    let failures: Vec<_> = CVR.iter().filter(|(input, valid)| is_valid_cvr(input) != *valid).collect();
    assert!(failures.is_empty(), "is_valid_cvr is wrong for (input, expected): {failures:?}");
}

#[test]
fn organisasjonsnumre() {
    let failures: Vec<_> = ORGNR.iter().filter(|(input, valid)| is_valid_orgnr(input) != *valid).collect();
    assert!(failures.is_empty(), "is_valid_orgnr is wrong for (input, expected): {failures:?}");
}

/// All weights are below 11, so changing any one digit of a valid number must invalidate it.
#[test]
fn a_changed_digit_is_always_caught() {
    check_changed_digits(CVR, 8, is_valid_cvr);
    check_changed_digits(ORGNR, 9, is_valid_orgnr);
}

fn check_changed_digits(table: &[(&str, bool)], len: usize, is_valid: fn(&str) -> bool) {
    for (number, _) in table.iter().filter(|(n, valid)| *valid && n.len() == len) {
        for position in 0..len {
            for digit in '0'..='9' {
                let mut changed: Vec<char> = number.chars().collect();
                if changed[position] == digit {
                    continue;
                }
                changed[position] = digit;
                let changed: String = changed.into_iter().collect();
                assert!(!is_valid(&changed), "{changed} (from {number}) should be invalid");
            }
        }
    }
}

/// Prefixes whose check digit would be 10: no number completes them.
#[test]
fn a_check_digit_of_ten_means_no_valid_number() {
    for digit in '0'..='9' {
        assert!(!is_valid_cvr(&format!("1000005{digit}")));
        assert!(!is_valid_orgnr(&format!("91000008{digit}")));
    }
}

const ORGANISATION: &[Case] = &[
    Case { name: "baseline", mutate: |_| {}, expect: &[] },
    Case { name: "CVR with spaces", mutate: |c| c.organisation.business_id = "24 25 67 90".into(), expect: &[] },
    Case {
        name: "CVR with a wrong check digit",
        mutate: |c| c.organisation.business_id = "24256791".into(),
        expect: &[("/organisation/business_id", "organisation.cvr_invalid", E)],
    },
    Case {
        name: "CVR of 7 digits",
        mutate: |c| c.organisation.business_id = "2425679".into(),
        expect: &[("/organisation/business_id", "organisation.cvr_invalid", E)],
    },
    Case {
        name: "CVR with a letter",
        mutate: |c| c.organisation.business_id = "2425679O".into(),
        expect: &[("/organisation/business_id", "organisation.cvr_invalid", E)],
    },
    Case {
        name: "CVR beginning with 0",
        mutate: |c| c.organisation.business_id = "01234560".into(),
        expect: &[("/organisation/business_id", "organisation.cvr_invalid", E)],
    },
    Case {
        name: "CVR with the DK prefix of a VAT number",
        mutate: |c| c.organisation.business_id = "DK24256790".into(),
        expect: &[("/organisation/business_id", "organisation.cvr_invalid", E)],
    },
    Case {
        name: "Danish organisation with an organisasjonsnummer",
        mutate: |c| c.organisation.business_id = "923609016".into(),
        expect: &[("/organisation/business_id", "organisation.cvr_invalid", E)],
    },
    Case {
        name: "business id empty",
        mutate: |c| c.organisation.business_id = String::new(),
        expect: &[("/organisation/business_id", "organisation.cvr_missing", W)],
    },
    Case {
        name: "business id blank",
        mutate: |c| c.organisation.business_id = "   ".into(),
        expect: &[("/organisation/business_id", "organisation.cvr_missing", W)],
    },
    Case {
        name: "name empty",
        mutate: |c| c.organisation.name = String::new(),
        expect: &[("/organisation/name", "organisation.name_missing", E)],
    },
    Case {
        name: "name blank",
        mutate: |c| c.organisation.name = " \t".into(),
        expect: &[("/organisation/name", "organisation.name_missing", E)],
    },
    Case { name: "Norwegian organisation", mutate: norway, expect: &[] },
    Case {
        name: "organisasjonsnummer with spaces",
        mutate: |c| {
            norway(c);
            c.organisation.business_id = "923 609 016".into();
        },
        expect: &[],
    },
    Case {
        name: "organisasjonsnummer with a wrong check digit",
        mutate: |c| {
            norway(c);
            c.organisation.business_id = "923609017".into();
        },
        expect: &[("/organisation/business_id", "organisation.orgnr_invalid", E)],
    },
    Case {
        name: "organisasjonsnummer of 8 digits",
        mutate: |c| {
            norway(c);
            c.organisation.business_id = "92360901".into();
        },
        expect: &[("/organisation/business_id", "organisation.orgnr_invalid", E)],
    },
    Case {
        name: "Norwegian organisation with a CVR number",
        mutate: |c| {
            norway(c);
            c.organisation.business_id = "24256790".into();
        },
        expect: &[("/organisation/business_id", "organisation.orgnr_invalid", E)],
    },
    Case {
        name: "Norwegian organisation without a business id",
        mutate: |c| {
            norway(c);
            c.organisation.business_id = String::new();
        },
        expect: &[("/organisation/business_id", "organisation.orgnr_missing", W)],
    },
    Case {
        name: "Norwegian organisation with a blank business id",
        mutate: |c| {
            norway(c);
            c.organisation.business_id = "  ".into();
        },
        expect: &[("/organisation/business_id", "organisation.orgnr_missing", W)],
    },
    Case {
        name: "organisasjonsnummer beginning with 8",
        mutate: |c| {
            norway(c);
            c.organisation.business_id = "823609019".into();
        },
        expect: &[],
    },
    Case {
        name: "organisasjonsnummer of all zeros",
        mutate: |c| {
            norway(c);
            c.organisation.business_id = "000000000".into();
        },
        expect: &[("/organisation/business_id", "organisation.orgnr_invalid", E)],
    },
    Case {
        name: "organisasjonsnummer with a matching check digit but beginning with 7",
        mutate: |c| {
            norway(c);
            c.organisation.business_id = "723609011".into();
        },
        expect: &[("/organisation/business_id", "organisation.orgnr_invalid", E)],
    },
];

#[test]
fn organisation() {
    run(ORGANISATION);
}

// ---------------------------------------------------------------------------------------------
// Catalogs

const CATALOGS: &[Case] = &[
    Case {
        name: "duplicate data category id",
        mutate: |c| c.data_categories.push(data_category("contact", "Kontakt igen", DataKind::General, None)),
        expect: &[("/data_categories/5/id", "catalog.id_duplicate", E)],
    },
    Case {
        name: "duplicate subject category id",
        mutate: |c| c.subject_categories.push(subject("customers", "Kunder igen")),
        expect: &[("/subject_categories/2/id", "catalog.id_duplicate", E)],
    },
    Case {
        name: "duplicate recipient id",
        mutate: |c| c.recipients.push(recipient("tax", "SKAT", RecipientKind::Authority, Some("DK"))),
        expect: &[("/recipients/3/id", "catalog.id_duplicate", E)],
    },
    Case {
        name: "an id used three times is reported on the second and third",
        mutate: |c| {
            c.subject_categories.push(subject("customers", "Kunder 2"));
            c.subject_categories.push(subject("customers", "Kunder 3"));
        },
        expect: &[
            ("/subject_categories/2/id", "catalog.id_duplicate", E),
            ("/subject_categories/3/id", "catalog.id_duplicate", E),
        ],
    },
    Case {
        name: "the same id in two different catalogs",
        mutate: |c| c.subject_categories.push(subject("contact", "Kontaktpersoner")),
        expect: &[],
    },
    Case {
        name: "data category id empty",
        mutate: |c| c.data_categories[1].id = String::new(),
        expect: &[("/data_categories/1/id", "catalog.id_missing", E)],
    },
    Case {
        name: "subject category id blank",
        mutate: |c| c.subject_categories[1].id = "  ".into(),
        expect: &[("/subject_categories/1/id", "catalog.id_missing", E)],
    },
    Case {
        name: "two empty ids are missing, not duplicates",
        mutate: |c| {
            c.recipients[1].id = String::new();
            c.recipients[2].id = String::new();
        },
        expect: &[("/recipients/1/id", "catalog.id_missing", E), ("/recipients/2/id", "catalog.id_missing", E)],
    },
    Case {
        name: "data category name empty",
        mutate: |c| c.data_categories[0].name = String::new(),
        expect: &[("/data_categories/0/name", "catalog.name_missing", E)],
    },
    Case {
        name: "subject category name blank",
        mutate: |c| c.subject_categories[0].name = " ".into(),
        expect: &[("/subject_categories/0/name", "catalog.name_missing", E)],
    },
    Case {
        name: "recipient name blank",
        mutate: |c| c.recipients[2].name = "  ".into(),
        expect: &[("/recipients/2/name", "catalog.name_missing", E)],
    },
    Case {
        name: "id and name both empty",
        mutate: |c| {
            c.recipients[2].id = String::new();
            c.recipients[2].name = String::new();
        },
        expect: &[("/recipients/2/id", "catalog.id_missing", E), ("/recipients/2/name", "catalog.name_missing", E)],
    },
    Case {
        name: "special kind without the special category",
        mutate: |c| c.data_categories[2].special_category = None,
        expect: &[("/data_categories/2/special_category", "data_category.special_category_missing", E)],
    },
    Case {
        name: "general kind with a special category",
        mutate: |c| c.data_categories[0].special_category = Some(SpecialCategory::Health),
        expect: &[("/data_categories/0/special_category", "data_category.special_category_not_special", E)],
    },
    Case {
        name: "criminal kind with a special category",
        mutate: |c| c.data_categories[3].special_category = Some(SpecialCategory::Biometric),
        expect: &[("/data_categories/3/special_category", "data_category.special_category_not_special", E)],
    },
    Case {
        name: "national-id kind with a special category",
        mutate: |c| c.data_categories[4].special_category = Some(SpecialCategory::Genetic),
        expect: &[("/data_categories/4/special_category", "data_category.special_category_not_special", E)],
    },
    Case {
        name: "every special category is accepted on a special kind",
        mutate: |c| {
            for (i, category) in SpecialCategory::ALL.iter().enumerate() {
                c.data_categories.push(data_category(&format!("s{i}"), "Særlig", DataKind::Special, Some(*category)));
            }
        },
        expect: &[],
    },
    Case {
        name: "recipient country in lower case",
        mutate: |c| c.recipients[0].country = Some("ie".into()),
        expect: &[("/recipients/0/country", "recipient.country_invalid", E)],
    },
    Case {
        name: "recipient country of three letters",
        mutate: |c| c.recipients[0].country = Some("IRL".into()),
        expect: &[("/recipients/0/country", "recipient.country_invalid", E)],
    },
    Case {
        // A cleared field sent as "" counts as no country.
        name: "recipient country empty string",
        mutate: |c| c.recipients[0].country = Some(String::new()),
        expect: &[],
    },
    Case { name: "recipient without a country", mutate: |c| c.recipients[0].country = None, expect: &[] },
];

#[test]
fn catalogs() {
    run(CATALOGS);
}

// ---------------------------------------------------------------------------------------------
// Activity: identity, purposes, Art. 22

const ACTIVITY: &[Case] = &[
    Case {
        name: "id empty",
        mutate: |c| act(c).id = String::new(),
        expect: &[("/activities/0/id", "activity.id_missing", E)],
    },
    Case {
        name: "id blank",
        mutate: |c| act(c).id = "  ".into(),
        expect: &[("/activities/0/id", "activity.id_missing", E)],
    },
    Case {
        name: "name empty",
        mutate: |c| act(c).name = String::new(),
        expect: &[("/activities/0/name", "activity.name_missing", E)],
    },
    Case {
        name: "duplicate activity id",
        mutate: |c| {
            let copy = c.activities[0].clone();
            c.activities.push(copy);
        },
        expect: &[("/activities/1/id", "activity.id_duplicate", E)],
    },
    Case {
        name: "an activity id used three times",
        mutate: |c| {
            let copy = c.activities[0].clone();
            c.activities.push(copy.clone());
            c.activities.push(copy);
        },
        expect: &[("/activities/1/id", "activity.id_duplicate", E), ("/activities/2/id", "activity.id_duplicate", E)],
    },
    Case {
        name: "two complete activities",
        mutate: |c| {
            let mut copy = c.activities[0].clone();
            copy.id = "newsletter".into();
            c.activities.push(copy);
        },
        expect: &[],
    },
    Case {
        name: "no purpose",
        mutate: |c| act(c).purposes.clear(),
        expect: &[("/activities/0/purposes", "activity.purpose_missing", E)],
    },
    Case {
        name: "a blank purpose beside a real one",
        mutate: |c| act(c).purposes.push("  ".into()),
        expect: &[("/activities/0/purposes/1", "activity.purpose_empty", E)],
    },
    Case {
        name: "only an empty purpose",
        mutate: |c| act(c).purposes = vec![String::new()],
        expect: &[("/activities/0/purposes/0", "activity.purpose_empty", E)],
    },
    Case {
        name: "automated decision described",
        mutate: |c| act(c).automated_decision = Some("Kreditvurdering ved oprettelse af kundekonto.".into()),
        expect: &[],
    },
    Case {
        name: "automated decision present but empty",
        mutate: |c| act(c).automated_decision = Some(String::new()),
        expect: &[("/activities/0/automated_decision", "activity.automated_decision_undescribed", E)],
    },
    Case {
        name: "automated decision present but blank",
        mutate: |c| act(c).automated_decision = Some(" \n".into()),
        expect: &[("/activities/0/automated_decision", "activity.automated_decision_undescribed", E)],
    },
];

#[test]
fn activity() {
    run(ACTIVITY);
}

// ---------------------------------------------------------------------------------------------
// Art. 6 legal bases

const LEGAL_BASES: &[Case] = &[
    Case {
        name: "no legal basis",
        mutate: |c| act(c).legal_bases.clear(),
        expect: &[("/activities/0/legal_bases", "legal_basis.missing", E)],
    },
    Case {
        name: "consent with a withdrawal description",
        mutate: |c| {
            act(c).legal_bases = vec![LegalBasis {
                withdrawal: "Afmeldingslink i hvert nyhedsbrev.".into(),
                ..basis(Art6Basis::Consent, "Tilmelding til nyhedsbrev.")
            }]
        },
        expect: &[],
    },
    Case {
        name: "consent without a withdrawal description",
        mutate: |c| act(c).legal_bases = vec![basis(Art6Basis::Consent, "Tilmelding til nyhedsbrev.")],
        expect: &[("/activities/0/legal_bases/0/withdrawal", "legal_basis.withdrawal_missing", E)],
    },
    Case {
        name: "consent with a blank withdrawal description",
        mutate: |c| {
            act(c).legal_bases =
                vec![LegalBasis { withdrawal: "  ".into(), ..basis(Art6Basis::Consent, "Tilmelding til nyhedsbrev.") }]
        },
        expect: &[("/activities/0/legal_bases/0/withdrawal", "legal_basis.withdrawal_missing", E)],
    },
    Case {
        name: "legal obligation with the law",
        mutate: |c| {
            act(c).legal_bases.push(LegalBasis {
                law: "bogføringsloven § 10".into(),
                ..basis(Art6Basis::LegalObligation, "Regnskabsmateriale skal opbevares.")
            })
        },
        expect: &[],
    },
    Case {
        name: "legal obligation without the law",
        mutate: |c| act(c).legal_bases.push(basis(Art6Basis::LegalObligation, "Regnskabsmateriale skal opbevares.")),
        expect: &[("/activities/0/legal_bases/1/law", "legal_basis.law_missing", E)],
    },
    Case {
        name: "legal obligation without the law or a justification",
        mutate: |c| act(c).legal_bases.push(basis(Art6Basis::LegalObligation, "")),
        expect: &[
            ("/activities/0/legal_bases/1/law", "legal_basis.law_missing", E),
            ("/activities/0/legal_bases/1/justification", "legal_basis.justification_missing", E),
        ],
    },
    Case {
        name: "legitimate interests with the balancing",
        mutate: |c| {
            act(c).legal_bases =
                vec![basis(Art6Basis::LegitimateInterests, "Direkte markedsføring; kunden forventer det.")]
        },
        expect: &[],
    },
    Case {
        name: "legitimate interests without the balancing",
        mutate: |c| act(c).legal_bases = vec![basis(Art6Basis::LegitimateInterests, " ")],
        expect: &[("/activities/0/legal_bases/0/justification", "legal_basis.balancing_missing", E)],
    },
    Case {
        name: "contract without a justification",
        mutate: |c| act(c).legal_bases[0].justification = String::new(),
        expect: &[("/activities/0/legal_bases/0/justification", "legal_basis.justification_missing", E)],
    },
    Case {
        name: "vital interests and public task without a justification",
        mutate: |c| act(c).legal_bases = vec![basis(Art6Basis::VitalInterests, ""), basis(Art6Basis::PublicTask, "")],
        expect: &[
            ("/activities/0/legal_bases/0/justification", "legal_basis.justification_missing", E),
            ("/activities/0/legal_bases/1/justification", "legal_basis.justification_missing", E),
            ("/activities/0/legal_bases/1/law", "legal_basis.law_missing", E),
        ],
    },
    Case {
        name: "public task with the law",
        mutate: |c| {
            act(c).legal_bases = vec![LegalBasis {
                law: "kommunestyrelsesloven § 61".into(),
                ..basis(Art6Basis::PublicTask, "Myndighedsudøvelse.")
            }]
        },
        expect: &[],
    },
    Case {
        name: "public task without the law",
        mutate: |c| act(c).legal_bases = vec![basis(Art6Basis::PublicTask, "Myndighedsudøvelse.")],
        expect: &[("/activities/0/legal_bases/0/law", "legal_basis.law_missing", E)],
    },
    Case {
        name: "public task with a blank law",
        mutate: |c| {
            act(c).legal_bases =
                vec![LegalBasis { law: " ".into(), ..basis(Art6Basis::PublicTask, "Myndighedsudøvelse.") }]
        },
        expect: &[("/activities/0/legal_bases/0/law", "legal_basis.law_missing", E)],
    },
    Case {
        name: "vital interests needs no law",
        mutate: |c| act(c).legal_bases = vec![basis(Art6Basis::VitalInterests, "Livstruende situation.")],
        expect: &[],
    },
    Case {
        name: "the same article twice",
        mutate: |c| act(c).legal_bases.push(basis(Art6Basis::Contract, "Igen.")),
        expect: &[("/activities/0/legal_bases/1/article", "legal_basis.duplicate", W)],
    },
    Case {
        name: "the same article three times",
        mutate: |c| {
            act(c).legal_bases.push(basis(Art6Basis::Contract, "Igen."));
            act(c).legal_bases.push(basis(Art6Basis::Contract, "Og igen."));
        },
        expect: &[
            ("/activities/0/legal_bases/1/article", "legal_basis.duplicate", W),
            ("/activities/0/legal_bases/2/article", "legal_basis.duplicate", W),
        ],
    },
    Case {
        name: "two different articles",
        mutate: |c| act(c).legal_bases.push(basis(Art6Basis::LegitimateInterests, "Kundeservice; afvejet.")),
        expect: &[],
    },
    Case {
        name: "a processor activity needs no legal basis",
        mutate: |c| {
            as_processor(c);
            act(c).legal_bases.clear();
        },
        expect: &[],
    },
    Case {
        name: "a processor activity's legal bases are not checked",
        mutate: |c| {
            as_processor(c);
            act(c).legal_bases = vec![basis(Art6Basis::LegalObligation, ""), basis(Art6Basis::LegalObligation, "")];
        },
        expect: &[],
    },
    Case {
        name: "a joint controller needs a legal basis",
        mutate: |c| {
            act(c).role = joint(&["Partner A/S"]);
            act(c).legal_bases.clear();
        },
        expect: &[("/activities/0/legal_bases", "legal_basis.missing", E)],
    },
];

#[test]
fn legal_bases() {
    run(LEGAL_BASES);
}

// ---------------------------------------------------------------------------------------------
// Art. 9 conditions, Art. 10 and national identity numbers (national provisions)

const CATEGORY_BASES: &[Case] = &[
    Case {
        name: "health data without an Art. 9 condition",
        mutate: |c| add_flow(c, "health"),
        expect: &[("/activities/0/data_flows/1/data_category", "special.condition_missing", E)],
    },
    Case {
        name: "health data with an Art. 9 condition",
        mutate: |c| {
            add_flow(c, "health");
            act(c).special_conditions.push(special(Art9Condition::EmploymentSocialSecurity, "Sygefravær."));
        },
        expect: &[],
    },
    Case {
        name: "a special category in two flows is reported once, at the first",
        mutate: |c| {
            add_flow(c, "health");
            act(c).data_flows.push(flow("health", "employees", &[]));
        },
        expect: &[("/activities/0/data_flows/1/data_category", "special.condition_missing", E)],
    },
    Case {
        name: "Art. 9 condition without a justification",
        mutate: |c| {
            add_flow(c, "health");
            act(c).special_conditions.push(special(Art9Condition::EmploymentSocialSecurity, ""));
        },
        expect: &[("/activities/0/special_conditions/0/justification", "special.justification_missing", E)],
    },
    Case {
        name: "an Art. 9 condition without special categories",
        mutate: |c| act(c).special_conditions.push(special(Art9Condition::ExplicitConsent, "Udtrykkeligt samtykke.")),
        expect: &[],
    },
    Case {
        name: "a national provision is no Art. 9 condition",
        mutate: |c| {
            add_flow(c, "health");
            act(c).national_provisions.push(national(NationalProvision::DkDbl12, "Ansættelsesforhold."));
        },
        expect: &[("/activities/0/data_flows/1/data_category", "special.condition_missing", E)],
    },
    Case {
        name: "DK: criminal-offence data without databeskyttelsesloven § 8",
        mutate: |c| add_flow(c, "criminal"),
        expect: &[("/activities/0/data_flows/1/data_category", "criminal.dk_basis_missing", E)],
    },
    Case {
        name: "DK: criminal-offence data with databeskyttelsesloven § 8",
        mutate: |c| {
            add_flow(c, "criminal");
            act(c).national_provisions.push(national(NationalProvision::DkDbl8, "Straffeattest ved ansættelse."));
        },
        expect: &[],
    },
    Case {
        name: "DK: criminal-offence data with the Norwegian provision only",
        mutate: |c| {
            add_flow(c, "criminal");
            act(c).national_provisions.push(national(NationalProvision::NoPol11, "Politiattest."));
        },
        expect: &[
            ("/activities/0/data_flows/1/data_category", "criminal.dk_basis_missing", E),
            ("/activities/0/national_provisions/0/provision", "national.wrong_country", W),
        ],
    },
    Case {
        name: "NO: criminal-offence data without personopplysningsloven § 11",
        mutate: |c| {
            norway(c);
            add_flow(c, "criminal");
        },
        expect: &[("/activities/0/data_flows/1/data_category", "criminal.no_basis_missing", E)],
    },
    Case {
        name: "NO: criminal-offence data with personopplysningsloven § 11",
        mutate: |c| {
            norway(c);
            add_flow(c, "criminal");
            act(c).national_provisions.push(national(NationalProvision::NoPol11, "Politiattest."));
        },
        expect: &[],
    },
    Case {
        name: "NO: criminal-offence data with the Danish provision only",
        mutate: |c| {
            norway(c);
            add_flow(c, "criminal");
            act(c).national_provisions.push(national(NationalProvision::DkDbl8, "Straffeattest."));
        },
        expect: &[
            ("/activities/0/data_flows/1/data_category", "criminal.no_basis_missing", E),
            ("/activities/0/national_provisions/0/provision", "national.wrong_country", W),
        ],
    },
    Case {
        name: "DK: CPR numbers without databeskyttelsesloven § 11, stk. 2",
        mutate: |c| add_flow(c, "cpr"),
        expect: &[("/activities/0/data_flows/1/data_category", "national_id.cpr_basis_missing", E)],
    },
    Case {
        name: "DK: CPR numbers with databeskyttelsesloven § 11, stk. 2",
        mutate: |c| {
            add_flow(c, "cpr");
            act(c).national_provisions.push(national(NationalProvision::DkDbl11, "Indberetning til SKAT."));
        },
        expect: &[],
    },
    Case {
        name: "DK: CPR numbers with § 12 (employment) only",
        mutate: |c| {
            add_flow(c, "cpr");
            act(c).national_provisions.push(national(NationalProvision::DkDbl12, "Ansættelsesforhold."));
        },
        expect: &[("/activities/0/data_flows/1/data_category", "national_id.cpr_basis_missing", E)],
    },
    Case {
        name: "NO: fødselsnummer without personopplysningsloven § 12",
        mutate: |c| {
            norway(c);
            add_flow(c, "cpr");
        },
        expect: &[("/activities/0/data_flows/1/data_category", "national_id.fnr_basis_missing", E)],
    },
    Case {
        name: "NO: fødselsnummer with personopplysningsloven § 12",
        mutate: |c| {
            norway(c);
            add_flow(c, "cpr");
            act(c).national_provisions.push(national(NationalProvision::NoPol12, "Sikker identifisering."));
        },
        expect: &[],
    },
    Case {
        name: "NO: fødselsnummer with the Danish CPR provision",
        mutate: |c| {
            norway(c);
            add_flow(c, "cpr");
            act(c).national_provisions.push(national(NationalProvision::DkDbl11, "CPR."));
        },
        expect: &[
            ("/activities/0/data_flows/1/data_category", "national_id.fnr_basis_missing", E),
            ("/activities/0/national_provisions/0/provision", "national.wrong_country", W),
        ],
    },
    Case {
        name: "DK organisation citing a Norwegian provision",
        mutate: |c| act(c).national_provisions.push(national(NationalProvision::NoPol12, "Sikker identifisering.")),
        expect: &[("/activities/0/national_provisions/0/provision", "national.wrong_country", W)],
    },
    Case {
        name: "NO organisation citing a Danish provision",
        mutate: |c| {
            norway(c);
            act(c).national_provisions.push(national(NationalProvision::DkDbl12, "Ansættelse."));
        },
        expect: &[("/activities/0/national_provisions/0/provision", "national.wrong_country", W)],
    },
    Case {
        name: "DK: employment provision with a justification",
        mutate: |c| {
            act(c).data_flows.push(flow("contact", "employees", &[]));
            act(c).national_provisions.push(national(NationalProvision::DkDbl12, "Ansættelsesforhold."));
        },
        expect: &[],
    },
    Case {
        name: "national provision without a justification",
        mutate: |c| {
            add_flow(c, "cpr");
            act(c).national_provisions.push(national(NationalProvision::DkDbl11, " "));
        },
        expect: &[("/activities/0/national_provisions/0/justification", "national.justification_missing", E)],
    },
    Case {
        name: "another country's provision without a justification",
        mutate: |c| act(c).national_provisions.push(national(NationalProvision::NoPol11, "")),
        expect: &[
            ("/activities/0/national_provisions/0/provision", "national.wrong_country", W),
            ("/activities/0/national_provisions/0/justification", "national.justification_missing", E),
        ],
    },
    Case {
        name: "a processor needs no Art. 9 condition or national provision",
        mutate: |c| {
            as_processor(c);
            add_flow(c, "health");
            add_flow(c, "criminal");
            add_flow(c, "cpr");
        },
        expect: &[],
    },
    Case {
        name: "a processor's recorded conditions and provisions are still checked",
        mutate: |c| {
            as_processor(c);
            add_flow(c, "health");
            act(c).special_conditions.push(special(Art9Condition::HealthOrSocialCare, ""));
            act(c).national_provisions.push(national(NationalProvision::NoPol12, ""));
        },
        expect: &[
            ("/activities/0/special_conditions/0/justification", "special.justification_missing", E),
            ("/activities/0/national_provisions/0/provision", "national.wrong_country", W),
            ("/activities/0/national_provisions/0/justification", "national.justification_missing", E),
        ],
    },
];

#[test]
fn category_bases() {
    run(CATEGORY_BASES);
}

// ---------------------------------------------------------------------------------------------
// Data flows (the data category × subject category × recipient links)

const FLOWS: &[Case] = &[
    Case {
        name: "unknown data category",
        mutate: |c| add_flow(c, "ghost"),
        expect: &[("/activities/0/data_flows/1/data_category", "flow.unknown_data_category", E)],
    },
    Case {
        name: "unknown subject category",
        mutate: |c| act(c).data_flows.push(flow("payment", "ghosts", &[])),
        expect: &[("/activities/0/data_flows/1/subject_category", "flow.unknown_subject_category", E)],
    },
    Case {
        name: "unknown recipient",
        mutate: |c| act(c).data_flows[0].recipients.push("ghost".into()),
        expect: &[("/activities/0/data_flows/0/recipients/1", "flow.unknown_recipient", E)],
    },
    Case {
        name: "everything unknown",
        mutate: |c| act(c).data_flows.push(flow("ghost", "ghosts", &["tax", "ghost"])),
        expect: &[
            ("/activities/0/data_flows/1/data_category", "flow.unknown_data_category", E),
            ("/activities/0/data_flows/1/subject_category", "flow.unknown_subject_category", E),
            ("/activities/0/data_flows/1/recipients/1", "flow.unknown_recipient", E),
        ],
    },
    Case {
        name: "the same data and subject category twice",
        mutate: |c| act(c).data_flows.push(flow("contact", "customers", &["tax"])),
        expect: &[("/activities/0/data_flows/1", "flow.duplicate", W)],
    },
    Case {
        name: "the same data category about other subjects",
        mutate: |c| act(c).data_flows.push(flow("contact", "employees", &["mail-host"])),
        expect: &[],
    },
    Case {
        name: "no data flows",
        mutate: |c| act(c).data_flows.clear(),
        expect: &[("/activities/0/data_flows", "flow.missing", E)],
    },
    Case {
        // Art. 30(2) does not ask a processor for categories of data or data subjects.
        name: "a processor activity without data flows",
        mutate: |c| {
            as_processor(c);
            act(c).data_flows.clear();
        },
        expect: &[("/activities/0/data_flows", "flow.missing", W)],
    },
    Case {
        name: "a joint controller activity without data flows",
        mutate: |c| {
            act(c).role = joint(&["Partner A/S"]);
            act(c).data_flows.clear();
        },
        expect: &[("/activities/0/data_flows", "flow.missing", E)],
    },
];

#[test]
fn flows() {
    run(FLOWS);
}

// ---------------------------------------------------------------------------------------------
// Data flows to recipients outside the EEA must be recorded as transfers

/// A complete DPF transfer to the US, to `recipient` or, with `None`, to no recipient in particular.
fn us_transfer(recipient: Option<&str>) -> Transfer {
    Transfer {
        recipient: recipient.map(Into::into),
        dpf_certified: Some(true),
        ..transfer("US", Some(TransferMechanism::DataPrivacyFramework))
    }
}

const UNDECLARED_TRANSFERS: &[Case] = &[
    Case {
        name: "a flow to a recipient outside the EEA without a transfer",
        mutate: |c| act(c).data_flows[0].recipients.push("us-cloud".into()),
        expect: &[("/activities/0/data_flows/0/recipients/1", "flow.transfer_undeclared", E)],
    },
    Case {
        name: "a transfer declared to the recipient",
        mutate: |c| {
            act(c).data_flows[0].recipients.push("us-cloud".into());
            add_transfer(c, us_transfer(Some("us-cloud")));
        },
        expect: &[],
    },
    Case {
        name: "a transfer declared to the country without a recipient",
        mutate: |c| {
            act(c).data_flows[0].recipients.push("us-cloud".into());
            add_transfer(c, us_transfer(None));
        },
        expect: &[],
    },
    Case {
        name: "a transfer declared to another country only",
        mutate: |c| {
            act(c).data_flows[0].recipients.push("us-cloud".into());
            add_transfer(c, transfer("JP", Some(TransferMechanism::Adequacy)));
        },
        expect: &[("/activities/0/data_flows/0/recipients/1", "flow.transfer_undeclared", E)],
    },
    Case {
        name: "a transfer to the country declared for another recipient",
        mutate: |c| {
            c.recipients.push(recipient("us-crm", "CRM i USA", RecipientKind::Processor, Some("US")));
            act(c).data_flows[0].recipients.push("us-cloud".into());
            add_transfer(c, us_transfer(Some("us-crm")));
        },
        expect: &[("/activities/0/data_flows/0/recipients/1", "flow.transfer_undeclared", E)],
    },
    Case {
        name: "a transfer declared in another activity does not count",
        mutate: |c| {
            let mut other = c.activities[0].clone();
            other.id = "hosting".into();
            other.transfers.push(us_transfer(Some("us-cloud")));
            c.activities.push(other);
            act(c).data_flows[0].recipients.push("us-cloud".into());
        },
        expect: &[("/activities/0/data_flows/0/recipients/1", "flow.transfer_undeclared", E)],
    },
    Case {
        name: "a recipient inside the EEA (EU)",
        mutate: |c| act(c).data_flows.push(flow("payment", "customers", &["mail-host"])),
        expect: &[],
    },
    Case {
        name: "a recipient inside the EEA (Norway, not EU)",
        mutate: |c| {
            c.recipients[1].country = Some("NO".into());
            act(c).data_flows[0].recipients.push("us-cloud".into());
        },
        expect: &[],
    },
    Case {
        name: "a recipient with no country",
        mutate: |c| act(c).data_flows[0].recipients.push("tax".into()),
        expect: &[],
    },
    Case {
        name: "a recipient with an empty country",
        mutate: |c| {
            c.recipients[1].country = Some(String::new());
            act(c).data_flows[0].recipients.push("us-cloud".into());
        },
        expect: &[],
    },
    Case {
        name: "a recipient with an invalid country is not reported as a transfer too",
        mutate: |c| {
            c.recipients[1].country = Some("usa".into());
            act(c).data_flows[0].recipients.push("us-cloud".into());
        },
        expect: &[("/recipients/1/country", "recipient.country_invalid", E)],
    },
    Case {
        name: "a recipient in two flows is reported once, at the first",
        mutate: |c| {
            act(c).data_flows[0].recipients.push("us-cloud".into());
            act(c).data_flows.push(flow("payment", "customers", &["tax", "us-cloud"]));
        },
        expect: &[("/activities/0/data_flows/0/recipients/1", "flow.transfer_undeclared", E)],
    },
    Case {
        name: "two undeclared recipients are reported each",
        mutate: |c| {
            c.recipients.push(recipient("in-support", "Support i Indien", RecipientKind::Processor, Some("IN")));
            act(c).data_flows.push(flow("payment", "customers", &["in-support", "mail-host", "us-cloud"]));
        },
        expect: &[
            ("/activities/0/data_flows/1/recipients/0", "flow.transfer_undeclared", E),
            ("/activities/0/data_flows/1/recipients/2", "flow.transfer_undeclared", E),
        ],
    },
    Case {
        name: "a processor's flows to a recipient outside the EEA are checked too",
        mutate: |c| {
            as_processor(c);
            act(c).data_flows[0].recipients.push("us-cloud".into());
        },
        expect: &[("/activities/0/data_flows/0/recipients/1", "flow.transfer_undeclared", E)],
    },
];

#[test]
fn undeclared_transfers() {
    run(UNDECLARED_TRANSFERS);
}

// ---------------------------------------------------------------------------------------------
// Third-country transfers (Chapter V)

const TRANSFERS: &[Case] = &[
    Case {
        name: "inside the EEA (EU)",
        mutate: |c| {
            add_transfer(
                c,
                Transfer { tia_done: true, ..transfer("DE", Some(TransferMechanism::StandardContractualClauses)) },
            )
        },
        expect: &[("/activities/0/transfers/0/country", "transfer.inside_eea", W)],
    },
    Case {
        name: "inside the EEA (Norway, from Denmark)",
        mutate: |c| add_transfer(c, transfer("NO", None)),
        expect: &[("/activities/0/transfers/0/country", "transfer.inside_eea", W)],
    },
    Case {
        name: "inside the EEA (Iceland, not EU)",
        mutate: |c| add_transfer(c, transfer("IS", None)),
        expect: &[("/activities/0/transfers/0/country", "transfer.inside_eea", W)],
    },
    Case {
        name: "outside the EEA without a mechanism",
        mutate: |c| add_transfer(c, transfer("US", None)),
        expect: &[("/activities/0/transfers/0/mechanism", "transfer.mechanism_missing", E)],
    },
    Case {
        name: "adequacy: Japan",
        mutate: |c| add_transfer(c, transfer("JP", Some(TransferMechanism::Adequacy))),
        expect: &[],
    },
    Case {
        name: "adequacy: United Kingdom",
        mutate: |c| add_transfer(c, transfer("GB", Some(TransferMechanism::Adequacy))),
        expect: &[],
    },
    Case {
        name: "adequacy: Switzerland",
        mutate: |c| add_transfer(c, transfer("CH", Some(TransferMechanism::Adequacy))),
        expect: &[],
    },
    Case {
        name: "adequacy to a country without a decision",
        mutate: |c| add_transfer(c, transfer("IN", Some(TransferMechanism::Adequacy))),
        expect: &[("/activities/0/transfers/0/mechanism", "transfer.not_adequate", E)],
    },
    Case {
        name: "adequacy to the US (only through the DPF)",
        mutate: |c| add_transfer(c, transfer("US", Some(TransferMechanism::Adequacy))),
        expect: &[("/activities/0/transfers/0/mechanism", "transfer.not_adequate", E)],
    },
    Case {
        name: "DPF to a certified US recipient",
        mutate: |c| {
            add_transfer(
                c,
                Transfer {
                    recipient: Some("us-cloud".into()),
                    dpf_certified: Some(true),
                    ..transfer("US", Some(TransferMechanism::DataPrivacyFramework))
                },
            )
        },
        expect: &[],
    },
    Case {
        name: "DPF to a recipient that is not certified",
        mutate: |c| {
            add_transfer(
                c,
                Transfer {
                    dpf_certified: Some(false),
                    ..transfer("US", Some(TransferMechanism::DataPrivacyFramework))
                },
            )
        },
        expect: &[("/activities/0/transfers/0/dpf_certified", "transfer.dpf_not_certified", E)],
    },
    Case {
        name: "DPF, certification unknown",
        mutate: |c| add_transfer(c, transfer("US", Some(TransferMechanism::DataPrivacyFramework))),
        expect: &[("/activities/0/transfers/0/dpf_certified", "transfer.dpf_certification_unknown", W)],
    },
    Case {
        name: "DPF to Canada",
        mutate: |c| {
            add_transfer(
                c,
                Transfer { dpf_certified: Some(true), ..transfer("CA", Some(TransferMechanism::DataPrivacyFramework)) },
            )
        },
        expect: &[("/activities/0/transfers/0/mechanism", "transfer.dpf_not_us", E)],
    },
    Case {
        name: "DPF to India, certification unknown",
        mutate: |c| add_transfer(c, transfer("IN", Some(TransferMechanism::DataPrivacyFramework))),
        expect: &[
            ("/activities/0/transfers/0/mechanism", "transfer.dpf_not_us", E),
            ("/activities/0/transfers/0/dpf_certified", "transfer.dpf_certification_unknown", W),
        ],
    },
    Case {
        name: "Art. 49 without the derogation",
        mutate: |c| add_transfer(c, transfer("IN", Some(TransferMechanism::Derogation))),
        expect: &[("/activities/0/transfers/0/derogation", "transfer.derogation_missing", E)],
    },
    Case {
        name: "Art. 49(1)(a) explicit consent",
        mutate: |c| {
            add_transfer(
                c,
                Transfer {
                    derogation: Some(Art49Derogation::ExplicitConsent),
                    ..transfer("IN", Some(TransferMechanism::Derogation))
                },
            )
        },
        expect: &[],
    },
    Case {
        name: "Art. 49(1)(b) contract, no safeguards needed",
        mutate: |c| {
            add_transfer(
                c,
                Transfer {
                    derogation: Some(Art49Derogation::Contract),
                    ..transfer("IN", Some(TransferMechanism::Derogation))
                },
            )
        },
        expect: &[],
    },
    Case {
        name: "Art. 49(1) second subparagraph without safeguards",
        mutate: |c| {
            add_transfer(
                c,
                Transfer {
                    derogation: Some(Art49Derogation::CompellingLegitimateInterests),
                    ..transfer("IN", Some(TransferMechanism::Derogation))
                },
            )
        },
        expect: &[("/activities/0/transfers/0/safeguards", "transfer.safeguards_missing", E)],
    },
    Case {
        name: "Art. 49(1) second subparagraph with blank safeguards",
        mutate: |c| {
            add_transfer(
                c,
                Transfer {
                    derogation: Some(Art49Derogation::CompellingLegitimateInterests),
                    safeguards: "  ".into(),
                    ..transfer("IN", Some(TransferMechanism::Derogation))
                },
            )
        },
        expect: &[("/activities/0/transfers/0/safeguards", "transfer.safeguards_missing", E)],
    },
    Case {
        name: "Art. 49(1) second subparagraph with safeguards",
        mutate: |c| {
            add_transfer(
                c,
                Transfer {
                    derogation: Some(Art49Derogation::CompellingLegitimateInterests),
                    safeguards: "Kun navn, kryptering, sletning efter 30 dage.".into(),
                    ..transfer("IN", Some(TransferMechanism::Derogation))
                },
            )
        },
        expect: &[],
    },
    Case {
        name: "SCC without a TIA",
        mutate: |c| add_transfer(c, transfer("IN", Some(TransferMechanism::StandardContractualClauses))),
        expect: &[("/activities/0/transfers/0/tia_done", "transfer.tia_missing", W)],
    },
    Case {
        name: "SCC with a TIA",
        mutate: |c| {
            add_transfer(
                c,
                Transfer { tia_done: true, ..transfer("IN", Some(TransferMechanism::StandardContractualClauses)) },
            )
        },
        expect: &[],
    },
    Case {
        name: "BCR without a TIA",
        mutate: |c| add_transfer(c, transfer("IN", Some(TransferMechanism::BindingCorporateRules))),
        expect: &[("/activities/0/transfers/0/tia_done", "transfer.tia_missing", W)],
    },
    Case {
        name: "BCR with a TIA",
        mutate: |c| {
            add_transfer(
                c,
                Transfer { tia_done: true, ..transfer("IN", Some(TransferMechanism::BindingCorporateRules)) },
            )
        },
        expect: &[],
    },
    Case {
        name: "country of three letters",
        mutate: |c| add_transfer(c, transfer("USA", Some(TransferMechanism::Adequacy))),
        expect: &[("/activities/0/transfers/0/country", "transfer.country_invalid", E)],
    },
    Case {
        name: "country in lower case",
        mutate: |c| add_transfer(c, transfer("us", None)),
        expect: &[("/activities/0/transfers/0/country", "transfer.country_invalid", E)],
    },
    Case {
        name: "country empty",
        mutate: |c| add_transfer(c, transfer("", None)),
        expect: &[("/activities/0/transfers/0/country", "transfer.country_missing", E)],
    },
    Case {
        name: "country blank",
        mutate: |c| add_transfer(c, transfer("  ", Some(TransferMechanism::Adequacy))),
        expect: &[("/activities/0/transfers/0/country", "transfer.country_missing", E)],
    },
    Case {
        name: "country empty and an unknown recipient",
        mutate: |c| add_transfer(c, Transfer { recipient: Some("ghost".into()), ..transfer("", None) }),
        expect: &[
            ("/activities/0/transfers/0/recipient", "transfer.unknown_recipient", E),
            ("/activities/0/transfers/0/country", "transfer.country_missing", E),
        ],
    },
    Case {
        name: "country with a digit",
        mutate: |c| add_transfer(c, transfer("U5", None)),
        expect: &[("/activities/0/transfers/0/country", "transfer.country_invalid", E)],
    },
    Case {
        name: "unknown recipient",
        mutate: |c| {
            add_transfer(
                c,
                Transfer { recipient: Some("ghost".into()), ..transfer("JP", Some(TransferMechanism::Adequacy)) },
            )
        },
        expect: &[("/activities/0/transfers/0/recipient", "transfer.unknown_recipient", E)],
    },
    Case {
        name: "unknown recipient and invalid country",
        mutate: |c| add_transfer(c, Transfer { recipient: Some("ghost".into()), ..transfer("usa", None) }),
        expect: &[
            ("/activities/0/transfers/0/recipient", "transfer.unknown_recipient", E),
            ("/activities/0/transfers/0/country", "transfer.country_invalid", E),
        ],
    },
    Case {
        name: "the second transfer's path",
        mutate: |c| {
            add_transfer(c, transfer("JP", Some(TransferMechanism::Adequacy)));
            add_transfer(c, transfer("BR", None));
        },
        expect: &[("/activities/0/transfers/1/mechanism", "transfer.mechanism_missing", E)],
    },
];

#[test]
fn transfers() {
    run(TRANSFERS);
}

/// The country lists load (a list that fails to parse is silently empty) and make sense.
#[test]
fn country_lists() {
    let (eea, adequacy) = (eea(), adequacy());
    assert_eq!(eea.countries.len(), 30, "EU 27 + IS, LI, NO");
    for code in ["DK", "NO", "IS", "LI", "SE", "DE"] {
        assert!(eea.countries.iter().any(|c| c == code), "{code} is in the EEA");
    }
    assert!(!adequacy.countries.is_empty());
    assert!(!adequacy.countries.iter().any(|c| c == "US"), "the US is adequate only through the DPF");
    assert!(adequacy.as_of > date(2024, 1, 1) && eea.as_of > date(2020, 1, 1), "as-of dates were read");
    for code in eea.countries.iter().chain(&adequacy.countries) {
        assert!(code.len() == 2 && code.chars().all(|c| c.is_ascii_uppercase()), "{code} is a country code");
    }
    for code in &adequacy.countries {
        assert!(!eea.countries.contains(code), "{code} is in both lists");
    }
    let issues = issues_of(|c| add_transfer(c, transfer("IN", Some(TransferMechanism::Adequacy))));
    assert_eq!(issues[0].params.get("as_of"), Some(&adequacy.as_of.to_string()));
}

// ---------------------------------------------------------------------------------------------
// Retention (Art. 30(1)(f))

const RETENTION: &[Case] = &[
    Case {
        name: "no retention rule",
        mutate: |c| act(c).retention.clear(),
        expect: &[("/activities/0/retention", "retention.missing", E)],
    },
    Case {
        name: "a processor activity without a retention rule",
        mutate: |c| {
            as_processor(c);
            act(c).retention.clear();
        },
        expect: &[("/activities/0/retention", "retention.missing", W)],
    },
    Case {
        name: "vague (\"as long as necessary\") on an active activity is a warning",
        mutate: |c| {
            act(c).retention = vec![RetentionRule {
                description: "Så længe det er nødvendigt.".into(),
                ..retention(&[], None, RetentionTrigger::EndOfRelationship)
            }]
        },
        expect: &[("/activities/0/retention/0/period", "retention.vague", W)],
    },
    Case {
        // Questionable: no period and no description either, i.e. nothing said, is only a
        // warning.
        name: "vague and undescribed",
        mutate: |c| act(c).retention = vec![retention(&[], None, RetentionTrigger::LastContact)],
        expect: &[("/activities/0/retention/0/period", "retention.vague", W)],
    },
    Case {
        name: "vague on a retired activity is a warning",
        mutate: |c| {
            act(c).status = ActivityStatus::Retired;
            act(c).retention[0].period = None;
        },
        expect: &[("/activities/0/retention/0/period", "retention.vague", W)],
    },
    Case {
        name: "a zero period",
        mutate: |c| act(c).retention[0].period = Some(Period::default()),
        expect: &[("/activities/0/retention/0/period", "retention.period_empty", E)],
    },
    Case {
        name: "one day is a period",
        mutate: |c| act(c).retention[0].period = Some(Period { days: 1, ..Period::default() }),
        expect: &[],
    },
    Case {
        name: "months only",
        mutate: |c| act(c).retention[0].period = Some(Period { months: 6, ..Period::default() }),
        expect: &[],
    },
    Case {
        name: "a data category no rule covers",
        mutate: |c| {
            act(c).retention[0].data_categories = vec!["contact".into()];
            add_flow(c, "payment");
        },
        expect: &[("/activities/0/retention", "retention.category_uncovered", W)],
    },
    Case {
        name: "an uncovered category in two flows is reported once",
        mutate: |c| {
            act(c).retention[0].data_categories = vec!["contact".into()];
            add_flow(c, "payment");
            act(c).data_flows.push(flow("payment", "employees", &[]));
        },
        expect: &[("/activities/0/retention", "retention.category_uncovered", W)],
    },
    Case {
        name: "every category covered by its own rule",
        mutate: |c| {
            act(c).retention[0].data_categories = vec!["contact".into()];
            add_flow(c, "payment");
            act(c).retention.push(retention(&["payment"], years(5), RetentionTrigger::EndOfFinancialYear));
        },
        expect: &[],
    },
    Case {
        name: "a catch-all rule beside a specific one",
        mutate: |c| {
            add_flow(c, "payment");
            act(c).retention.push(retention(&["payment"], years(5), RetentionTrigger::EndOfFinancialYear));
        },
        expect: &[],
    },
    Case {
        name: "an unknown category in a rule",
        mutate: |c| act(c).retention[0].data_categories = vec!["contact".into(), "ghost".into()],
        expect: &[("/activities/0/retention/0/data_categories/1", "retention.unknown_data_category", E)],
    },
    Case {
        name: "a flow to an unknown category is not reported as uncovered too",
        mutate: |c| {
            act(c).retention[0].data_categories = vec!["contact".into()];
            add_flow(c, "ghost");
        },
        expect: &[("/activities/0/data_flows/1/data_category", "flow.unknown_data_category", E)],
    },
    Case {
        name: "trigger \"other\" without a description",
        mutate: |c| act(c).retention[0].trigger = RetentionTrigger::Other,
        expect: &[("/activities/0/retention/0/description", "retention.trigger_undescribed", E)],
    },
    Case {
        name: "trigger \"other\" described",
        mutate: |c| {
            act(c).retention[0].trigger = RetentionTrigger::Other;
            act(c).retention[0].description = "Fra sagens afslutning.".into();
        },
        expect: &[],
    },
];

#[test]
fn retention_rules() {
    run(RETENTION);
}

// ---------------------------------------------------------------------------------------------
// Roles (Art. 26, Art. 30(2))

const ROLES: &[Case] = &[
    Case {
        name: "joint controller without parties",
        mutate: |c| act(c).role = joint(&[]),
        expect: &[("/activities/0/role/parties", "role.joint_parties_missing", E)],
    },
    Case {
        name: "joint controller with a named party",
        mutate: |c| act(c).role = joint(&["Partner A/S"]),
        expect: &[],
    },
    Case {
        name: "joint controller party without a name",
        mutate: |c| act(c).role = joint(&["Partner A/S", " "]),
        expect: &[("/activities/0/role/parties/1/name", "role.party_name_missing", E)],
    },
    Case { name: "a complete processor activity", mutate: as_processor, expect: &[] },
    Case {
        name: "processor without the controller's name",
        mutate: |c| {
            as_processor(c);
            if let Role::Processor { controller, .. } = &mut act(c).role {
                controller.name = String::new();
            }
        },
        expect: &[("/activities/0/role/controller/name", "role.controller_name_missing", E)],
    },
    Case {
        name: "processor without categories of processing",
        mutate: |c| {
            as_processor(c);
            if let Role::Processor { processing_categories, .. } = &mut act(c).role {
                processing_categories.clear();
            }
        },
        expect: &[("/activities/0/role/processing_categories", "role.processing_categories_missing", E)],
    },
    Case {
        name: "processor with only blank categories of processing",
        mutate: |c| {
            as_processor(c);
            if let Role::Processor { processing_categories, .. } = &mut act(c).role {
                *processing_categories = vec![" ".into(), String::new()];
            }
        },
        expect: &[("/activities/0/role/processing_categories", "role.processing_categories_missing", E)],
    },
    Case {
        name: "processor with one blank category beside a real one",
        mutate: |c| {
            as_processor(c);
            if let Role::Processor { processing_categories, .. } = &mut act(c).role {
                processing_categories.push(" ".into());
            }
        },
        expect: &[],
    },
];

#[test]
fn roles() {
    run(ROLES);
}

// ---------------------------------------------------------------------------------------------
// DPIA (Art. 35)

const DPIA: &[Case] = &[
    Case {
        name: "done without a date",
        mutate: |c| act(c).dpia.status = DpiaStatus::Done,
        expect: &[("/activities/0/dpia/done_on", "dpia.date_missing", E)],
    },
    Case {
        name: "done with a date",
        mutate: |c| {
            act(c).dpia.status = DpiaStatus::Done;
            act(c).dpia.done_on = Some(date(2025, 1, 10));
        },
        expect: &[],
    },
    Case {
        name: "one criterion, not required",
        mutate: |c| act(c).dpia.triggers = vec![DpiaTrigger::LargeScale],
        expect: &[],
    },
    Case {
        name: "two criteria, not required",
        mutate: |c| act(c).dpia.triggers = vec![DpiaTrigger::LargeScale, DpiaTrigger::NewTechnology],
        expect: &[("/activities/0/dpia/status", "dpia.likely_required", W)],
    },
    Case {
        name: "three criteria, not required",
        mutate: |c| {
            act(c).dpia.triggers =
                vec![DpiaTrigger::LargeScale, DpiaTrigger::NewTechnology, DpiaTrigger::SystematicMonitoring]
        },
        expect: &[("/activities/0/dpia/status", "dpia.likely_required", W)],
    },
    Case {
        name: "the same criterion twice counts once",
        mutate: |c| act(c).dpia.triggers = vec![DpiaTrigger::LargeScale, DpiaTrigger::LargeScale],
        expect: &[],
    },
    Case {
        name: "a repeated criterion beside another makes two",
        mutate: |c| {
            act(c).dpia.triggers = vec![DpiaTrigger::LargeScale, DpiaTrigger::NewTechnology, DpiaTrigger::LargeScale]
        },
        expect: &[("/activities/0/dpia/status", "dpia.likely_required", W)],
    },
    Case {
        name: "two criteria, required",
        mutate: |c| {
            act(c).dpia.triggers = vec![DpiaTrigger::LargeScale, DpiaTrigger::NewTechnology];
            act(c).dpia.status = DpiaStatus::Required;
        },
        expect: &[],
    },
    Case {
        name: "two criteria, in progress",
        mutate: |c| {
            act(c).dpia.triggers = vec![DpiaTrigger::LargeScale, DpiaTrigger::NewTechnology];
            act(c).dpia.status = DpiaStatus::InProgress;
        },
        expect: &[],
    },
    Case {
        name: "two criteria, done without a date",
        mutate: |c| {
            act(c).dpia.triggers = vec![DpiaTrigger::LargeScale, DpiaTrigger::NewTechnology];
            act(c).dpia.status = DpiaStatus::Done;
        },
        expect: &[("/activities/0/dpia/done_on", "dpia.date_missing", E)],
    },
];

#[test]
fn dpia() {
    run(DPIA);
}

// ---------------------------------------------------------------------------------------------
// Review (today is 2025-09-15; the baseline was reviewed 2025-03-01, so due 2026-03-01). A next
// review date counts only if it is after the last review; otherwise the last review + 12 months.

const REVIEW: &[Case] = &[
    Case {
        name: "next review yesterday",
        mutate: |c| act(c).review.next_review = Some(date(2025, 9, 14)),
        expect: &[("/activities/0/review/next_review", "review.overdue", W)],
    },
    Case { name: "next review today", mutate: |c| act(c).review.next_review = Some(date(2025, 9, 15)), expect: &[] },
    Case {
        name: "last reviewed 12 months and a day ago",
        mutate: |c| act(c).review.last_reviewed = Some(date(2024, 9, 14)),
        expect: &[("/activities/0/review/next_review", "review.overdue", W)],
    },
    Case {
        name: "last reviewed exactly 12 months ago",
        mutate: |c| act(c).review.last_reviewed = Some(date(2024, 9, 15)),
        expect: &[],
    },
    Case {
        name: "last reviewed on a leap day (due 28 February)",
        mutate: |c| act(c).review.last_reviewed = Some(date(2024, 2, 29)),
        expect: &[("/activities/0/review/next_review", "review.overdue", W)],
    },
    Case { name: "never reviewed", mutate: |c| act(c).review = Review::default(), expect: &[] },
    Case {
        name: "a next review set in the future wins over an old last review",
        mutate: |c| {
            act(c).review = Review { last_reviewed: Some(date(2020, 1, 1)), next_review: Some(date(2026, 1, 1)) }
        },
        expect: &[],
    },
    Case {
        name: "a stale next review before a recent last review is ignored (due 2026-06-01)",
        mutate: |c| {
            act(c).review = Review { last_reviewed: Some(date(2025, 6, 1)), next_review: Some(date(2025, 1, 1)) }
        },
        expect: &[],
    },
    Case {
        name: "a stale next review before an old last review: due 12 months after it (2025-06-01)",
        mutate: |c| {
            act(c).review = Review { last_reviewed: Some(date(2024, 6, 1)), next_review: Some(date(2024, 1, 1)) }
        },
        expect: &[("/activities/0/review/next_review", "review.overdue", W)],
    },
    Case {
        name: "a next review on the day of the last review is ignored",
        mutate: |c| act(c).review.next_review = Some(date(2025, 3, 1)),
        expect: &[],
    },
    Case {
        name: "a next review the day after the last review counts",
        mutate: |c| act(c).review.next_review = Some(date(2025, 3, 2)),
        expect: &[("/activities/0/review/next_review", "review.overdue", W)],
    },
    Case {
        name: "never reviewed, next review passed",
        mutate: |c| act(c).review = Review { last_reviewed: None, next_review: Some(date(2025, 1, 1)) },
        expect: &[("/activities/0/review/next_review", "review.overdue", W)],
    },
    Case {
        name: "a retired activity is not due for review",
        mutate: |c| {
            act(c).status = ActivityStatus::Retired;
            act(c).review.next_review = Some(date(2025, 6, 1));
        },
        expect: &[],
    },
];

#[test]
fn review() {
    run(REVIEW);
}

// ---------------------------------------------------------------------------------------------
// Drafts: legal-content errors become warnings; integrity errors stay errors

const DRAFTS: &[Case] = &[
    Case { name: "a complete draft", mutate: as_draft, expect: &[] },
    Case {
        name: "a new, empty draft beside the baseline",
        mutate: |c| c.activities.push(Activity::draft("new", "Ny aktivitet")),
        expect: &[
            ("/activities/1/purposes", "activity.purpose_missing", W),
            ("/activities/1/legal_bases", "legal_basis.missing", W),
            ("/activities/1/data_flows", "flow.missing", W),
            ("/activities/1/retention", "retention.missing", W),
        ],
    },
    Case {
        name: "draft without an id",
        mutate: |c| {
            as_draft(c);
            act(c).id = String::new();
        },
        expect: &[("/activities/0/id", "activity.id_missing", E)],
    },
    Case {
        name: "draft without a name",
        mutate: |c| {
            as_draft(c);
            act(c).name = " ".into();
        },
        expect: &[("/activities/0/name", "activity.name_missing", E)],
    },
    Case {
        name: "draft with a duplicate id",
        mutate: |c| {
            let mut copy = c.activities[0].clone();
            copy.status = ActivityStatus::Draft;
            c.activities.push(copy);
        },
        expect: &[("/activities/1/id", "activity.id_duplicate", E)],
    },
    Case {
        name: "draft with an unknown data category",
        mutate: |c| {
            as_draft(c);
            add_flow(c, "ghost");
        },
        expect: &[("/activities/0/data_flows/1/data_category", "flow.unknown_data_category", E)],
    },
    Case {
        name: "draft with an unknown subject category",
        mutate: |c| {
            as_draft(c);
            act(c).data_flows.push(flow("payment", "ghosts", &[]));
        },
        expect: &[("/activities/0/data_flows/1/subject_category", "flow.unknown_subject_category", E)],
    },
    Case {
        name: "draft with an unknown flow recipient",
        mutate: |c| {
            as_draft(c);
            act(c).data_flows[0].recipients.push("ghost".into());
        },
        expect: &[("/activities/0/data_flows/0/recipients/1", "flow.unknown_recipient", E)],
    },
    Case {
        name: "draft with an unknown category in a retention rule",
        mutate: |c| {
            as_draft(c);
            act(c).retention[0].data_categories = vec!["ghost".into()];
        },
        expect: &[
            ("/activities/0/retention/0/data_categories/0", "retention.unknown_data_category", E),
            ("/activities/0/retention", "retention.category_uncovered", W),
        ],
    },
    Case {
        name: "draft with an unknown transfer recipient",
        mutate: |c| {
            as_draft(c);
            add_transfer(
                c,
                Transfer { recipient: Some("ghost".into()), ..transfer("JP", Some(TransferMechanism::Adequacy)) },
            );
        },
        expect: &[("/activities/0/transfers/0/recipient", "transfer.unknown_recipient", E)],
    },
    Case {
        name: "draft with an invalid transfer country",
        mutate: |c| {
            as_draft(c);
            add_transfer(c, transfer("usa", None));
        },
        expect: &[("/activities/0/transfers/0/country", "transfer.country_invalid", E)],
    },
    Case {
        name: "draft with a transfer without a country",
        mutate: |c| {
            as_draft(c);
            add_transfer(c, transfer("", None));
        },
        expect: &[("/activities/0/transfers/0/country", "transfer.country_missing", E)],
    },
    Case {
        name: "draft: a flow to a recipient outside the EEA without a transfer",
        mutate: |c| {
            as_draft(c);
            act(c).data_flows[0].recipients.push("us-cloud".into());
        },
        expect: &[("/activities/0/data_flows/0/recipients/1", "flow.transfer_undeclared", W)],
    },
    Case {
        name: "draft: a processor without data flows",
        mutate: |c| {
            as_draft(c);
            as_processor(c);
            act(c).data_flows.clear();
        },
        expect: &[("/activities/0/data_flows", "flow.missing", W)],
    },
    Case {
        name: "draft: a blank purpose",
        mutate: |c| {
            as_draft(c);
            act(c).purposes = vec![" ".into()];
        },
        expect: &[("/activities/0/purposes/0", "activity.purpose_empty", W)],
    },
    Case {
        name: "draft: legal obligation without the law",
        mutate: |c| {
            as_draft(c);
            act(c).legal_bases = vec![basis(Art6Basis::LegalObligation, ""), basis(Art6Basis::Consent, "Samtykke.")];
        },
        expect: &[
            ("/activities/0/legal_bases/0/law", "legal_basis.law_missing", W),
            ("/activities/0/legal_bases/0/justification", "legal_basis.justification_missing", W),
            ("/activities/0/legal_bases/1/withdrawal", "legal_basis.withdrawal_missing", W),
        ],
    },
    Case {
        name: "draft: special, criminal and CPR data without bases",
        mutate: |c| {
            as_draft(c);
            add_flow(c, "health");
            add_flow(c, "criminal");
            add_flow(c, "cpr");
        },
        expect: &[
            ("/activities/0/data_flows/1/data_category", "special.condition_missing", W),
            ("/activities/0/data_flows/2/data_category", "criminal.dk_basis_missing", W),
            ("/activities/0/data_flows/3/data_category", "national_id.cpr_basis_missing", W),
        ],
    },
    Case {
        name: "draft: transfers without a proper mechanism",
        mutate: |c| {
            as_draft(c);
            add_transfer(c, transfer("US", None));
            add_transfer(c, transfer("IN", Some(TransferMechanism::Adequacy)));
            add_transfer(
                c,
                Transfer {
                    dpf_certified: Some(false),
                    ..transfer("CA", Some(TransferMechanism::DataPrivacyFramework))
                },
            );
            add_transfer(c, transfer("IN", Some(TransferMechanism::Derogation)));
        },
        expect: &[
            ("/activities/0/transfers/0/mechanism", "transfer.mechanism_missing", W),
            ("/activities/0/transfers/1/mechanism", "transfer.not_adequate", W),
            ("/activities/0/transfers/2/mechanism", "transfer.dpf_not_us", W),
            ("/activities/0/transfers/2/dpf_certified", "transfer.dpf_not_certified", W),
            ("/activities/0/transfers/3/derogation", "transfer.derogation_missing", W),
        ],
    },
    Case {
        name: "draft: roles, Art. 22, DPIA and retention",
        mutate: |c| {
            as_draft(c);
            act(c).role = joint(&[]);
            act(c).automated_decision = Some(String::new());
            act(c).dpia.status = DpiaStatus::Done;
            act(c).retention[0].period = Some(Period::default());
            act(c).retention[0].trigger = RetentionTrigger::Other;
        },
        expect: &[
            ("/activities/0/role/parties", "role.joint_parties_missing", W),
            ("/activities/0/automated_decision", "activity.automated_decision_undescribed", W),
            ("/activities/0/dpia/done_on", "dpia.date_missing", W),
            ("/activities/0/retention/0/period", "retention.period_empty", W),
            ("/activities/0/retention/0/description", "retention.trigger_undescribed", W),
        ],
    },
    Case {
        name: "draft: a processor without its controller",
        mutate: |c| {
            as_draft(c);
            act(c).role = Role::Processor {
                controller: ControllerRef {
                    name: String::new(),
                    business_id: String::new(),
                    country: String::new(),
                    contact: Contact::default(),
                },
                processing_categories: Vec::new(),
            };
        },
        expect: &[
            ("/activities/0/role/controller/name", "role.controller_name_missing", W),
            ("/activities/0/role/processing_categories", "role.processing_categories_missing", W),
        ],
    },
    Case {
        name: "draft: national provision without a justification",
        mutate: |c| {
            as_draft(c);
            act(c).special_conditions.push(special(Art9Condition::ExplicitConsent, ""));
            act(c).national_provisions.push(national(NationalProvision::DkDbl8, ""));
        },
        expect: &[
            ("/activities/0/special_conditions/0/justification", "special.justification_missing", W),
            ("/activities/0/national_provisions/0/justification", "national.justification_missing", W),
        ],
    },
    Case {
        name: "draft: overdue review stays a warning",
        mutate: |c| {
            as_draft(c);
            act(c).review.next_review = Some(date(2025, 9, 1));
        },
        expect: &[("/activities/0/review/next_review", "review.overdue", W)],
    },
    Case {
        name: "a draft does not soften organisation or catalog errors",
        mutate: |c| {
            as_draft(c);
            c.organisation.business_id = "24256791".into();
            c.recipients.push(recipient("tax", "SKAT", RecipientKind::Authority, Some("dk")));
        },
        expect: &[
            ("/organisation/business_id", "organisation.cvr_invalid", E),
            ("/recipients/3/id", "catalog.id_duplicate", E),
            ("/recipients/3/country", "recipient.country_invalid", E),
        ],
    },
    Case {
        name: "a retired activity keeps its errors",
        mutate: |c| {
            act(c).status = ActivityStatus::Retired;
            act(c).legal_bases.clear();
        },
        expect: &[("/activities/0/legal_bases", "legal_basis.missing", E)],
    },
];

#[test]
fn drafts() {
    run(DRAFTS);
}

// ---------------------------------------------------------------------------------------------
// Parameters: what the messages' placeholders are filled with

struct ParamCase {
    mutate: fn(&mut RegisterContent),
    code: &'static str,
    params: &'static [(&'static str, &'static str)],
}

const PARAMS: &[ParamCase] = &[
    ParamCase {
        mutate: |c| c.data_categories.push(data_category("contact", "Kontakt", DataKind::General, None)),
        code: "catalog.id_duplicate",
        params: &[("id", "contact")],
    },
    ParamCase { mutate: |c| c.organisation.business_id = "1".into(), code: "organisation.cvr_invalid", params: &[] },
    ParamCase { mutate: |c| c.organisation.business_id = String::new(), code: "organisation.cvr_missing", params: &[] },
    ParamCase {
        mutate: |c| {
            norway(c);
            c.organisation.business_id = String::new();
        },
        code: "organisation.orgnr_missing",
        params: &[],
    },
    ParamCase {
        mutate: |c| c.recipients[0].country = Some("ie".into()),
        code: "recipient.country_invalid",
        params: &[("country", "ie")],
    },
    ParamCase {
        mutate: |c| act(c).legal_bases.push(basis(Art6Basis::Contract, "Igen.")),
        code: "legal_basis.duplicate",
        params: &[("article", "6-1-b")],
    },
    ParamCase {
        mutate: |c| act(c).legal_bases[0].justification = String::new(),
        code: "legal_basis.justification_missing",
        params: &[("article", "6-1-b")],
    },
    ParamCase {
        mutate: |c| act(c).legal_bases = vec![basis(Art6Basis::LegitimateInterests, "")],
        code: "legal_basis.balancing_missing",
        params: &[("article", "6-1-f")],
    },
    ParamCase {
        mutate: |c| act(c).legal_bases.push(basis(Art6Basis::LegalObligation, "Bogføring.")),
        code: "legal_basis.law_missing",
        params: &[("article", "6-1-c")],
    },
    ParamCase {
        mutate: |c| act(c).legal_bases.push(basis(Art6Basis::PublicTask, "Myndighedsudøvelse.")),
        code: "legal_basis.law_missing",
        params: &[("article", "6-1-e")],
    },
    ParamCase {
        mutate: |c| act(c).legal_bases.push(LegalBasis { law: "Lov.".into(), ..basis(Art6Basis::PublicTask, "") }),
        code: "legal_basis.justification_missing",
        params: &[("article", "6-1-e")],
    },
    ParamCase {
        mutate: |c| add_flow(c, "health"),
        code: "special.condition_missing",
        params: &[("category", "health")],
    },
    ParamCase {
        mutate: |c| act(c).special_conditions.push(special(Art9Condition::EmploymentSocialSecurity, "")),
        code: "special.justification_missing",
        params: &[("article", "9-2-b")],
    },
    ParamCase {
        mutate: |c| add_flow(c, "criminal"),
        code: "criminal.dk_basis_missing",
        params: &[("category", "criminal"), ("provision", "dk-dbl-8")],
    },
    ParamCase {
        mutate: |c| {
            norway(c);
            add_flow(c, "criminal");
        },
        code: "criminal.no_basis_missing",
        params: &[("category", "criminal"), ("provision", "no-pol-11")],
    },
    ParamCase {
        mutate: |c| add_flow(c, "cpr"),
        code: "national_id.cpr_basis_missing",
        params: &[("category", "cpr"), ("provision", "dk-dbl-11-2")],
    },
    ParamCase {
        mutate: |c| {
            norway(c);
            add_flow(c, "cpr");
        },
        code: "national_id.fnr_basis_missing",
        params: &[("category", "cpr"), ("provision", "no-pol-12")],
    },
    ParamCase {
        mutate: |c| act(c).national_provisions.push(national(NationalProvision::NoPol12, "Identifisering.")),
        code: "national.wrong_country",
        params: &[("provision", "no-pol-12")],
    },
    ParamCase { mutate: |c| add_flow(c, "ghost"), code: "flow.unknown_data_category", params: &[("id", "ghost")] },
    ParamCase {
        mutate: |c| act(c).data_flows.push(flow("payment", "ghosts", &[])),
        code: "flow.unknown_subject_category",
        params: &[("id", "ghosts")],
    },
    ParamCase {
        mutate: |c| act(c).data_flows[0].recipients.push("ghost".into()),
        code: "flow.unknown_recipient",
        params: &[("id", "ghost")],
    },
    ParamCase {
        mutate: |c| act(c).data_flows[0].recipients.push("us-cloud".into()),
        code: "flow.transfer_undeclared",
        params: &[("id", "us-cloud"), ("country", "US")],
    },
    ParamCase { mutate: |c| add_transfer(c, transfer("", None)), code: "transfer.country_missing", params: &[] },
    ParamCase {
        mutate: |c| add_transfer(c, transfer("SE", None)),
        code: "transfer.inside_eea",
        params: &[("country", "SE")],
    },
    ParamCase {
        mutate: |c| add_transfer(c, transfer("US", None)),
        code: "transfer.mechanism_missing",
        params: &[("country", "US")],
    },
    ParamCase {
        mutate: |c| add_transfer(c, transfer("usa", None)),
        code: "transfer.country_invalid",
        params: &[("country", "usa")],
    },
    ParamCase {
        mutate: |c| add_transfer(c, transfer("CA", Some(TransferMechanism::DataPrivacyFramework))),
        code: "transfer.dpf_not_us",
        params: &[("country", "CA")],
    },
    ParamCase {
        mutate: |c| add_transfer(c, Transfer { recipient: Some("ghost".into()), ..transfer("JP", None) }),
        code: "transfer.unknown_recipient",
        params: &[("id", "ghost")],
    },
    ParamCase {
        mutate: |c| act(c).retention[0].data_categories = vec!["ghost".into()],
        code: "retention.unknown_data_category",
        params: &[("id", "ghost")],
    },
    ParamCase {
        mutate: |c| {
            act(c).retention[0].data_categories = vec!["contact".into()];
            add_flow(c, "payment");
        },
        code: "retention.category_uncovered",
        params: &[("id", "payment")],
    },
    ParamCase {
        mutate: |c| act(c).review.last_reviewed = Some(date(2024, 2, 29)),
        code: "review.overdue",
        params: &[("date", "2025-02-28")],
    },
    ParamCase {
        mutate: |c| {
            act(c).review = Review { last_reviewed: Some(date(2024, 6, 1)), next_review: Some(date(2024, 1, 1)) }
        },
        code: "review.overdue",
        params: &[("date", "2025-06-01")],
    },
    ParamCase {
        mutate: |c| act(c).dpia.triggers = vec![DpiaTrigger::LargeScale, DpiaTrigger::EvaluationScoring],
        code: "dpia.likely_required",
        params: &[("count", "2")],
    },
    ParamCase {
        mutate: |c| {
            act(c).dpia.triggers = vec![
                DpiaTrigger::LargeScale,
                DpiaTrigger::EvaluationScoring,
                DpiaTrigger::LargeScale,
                DpiaTrigger::EvaluationScoring,
            ]
        },
        code: "dpia.likely_required",
        params: &[("count", "2")],
    },
];

#[test]
fn issue_params() {
    let mut failures = Vec::new();
    for case in PARAMS {
        let want: BTreeMap<String, String> =
            case.params.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        let found: Vec<_> = issues_of(case.mutate).into_iter().filter(|i| i.code == case.code).collect();
        match found.as_slice() {
            [issue] if issue.params == want => {}
            _ => failures.push(format!("{}: expected one issue with {want:?}, got {found:?}", case.code)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// Fixed bugs, kept as regression tests

#[test]
fn blank_activity_ids_are_not_duplicates() {
    run(&[Case {
        name: "two activities with a blank id",
        mutate: |c| {
            act(c).id = " ".into();
            let copy = c.activities[0].clone();
            c.activities.push(copy);
        },
        expect: &[("/activities/0/id", "activity.id_missing", E), ("/activities/1/id", "activity.id_missing", E)],
    }]);
}

#[test]
fn a_repeated_dpia_criterion_counts_once() {
    run(&[Case {
        name: "the same DPIA criterion twice",
        mutate: |c| act(c).dpia.triggers = vec![DpiaTrigger::LargeScale, DpiaTrigger::LargeScale],
        expect: &[],
    }]);
}

// ---------------------------------------------------------------------------------------------
// Coverage: every code of the rules has a case

const TABLES: &[&[Case]] = &[
    ORGANISATION,
    CATALOGS,
    ACTIVITY,
    LEGAL_BASES,
    CATEGORY_BASES,
    FLOWS,
    UNDECLARED_TRANSFERS,
    TRANSFERS,
    RETENTION,
    ROLES,
    DPIA,
    REVIEW,
    DRAFTS,
];

fn all_cases() -> impl Iterator<Item = &'static Case> {
    TABLES.iter().flat_map(|table| table.iter())
}

/// The codes the rules can produce: every string literal in `validation.rs` shaped like
/// `group.name`.
fn codes_in_rules() -> BTreeSet<&'static str> {
    include_str!("../../src/validation.rs")
        .split('"')
        .skip(1)
        .step_by(2)
        .filter(|s| {
            s.split_once('.').is_some_and(|(group, name)| !group.is_empty() && !name.is_empty() && !name.contains('.'))
                && s.chars().all(|c| c.is_ascii_lowercase() || c == '_' || c == '.')
        })
        .collect()
}

#[test]
fn every_code_has_a_case() {
    let rules = codes_in_rules();
    assert!(rules.len() > 50, "found only {} codes in validation.rs: {rules:?}", rules.len());
    let covered: BTreeSet<&str> = all_cases()
        .flat_map(|case| case.expect.iter().map(|(_, code, _)| *code))
        .chain(BREACHES.iter().flat_map(|case| case.expect.iter().map(|(_, code, _)| *code)))
        .chain(PROCESSORS.iter().flat_map(|case| case.expect.iter().map(|(_, code, _)| *code)))
        .chain(RECORDING_POLICIES.iter().flat_map(|case| case.expect.iter().map(|(_, code, _)| *code)))
        .collect();
    let missing: Vec<_> = rules.difference(&covered).collect();
    assert!(missing.is_empty(), "codes without a case: {missing:?}");
    let unknown: Vec<_> = covered.difference(&rules).collect();
    assert!(unknown.is_empty(), "cases expect codes the rules do not have: {unknown:?}");
}

// ---------------------------------------------------------------------------------------------
// The message catalog

const LANGUAGES: [Language; 3] = [Language::English, Language::Danish, Language::NorwegianBokmal];

fn placeholders(message: &str) -> BTreeSet<&str> {
    message
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .filter(|name| !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .collect()
}

/// Every issue the cases produce, with the case's name.
fn produced_issues() -> Vec<(&'static str, Issue)> {
    all_cases()
        .flat_map(|case| issues_of(case.mutate).into_iter().map(move |issue| (case.name, issue)))
        .chain(BREACHES.iter().flat_map(|case| breach_issues(case.mutate).into_iter().map(move |i| (case.name, i))))
        .chain(
            PROCESSORS.iter().flat_map(|case| processor_issues(case.mutate).into_iter().map(move |i| (case.name, i))),
        )
        .chain(
            RECORDING_POLICIES
                .iter()
                .flat_map(|case| recording_policy_issues(case.mutate).into_iter().map(move |i| (case.name, i))),
        )
        .collect()
}

#[test]
fn catalogs_parse_without_duplicate_keys() {
    for language in LANGUAGES {
        let parsed: BTreeMap<String, String> =
            serde_json::from_str(source(language)).expect("the catalog is a flat JSON object of strings");
        // One entry per line: a key given twice would silently replace the first.
        let entries = source(language).lines().filter(|line| line.trim_start().starts_with('"')).count();
        assert_eq!(parsed.len(), entries, "{language:?}: a key appears twice");
        assert_eq!(messages(language).len(), parsed.len(), "{language:?}");
    }
}

#[test]
fn every_key_is_in_every_language_with_the_same_placeholders() {
    let english = messages(Language::English);
    let mut failures = Vec::new();
    for language in [Language::Danish, Language::NorwegianBokmal] {
        let other = messages(language);
        for (key, message) in english {
            match other.get(key) {
                None => failures.push(format!("{language:?} lacks {key}")),
                Some(translated) if placeholders(translated) != placeholders(message) => failures.push(format!(
                    "{language:?} {key}: placeholders {:?}, English has {:?}",
                    placeholders(translated),
                    placeholders(message)
                )),
                Some(_) => {}
            }
        }
        for key in other.keys().filter(|key| !english.contains_key(*key)) {
            failures.push(format!("{language:?} has {key}, English does not"));
        }
    }
    failures.sort();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn issue_messages_are_the_codes_of_the_rules() {
    let rules: BTreeSet<String> = codes_in_rules().into_iter().map(|code| format!("issue.{code}")).collect();
    for language in LANGUAGES {
        let keys: BTreeSet<String> = messages(language).keys().filter(|k| k.starts_with("issue.")).cloned().collect();
        let missing: Vec<_> = rules.difference(&keys).collect();
        let unused: Vec<_> = keys.difference(&rules).collect();
        assert!(missing.is_empty() && unused.is_empty(), "{language:?}: missing {missing:?}, unused {unused:?}");
    }
}

#[test]
fn every_produced_issue_has_a_translated_message() {
    let english = messages(Language::English);
    for (case, issue) in produced_issues() {
        let key = format!("issue.{}", issue.code);
        for language in LANGUAGES {
            let message = messages(language).get(&key);
            assert!(message.is_some_and(|m| !m.trim().is_empty()), "{language:?} lacks {key} (case `{case}`)");
            if language != Language::English {
                assert_ne!(message, english.get(&key), "{language:?} {key} is not translated");
            }
        }
    }
}

/// A placeholder without a parameter would show as `{name}` to the user.
#[test]
fn every_placeholder_of_an_issue_message_is_filled() {
    let mut failures = BTreeSet::new();
    for (case, issue) in produced_issues() {
        let message = &messages(Language::English)[&format!("issue.{}", issue.code)];
        for name in placeholders(message) {
            if !issue.params.contains_key(name) {
                failures.insert(format!("{} lacks the parameter {name} (case `{case}`)", issue.code));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.into_iter().collect::<Vec<_>>().join("\n"));
}

/// `(code, param)` pairs whose parameter the English message does not show.
fn params_missing_from_messages() -> BTreeSet<(String, String)> {
    let mut gaps = BTreeSet::new();
    for (_, issue) in produced_issues() {
        let message = &messages(Language::English)[&format!("issue.{}", issue.code)];
        for name in issue.params.keys() {
            if !placeholders(message).contains(name.as_str()) {
                gaps.insert((issue.code.clone(), name.clone()));
            }
        }
    }
    gaps
}

/// A parameter that the message does not show is of no use to the reader.
#[test]
fn every_issue_param_appears_in_its_message() {
    let gaps = params_missing_from_messages();
    assert!(gaps.is_empty(), "parameters the English message does not show: {gaps:?}");
}

// ---------------------------------------------------------------------------------------------
// The breach log
//
// Every case starts from the baseline register and one complete, closed breach (found by staff,
// assessed as a risk, notified 20 hours after awareness), applies one mutation to the log, and
// states every issue that must follow. Paths are those of the interchange document.

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).expect("a valid time").with_timezone(&Utc)
}

/// When the baseline breach became known.
fn aware() -> DateTime<Utc> {
    utc("2025-09-05T14:00:00Z")
}

fn hours(n: i64) -> TimeDelta {
    TimeDelta::hours(n)
}

fn baseline_breach() -> Breach {
    Breach {
        id: "2025-001".into(),
        description: "En ordrebekræftelse blev sendt til en anden kunde.".into(),
        happened_from: Some(aware() - hours(30)),
        happened_to: Some(aware() - hours(2)),
        nature: vec![BreachNature::Confidentiality],
        cause: "Fejl i mailskabelonen.".into(),
        data_categories: vec!["contact".into()],
        subject_categories: vec!["customers".into()],
        approx_subjects: Some(1),
        approx_records: Some(1),
        consequences: "Én anden kunde har set navn og adresse.".into(),
        risk: Some(RiskAssessment {
            level: RiskLevel::Risk,
            reasons: "Almindelige oplysninger om én kunde.".into(),
            assessed_at: aware() + hours(2),
        }),
        measures_taken: "Modtageren har slettet mailen.".into(),
        activities: vec!["customer-admin".into()],
        notices: vec![AuthorityNotice {
            at: aware() + hours(20),
            phase: NoticePhase::Initial,
            case_number: "2025-431-0001".into(),
            new_information: String::new(),
        }],
        closed_at: Some(aware() + hours(240)),
        ..Breach::new("Mail til forkert kunde", aware(), BreachFinder::Staff)
    }
}

fn baseline_log() -> BreachLog {
    BreachLog { settings: BreachSettings::default(), breaches: vec![baseline_breach()] }
}

fn br(log: &mut BreachLog) -> &mut Breach {
    &mut log.breaches[0]
}

fn open(log: &mut BreachLog) {
    br(log).closed_at = None;
}

fn high_risk(log: &mut BreachLog) {
    br(log).risk.as_mut().expect("risk").level = RiskLevel::HighRisk;
}

fn supplement(at: DateTime<Utc>, new_information: &str) -> AuthorityNotice {
    AuthorityNotice {
        at,
        phase: NoticePhase::Supplement,
        case_number: "2025-431-0001".into(),
        new_information: new_information.into(),
    }
}

struct BreachCase {
    name: &'static str,
    mutate: fn(&mut BreachLog),
    expect: Expected,
}

fn breach_issues(mutate: fn(&mut BreachLog)) -> Vec<Issue> {
    let mut log = baseline_log();
    mutate(&mut log);
    validate_breach_log(&baseline(), &log)
}

fn check_breach(case: &BreachCase) -> Result<(), String> {
    let mut got: Vec<(String, String, &str)> =
        breach_issues(case.mutate).into_iter().map(|i| (i.path, i.code, severity(i.severity))).collect();
    let mut want: Vec<(String, String, &str)> =
        case.expect.iter().map(|(p, c, s)| ((*p).to_owned(), (*c).to_owned(), severity(*s))).collect();
    got.sort();
    want.sort();
    if got == want { Ok(()) } else { Err(format!("case `{}`:\n  expected {want:?}\n  got      {got:?}", case.name)) }
}

const BREACHES: &[BreachCase] = &[
    BreachCase { name: "the baseline breach", mutate: |_| {}, expect: &[] },
    BreachCase { name: "the baseline breach, still open", mutate: open, expect: &[] },
    // Integrity: errors at every stage.
    BreachCase {
        name: "no id",
        mutate: |l| br(l).id = " ".into(),
        expect: &[("/breaches/0/id", "breach.id_missing", E)],
    },
    BreachCase {
        name: "two breaches with one id",
        mutate: |l| {
            let copy = l.breaches[0].clone();
            l.breaches.push(copy);
        },
        expect: &[("/breaches/1/id", "breach.id_duplicate", E)],
    },
    BreachCase {
        name: "no title, on an open breach",
        mutate: |l| {
            open(l);
            br(l).title = String::new();
        },
        expect: &[("/breaches/0/title", "breach.title_missing", E)],
    },
    BreachCase {
        name: "an unknown data category",
        mutate: |l| br(l).data_categories.push("nope".into()),
        expect: &[("/breaches/0/data_categories/1", "breach.unknown_data_category", E)],
    },
    BreachCase {
        name: "an unknown subject category",
        mutate: |l| br(l).subject_categories = vec!["nope".into()],
        expect: &[("/breaches/0/subject_categories/0", "breach.unknown_subject_category", E)],
    },
    BreachCase {
        name: "an unknown activity, on an open breach",
        mutate: |l| {
            open(l);
            br(l).activities.push("nope".into());
        },
        expect: &[("/breaches/0/activities/1", "breach.unknown_activity", E)],
    },
    BreachCase {
        name: "a processor without a name, on an open breach",
        mutate: |l| {
            open(l);
            br(l).processors.push(InvolvedProcessor { name: "  ".into(), id: None });
        },
        expect: &[("/breaches/0/processors/0/name", "breach.processor_name_missing", E)],
    },
    // Times out of order.
    BreachCase {
        name: "aware before the breach began",
        mutate: |l| {
            br(l).happened_from = Some(aware() + hours(1));
            br(l).happened_to = None;
        },
        expect: &[("/breaches/0/became_aware_at", "breach.aware_before_start", E)],
    },
    BreachCase {
        name: "ended before it began",
        mutate: |l| br(l).happened_to = Some(aware() - hours(31)),
        expect: &[("/breaches/0/happened_to", "breach.end_before_start", E)],
    },
    BreachCase {
        name: "risk assessed before awareness",
        mutate: |l| br(l).risk.as_mut().expect("risk").assessed_at = aware() - hours(1),
        expect: &[("/breaches/0/risk/assessed_at", "breach.before_awareness", E)],
    },
    BreachCase {
        name: "notified before awareness",
        mutate: |l| br(l).notices[0].at = aware() - hours(1),
        expect: &[("/breaches/0/notices/0/at", "breach.before_awareness", E)],
    },
    BreachCase {
        name: "closed before awareness",
        mutate: |l| br(l).closed_at = Some(aware() - hours(1)),
        expect: &[("/breaches/0/closed_at", "breach.before_awareness", E)],
    },
    // An outside reporter.
    BreachCase {
        name: "an outside reporter without the time of the report",
        mutate: |l| br(l).discovery.by = BreachFinder::OutsideReporter,
        expect: &[("/breaches/0/discovery/reported_at", "breach.reporter_time_missing", E)],
    },
    BreachCase {
        name: "the reporter answered before reporting",
        mutate: |l| {
            let d = &mut br(l).discovery;
            d.by = BreachFinder::OutsideReporter;
            d.reported_at = Some(aware() - hours(1));
            d.acknowledged_at = Some(aware() - hours(2));
            d.feedback_at = Some(aware() + hours(48));
        },
        expect: &[("/breaches/0/discovery/acknowledged_at", "breach.reply_before_report", E)],
    },
    BreachCase {
        name: "an outside reporter acknowledged before awareness is fine: the report comes first",
        mutate: |l| {
            let d = &mut br(l).discovery;
            d.by = BreachFinder::OutsideReporter;
            d.reported_at = Some(aware() - hours(3));
            d.acknowledged_at = Some(aware() - hours(1));
        },
        expect: &[],
    },
    // Facts of later stages: errors on a closed breach.
    BreachCase {
        name: "closed without the facts",
        mutate: |l| {
            let b = br(l);
            b.nature.clear();
            b.data_categories.clear();
            b.approx_subjects = None;
            b.consequences = String::new();
            b.measures_taken = String::new();
        },
        expect: &[
            ("/breaches/0/nature", "breach.nature_missing", E),
            ("/breaches/0/data_categories", "breach.data_categories_missing", E),
            ("/breaches/0/approx_subjects", "breach.count_missing", W),
            ("/breaches/0/consequences", "breach.consequences_missing", E),
            ("/breaches/0/measures_taken", "breach.measures_missing", E),
        ],
    },
    BreachCase {
        name: "a new open breach: only warnings, so work in progress can be saved",
        mutate: |l| {
            l.breaches[0] = Breach { id: "2025-002".into(), ..Breach::new("Ny sag", aware(), BreachFinder::Staff) }
        },
        expect: &[
            ("/breaches/0/nature", "breach.nature_missing", W),
            ("/breaches/0/data_categories", "breach.data_categories_missing", W),
            ("/breaches/0/approx_subjects", "breach.count_missing", W),
            ("/breaches/0/consequences", "breach.consequences_missing", W),
            ("/breaches/0/risk", "breach.risk_missing", W),
            ("/breaches/0/measures_taken", "breach.measures_missing", W),
        ],
    },
    // The risk decision.
    BreachCase {
        name: "closed without a risk decision",
        mutate: |l| br(l).risk = None,
        expect: &[("/breaches/0/risk", "breach.risk_missing", E)],
    },
    BreachCase {
        name: "a risk decision without reasons, even on an open breach",
        mutate: |l| {
            open(l);
            br(l).risk.as_mut().expect("risk").reasons = " ".into();
        },
        expect: &[("/breaches/0/risk/reasons", "breach.risk_reasons_missing", E)],
    },
    BreachCase {
        name: "no risk, with reasons and without a notice, stays in the log without issues",
        mutate: |l| {
            br(l).risk.as_mut().expect("risk").level = RiskLevel::NoRisk;
            br(l).notices.clear();
        },
        expect: &[],
    },
    BreachCase {
        name: "no risk without reasons",
        mutate: |l| {
            let risk = br(l).risk.as_mut().expect("risk");
            risk.level = RiskLevel::NoRisk;
            risk.reasons = String::new();
            br(l).notices.clear();
        },
        expect: &[("/breaches/0/risk/reasons", "breach.risk_reasons_missing", E)],
    },
    // Notices to the authority.
    BreachCase {
        name: "a risk, closed without a notice",
        mutate: |l| br(l).notices.clear(),
        expect: &[("/breaches/0/notices", "breach.notice_missing", E)],
    },
    BreachCase {
        name: "a risk, open without a notice yet",
        mutate: |l| {
            open(l);
            br(l).notices.clear();
        },
        expect: &[("/breaches/0/notices", "breach.notice_missing", W)],
    },
    BreachCase {
        name: "notified exactly 72 hours after awareness: in time",
        mutate: |l| br(l).notices[0].at = aware() + hours(72),
        expect: &[],
    },
    BreachCase {
        name: "notified after 72 hours without reasons, even on an open breach",
        mutate: |l| {
            open(l);
            br(l).notices[0].at = aware() + hours(73);
        },
        expect: &[("/breaches/0/late_notice_reasons", "breach.notice_late_reasons_missing", E)],
    },
    BreachCase {
        name: "notified after 72 hours with reasons",
        mutate: |l| {
            br(l).notices[0].at = aware() + hours(73);
            br(l).late_notice_reasons = "Omfanget skulle først afklares med leverandøren.".into();
        },
        expect: &[],
    },
    BreachCase {
        name: "a supplement sent before the notice listed before it",
        mutate: |l| br(l).notices.push(supplement(aware() + hours(10), "Mere om omfanget.")),
        expect: &[("/breaches/0/notices/1/at", "breach.notice_order", E)],
    },
    BreachCase {
        name: "the first notice is a supplement",
        mutate: |l| br(l).notices[0].phase = NoticePhase::Supplement,
        expect: &[
            ("/breaches/0/notices/0/phase", "breach.notice_phase", E),
            ("/breaches/0/notices/0/new_information", "breach.supplement_empty", W),
        ],
    },
    BreachCase {
        name: "a second initial notice",
        mutate: |l| {
            let mut second = supplement(aware() + hours(30), "");
            second.phase = NoticePhase::Initial;
            br(l).notices.push(second);
        },
        expect: &[("/breaches/0/notices/1/phase", "breach.notice_phase", E)],
    },
    BreachCase {
        name: "a supplement without what is new, and a notice without a case number",
        mutate: |l| {
            br(l).notices[0].case_number = String::new();
            br(l).notices.push(supplement(aware() + hours(50), " "));
        },
        expect: &[
            ("/breaches/0/notices/0/case_number", "breach.case_number_missing", W),
            ("/breaches/0/notices/1/new_information", "breach.supplement_empty", W),
        ],
    },
    // Art. 34: the data subjects.
    BreachCase {
        name: "high risk, closed without telling the data subjects or an exception",
        mutate: high_risk,
        expect: &[("/breaches/0/data_subjects", "breach.subjects_notice_missing", E)],
    },
    BreachCase {
        name: "high risk, open, data subjects not yet told",
        mutate: |l| {
            open(l);
            high_risk(l);
        },
        expect: &[("/breaches/0/data_subjects", "breach.subjects_notice_missing", W)],
    },
    BreachCase {
        name: "high risk, data subjects told with how",
        mutate: |l| {
            high_risk(l);
            br(l).data_subjects =
                Some(SubjectNotification::Told { at: aware() + hours(30), how: "Brev til hver kunde.".into() });
        },
        expect: &[],
    },
    BreachCase {
        name: "high risk, data subjects told without how",
        mutate: |l| {
            high_risk(l);
            br(l).data_subjects = Some(SubjectNotification::Told { at: aware() + hours(30), how: String::new() });
        },
        expect: &[("/breaches/0/data_subjects/how", "breach.subjects_how_missing", E)],
    },
    BreachCase {
        name: "data subjects told before awareness",
        mutate: |l| {
            br(l).data_subjects = Some(SubjectNotification::Told { at: aware() - hours(1), how: "Brev.".into() });
        },
        expect: &[("/breaches/0/data_subjects/at", "breach.before_awareness", E)],
    },
    BreachCase {
        name: "high risk, an Art. 34(3)(a) exception with its explanation",
        mutate: |l| {
            high_risk(l);
            br(l).data_subjects = Some(SubjectNotification::Exception {
                exception: Art34Exception::Unintelligible,
                explanation: "Filen var krypteret med AES-256, og nøglen er ikke kompromitteret.".into(),
            });
        },
        expect: &[],
    },
    BreachCase {
        name: "high risk, an Art. 34(3)(c) exception without explanation, even on an open breach",
        mutate: |l| {
            open(l);
            high_risk(l);
            br(l).data_subjects = Some(SubjectNotification::Exception {
                exception: Art34Exception::DisproportionateEffort,
                explanation: String::new(),
            });
        },
        expect: &[("/breaches/0/data_subjects/explanation", "breach.exception_explanation_missing", E)],
    },
];

#[test]
fn breaches() {
    let failures: Vec<String> = BREACHES.iter().filter_map(|case| check_breach(case).err()).collect();
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), BREACHES.len(), failures.join("\n"));
}

#[test]
fn a_late_notice_names_the_hours() {
    let issues = breach_issues(|l| br(l).notices[0].at = aware() + hours(80));
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].params.get("hours").map(String::as_str), Some("80"));
}

/// The words of every breach vocabulary, every holiday, deadline kind, deadline status and
/// timeline event exist in every language.
#[test]
fn breach_and_deadline_words_are_in_every_language() {
    use ropa_core::deadlines::{DeadlineKind, HolidayId};
    let mut keys: Vec<String> = Vec::new();
    keys.extend(BreachNature::ALL.iter().map(|v| format!("vocab.breach_nature.{}", v.id())));
    keys.extend(BreachFinder::ALL.iter().map(|v| format!("vocab.breach_finder.{}", v.id())));
    keys.extend(RiskLevel::ALL.iter().map(|v| format!("vocab.risk_level.{}", v.id())));
    keys.extend(NoticePhase::ALL.iter().map(|v| format!("vocab.notice_phase.{}", v.id())));
    keys.extend(Art34Exception::ALL.iter().map(|v| format!("vocab.art34.{}", v.id())));
    keys.extend(HolidayId::ALL.iter().map(|v| format!("holiday.{}", v.id())));
    keys.extend(DeadlineKind::ALL.iter().map(|v| format!("deadline.{}", v.id())));
    for status in ["open", "due_soon", "overdue"] {
        keys.push(format!("deadline_status.{status}"));
    }
    let mut log = baseline_log();
    high_risk(&mut log);
    let b = br(&mut log);
    b.discovery.reported_at = Some(aware() - hours(1));
    b.discovery.acknowledged_at = Some(aware());
    b.discovery.feedback_at = Some(aware() + hours(100));
    b.notices.push(supplement(aware() + hours(30), "Nyt."));
    b.data_subjects = Some(SubjectNotification::Told { at: aware() + hours(30), how: "Brev.".into() });
    let events = b.timeline();
    assert_eq!(events.len(), 9, "every kind of event once: {events:?}");
    keys.extend(events.iter().map(|e| format!("timeline.{}", e.id())));
    keys.extend(["entity.breach", "entity.breach-settings"].map(String::from));
    let missing: Vec<String> = LANGUAGES
        .iter()
        .flat_map(|language| {
            keys.iter().filter(|k| !messages(*language).contains_key(*k)).map(move |k| format!("{language:?} {k}"))
        })
        .collect();
    assert!(missing.is_empty(), "missing: {missing:?}");
}

// ---------------------------------------------------------------------------------------------
// Processors and their agreements (Art. 28)
//
// Every case starts from the baseline register and one complete processor (an Irish mail host
// with a valid CVR-less foreign id, serving the baseline activity, a signed current agreement
// covering every Art. 28(3) point and one supervision), applies one mutation, and states every
// issue that must follow. Paths are those of the interchange document.

use ropa_core::processor_agreements::*;

fn covered() -> ChecklistPoint {
    ChecklistPoint { covered: true, note: "§ 4".into() }
}

fn baseline_processor() -> Processor {
    let point = covered();
    Processor {
        business_id: Some(BusinessId { scheme: BusinessIdScheme::Foreign, value: "IE 1234567X".into() }),
        services: vec!["E-mail".into()],
        activities: vec!["customer-admin".into()],
        data_categories: vec!["contact".into()],
        sub_processors: vec![SubProcessor {
            name: "Backup GmbH".into(),
            country: "DE".into(),
            services: vec!["Backup".into()],
            mechanism: None,
            dpf_certified: None,
            sub_processors: Vec::new(),
        }],
        agreements: vec![Agreement {
            version: "2.0".into(),
            current: true,
            signed_on: Some(date(2025, 1, 15)),
            expires_on: None,
            term: "Løber til den opsiges med 3 måneders varsel.".into(),
            checklist: Art28Checklist {
                instructions: point.clone(),
                confidentiality: point.clone(),
                security: point.clone(),
                sub_processors: point.clone(),
                data_subject_rights: point.clone(),
                assistance: point.clone(),
                deletion_or_return: point.clone(),
                audits: point,
            },
            document: None,
        }],
        supervisions: vec![Supervision {
            id: "1".into(),
            method: SupervisionMethod::Isae3402,
            done_on: date(2025, 9, 1),
            findings: "Ingen afvigelser.".into(),
            next_due: None,
            report: None,
        }],
        ..Processor::new("mailhost", "Mail Host Ltd", "IE")
    }
}

fn pr(list: &mut [Processor]) -> &mut Processor {
    &mut list[0]
}

fn sub(list: &mut [Processor]) -> &mut SubProcessor {
    &mut list[0].sub_processors[0]
}

struct ProcessorCase {
    name: &'static str,
    mutate: fn(&mut Vec<Processor>),
    expect: Expected,
}

fn processor_issues(mutate: fn(&mut Vec<Processor>)) -> Vec<Issue> {
    let mut list = vec![baseline_processor()];
    mutate(&mut list);
    ropa_core::validation::validate_processors(&baseline(), &list, CountryLists::shipped())
}

fn check_processor(case: &ProcessorCase) -> Result<(), String> {
    let mut got: Vec<(String, String, &str)> =
        processor_issues(case.mutate).into_iter().map(|i| (i.path, i.code, severity(i.severity))).collect();
    let mut want: Vec<(String, String, &str)> =
        case.expect.iter().map(|(p, c, s)| ((*p).to_owned(), (*c).to_owned(), severity(*s))).collect();
    got.sort();
    want.sort();
    if got == want { Ok(()) } else { Err(format!("case `{}`:\n  expected {want:?}\n  got      {got:?}", case.name)) }
}

const PROCESSORS: &[ProcessorCase] = &[
    ProcessorCase { name: "the baseline processor", mutate: |_| {}, expect: &[] },
    ProcessorCase {
        name: "no id, no name",
        mutate: |l| {
            pr(l).id = " ".into();
            pr(l).name = String::new();
        },
        expect: &[("/processors/0/id", "processor.id_missing", E), ("/processors/0/name", "processor.name_missing", E)],
    },
    ProcessorCase {
        name: "two processors with one id",
        mutate: |l| l.push(baseline_processor()),
        expect: &[("/processors/1/id", "processor.id_duplicate", E)],
    },
    ProcessorCase {
        name: "a valid CVR number",
        mutate: |l| pr(l).business_id = Some(BusinessId { scheme: BusinessIdScheme::Cvr, value: "24256790".into() }),
        expect: &[],
    },
    ProcessorCase {
        name: "a CVR number with a wrong check digit",
        mutate: |l| pr(l).business_id = Some(BusinessId { scheme: BusinessIdScheme::Cvr, value: "24256791".into() }),
        expect: &[("/processors/0/business_id/value", "processor.cvr_invalid", E)],
    },
    ProcessorCase {
        name: "a valid organisasjonsnummer",
        mutate: |l| {
            pr(l).business_id = Some(BusinessId { scheme: BusinessIdScheme::Orgnr, value: "974 760 673".into() })
        },
        expect: &[],
    },
    ProcessorCase {
        name: "an organisasjonsnummer with a wrong check digit",
        mutate: |l| pr(l).business_id = Some(BusinessId { scheme: BusinessIdScheme::Orgnr, value: "974760674".into() }),
        expect: &[("/processors/0/business_id/value", "processor.orgnr_invalid", E)],
    },
    ProcessorCase {
        name: "a foreign id left empty",
        mutate: |l| pr(l).business_id = Some(BusinessId { scheme: BusinessIdScheme::Foreign, value: " ".into() }),
        expect: &[("/processors/0/business_id/value", "processor.business_id_missing", E)],
    },
    ProcessorCase {
        name: "an unknown activity and data category",
        mutate: |l| {
            pr(l).activities.push("payroll".into());
            pr(l).data_categories.push("bank".into());
        },
        expect: &[
            ("/processors/0/activities/1", "processor.unknown_activity", E),
            ("/processors/0/data_categories/1", "processor.unknown_data_category", E),
        ],
    },
    ProcessorCase {
        name: "no country",
        mutate: |l| pr(l).country = String::new(),
        expect: &[("/processors/0/country", "processor.country_missing", E)],
    },
    ProcessorCase {
        name: "a country that is not a code",
        mutate: |l| pr(l).country = "Irland".into(),
        expect: &[("/processors/0/country", "processor.country_invalid", E)],
    },
    ProcessorCase {
        name: "outside the EEA without a mechanism",
        mutate: |l| pr(l).country = "IN".into(),
        expect: &[("/processors/0/mechanism", "processor.mechanism_missing", E)],
    },
    ProcessorCase {
        name: "outside the EEA on standard contractual clauses",
        mutate: |l| {
            pr(l).country = "IN".into();
            pr(l).mechanism = Some(TransferMechanism::StandardContractualClauses);
        },
        expect: &[],
    },
    ProcessorCase {
        name: "a country with an adequacy decision needs no mechanism",
        mutate: |l| pr(l).country = "CH".into(),
        expect: &[],
    },
    ProcessorCase {
        name: "adequacy claimed for a country without a decision",
        mutate: |l| {
            pr(l).country = "IN".into();
            pr(l).mechanism = Some(TransferMechanism::Adequacy);
        },
        expect: &[("/processors/0/mechanism", "processor.not_adequate", E)],
    },
    ProcessorCase {
        name: "the US without a mechanism",
        mutate: |l| pr(l).country = "US".into(),
        expect: &[("/processors/0/mechanism", "processor.mechanism_missing", E)],
    },
    ProcessorCase {
        name: "the Data Privacy Framework, certification not answered",
        mutate: |l| {
            pr(l).country = "US".into();
            pr(l).mechanism = Some(TransferMechanism::DataPrivacyFramework);
        },
        expect: &[("/processors/0/dpf_certified", "processor.dpf_certification_unknown", W)],
    },
    ProcessorCase {
        name: "the Data Privacy Framework, not certified",
        mutate: |l| {
            pr(l).country = "US".into();
            pr(l).mechanism = Some(TransferMechanism::DataPrivacyFramework);
            pr(l).dpf_certified = Some(false);
        },
        expect: &[("/processors/0/dpf_certified", "processor.dpf_not_certified", E)],
    },
    ProcessorCase {
        name: "the Data Privacy Framework, certified",
        mutate: |l| {
            pr(l).country = "US".into();
            pr(l).mechanism = Some(TransferMechanism::DataPrivacyFramework);
            pr(l).dpf_certified = Some(true);
        },
        expect: &[],
    },
    ProcessorCase {
        name: "the Data Privacy Framework outside the US",
        mutate: |l| {
            pr(l).country = "IN".into();
            pr(l).mechanism = Some(TransferMechanism::DataPrivacyFramework);
            pr(l).dpf_certified = Some(true);
        },
        expect: &[("/processors/0/mechanism", "processor.dpf_not_us", E)],
    },
    ProcessorCase {
        name: "a sub-processor without a name, outside the EEA without a mechanism",
        mutate: |l| {
            sub(l).name = String::new();
            sub(l).country = "IN".into();
        },
        expect: &[
            ("/processors/0/sub_processors/0/name", "processor.sub_processor_name_missing", E),
            ("/processors/0/sub_processors/0/mechanism", "processor.mechanism_missing", E),
        ],
    },
    ProcessorCase {
        name: "a sub-processor's own sub-processor in the US on the DPF, unanswered",
        mutate: |l| {
            sub(l).sub_processors.push(SubProcessor {
                name: "Cloud Inc".into(),
                country: "US".into(),
                services: Vec::new(),
                mechanism: Some(TransferMechanism::DataPrivacyFramework),
                dpf_certified: None,
                sub_processors: Vec::new(),
            });
        },
        expect: &[(
            "/processors/0/sub_processors/0/sub_processors/0/dpf_certified",
            "processor.dpf_certification_unknown",
            W,
        )],
    },
    ProcessorCase {
        name: "agreement versions: missing, duplicate, two current",
        mutate: |l| {
            let mut copy = pr(l).agreements[0].clone();
            copy.checklist = Art28Checklist::default();
            copy.signed_on = None;
            pr(l).agreements.push(copy.clone());
            copy.version = String::new();
            copy.current = false;
            pr(l).agreements.push(copy);
        },
        expect: &[
            ("/processors/0/agreements/1/version", "agreement.version_duplicate", E),
            ("/processors/0/agreements/1/current", "agreement.current_several", E),
            ("/processors/0/agreements/2/version", "agreement.version_missing", E),
        ],
    },
    ProcessorCase {
        name: "no version is current",
        mutate: |l| pr(l).agreements[0].current = false,
        expect: &[("/processors/0/agreements", "agreement.current_none", W)],
    },
    ProcessorCase {
        name: "expires before it was signed",
        mutate: |l| pr(l).agreements[0].expires_on = Some(date(2024, 12, 31)),
        expect: &[("/processors/0/agreements/0/expires_on", "agreement.expires_before_signed", E)],
    },
    ProcessorCase {
        name: "a signed current agreement without points (d) and (h)",
        mutate: |l| {
            pr(l).agreements[0].checklist.sub_processors.covered = false;
            pr(l).agreements[0].checklist.audits.covered = false;
        },
        expect: &[
            ("/processors/0/agreements/0/checklist/sub_processors/covered", "agreement.point_not_covered", W),
            ("/processors/0/agreements/0/checklist/audits/covered", "agreement.point_not_covered", W),
        ],
    },
    ProcessorCase {
        name: "an unsigned draft is not held to the checklist yet",
        mutate: |l| {
            pr(l).agreements[0].signed_on = None;
            pr(l).agreements[0].checklist = Art28Checklist::default();
        },
        expect: &[],
    },
    ProcessorCase {
        name: "a supervision interval of zero months",
        mutate: |l| pr(l).supervision_interval_months = Some(0),
        expect: &[("/processors/0/supervision_interval_months", "supervision.interval_zero", E)],
    },
    ProcessorCase {
        name: "the next supervision due on the day of the last",
        mutate: |l| pr(l).supervisions[0].next_due = Some(date(2025, 9, 1)),
        expect: &[("/processors/0/supervisions/0/next_due", "supervision.next_due_not_after", E)],
    },
];

#[test]
fn processors() {
    let failures: Vec<String> = PROCESSORS.iter().filter_map(|case| check_processor(case).err()).collect();
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), PROCESSORS.len(), failures.join("\n"));
}

#[test]
fn a_missing_mechanism_names_the_country_and_the_adequacy_list_date() {
    let issues = processor_issues(|l| pr(l).country = "IN".into());
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].params.get("country").map(String::as_str), Some("IN"));
    assert_eq!(issues[0].params.get("as_of"), Some(&adequacy().as_of.to_string()));
}

#[test]
fn every_eea_and_adequacy_country_needs_no_mechanism() {
    for country in eea().countries.iter().chain(&adequacy().countries) {
        let mut list = vec![baseline_processor()];
        list[0].country = country.clone();
        let issues = ropa_core::validation::validate_processors(&baseline(), &list, CountryLists::shipped());
        assert!(issues.is_empty(), "{country}: {issues:?}");
    }
}

#[test]
fn the_rules_use_the_country_lists_they_are_given() {
    let edited = |country: &str| CountryList {
        as_of: date(2026, 9, 1),
        countries: adequacy().countries.iter().cloned().chain([country.to_owned()]).collect(),
    };
    let lists = CountryLists { adequacy: edited("BR"), ..CountryLists::shipped().clone() };
    // A processor in Brazil: with the shipped lists a mechanism is needed, with Brazil added to
    // the adequacy list it is not.
    let mut list = vec![baseline_processor()];
    list[0].country = "BR".into();
    list[0].sub_processors[0].country = "IN".into();
    list[0].sub_processors[0].mechanism = None;
    let shipped = ropa_core::validation::validate_processors(&baseline(), &list, CountryLists::shipped());
    assert!(shipped.iter().any(|i| i.path == "/processors/0/mechanism" && i.code == "processor.mechanism_missing"));
    let issues = ropa_core::validation::validate_processors(&baseline(), &list, &lists);
    assert!(!issues.iter().any(|i| i.path == "/processors/0/mechanism"), "{issues:?}");
    // The sub-processor in India still needs one, and the message carries the edited list's date.
    let missing = issues.iter().find(|i| i.code == "processor.mechanism_missing").expect("sub-processor");
    assert_eq!(missing.params.get("as_of").map(String::as_str), Some("2026-09-01"));
    // A country taken off the EEA list is a third country.
    let lists = CountryLists {
        eea: CountryList { as_of: date(2026, 9, 1), countries: vec!["DK".into()] },
        ..CountryLists::shipped().clone()
    };
    let mut list = vec![baseline_processor()];
    list[0].country = "SE".into();
    assert!(ropa_core::validation::validate_processors(&baseline(), &list, CountryLists::shipped()).is_empty());
    let issues = ropa_core::validation::validate_processors(&baseline(), &list, &lists);
    assert!(issues.iter().any(|i| i.path == "/processors/0/mechanism" && i.code == "processor.mechanism_missing"));
}

// ---------------------------------------------------------------------------------------------
// Recording policies (DOMAIN.md section 4)

use ropa_core::recordings::{RecordingBasis, RecordingPolicy, RecordingPurpose};

struct RecordingPolicyCase {
    name: &'static str,
    /// Changes the baseline policy, and whether another policy has its id.
    mutate: fn(&mut RecordingPolicy, &mut bool),
    expect: Expected,
}

fn recording_policy_issues(mutate: fn(&mut RecordingPolicy, &mut bool)) -> Vec<Issue> {
    let mut policy = RecordingPolicy::inbound_customer_service("service", "Kundeservice");
    policy.processor_id = Some(baseline_processor().id);
    let mut taken = false;
    mutate(&mut policy, &mut taken);
    ropa_core::validation::validate_recording_policy(&policy, &[baseline_processor()], taken, "")
}

const RECORDING_POLICIES: &[RecordingPolicyCase] = &[
    RecordingPolicyCase { name: "the inbound customer-service preset", mutate: |_, _| {}, expect: &[] },
    RecordingPolicyCase {
        name: "the outbound sales preset",
        mutate: |p, _| *p = RecordingPolicy::outbound_sales("sales", "Salg"),
        expect: &[],
    },
    RecordingPolicyCase {
        name: "no id, no name",
        mutate: |p, _| {
            p.id = " ".into();
            p.name = String::new();
        },
        expect: &[("/id", "recording_policy.id_missing", E), ("/name", "recording_policy.name_missing", E)],
    },
    RecordingPolicyCase {
        name: "an id another policy has",
        mutate: |_, taken| *taken = true,
        expect: &[("/id", "recording_policy.id_duplicate", E)],
    },
    RecordingPolicyCase {
        name: "kept for no months",
        mutate: |p, _| p.retention_months = 0,
        expect: &[("/retention_months", "recording_policy.months_zero", E)],
    },
    RecordingPolicyCase { name: "kept ten years", mutate: |p, _| p.retention_months = 120, expect: &[] },
    RecordingPolicyCase {
        name: "kept more than ten years",
        mutate: |p, _| p.retention_months = 121,
        expect: &[("/retention_months", "recording_policy.months_too_long", E)],
    },
    RecordingPolicyCase {
        name: "quality on legitimate interest",
        mutate: |p, _| p.basis = RecordingBasis::LegitimateInterest,
        expect: &[("/basis", "recording_policy.consent_needed", E)],
    },
    RecordingPolicyCase {
        name: "training on legitimate interest",
        mutate: |p, _| {
            p.purpose = RecordingPurpose::Training;
            p.basis = RecordingBasis::LegitimateInterest;
        },
        expect: &[("/basis", "recording_policy.consent_needed", E)],
    },
    RecordingPolicyCase {
        name: "other purposes on legitimate interest",
        mutate: |p, _| {
            p.purpose = RecordingPurpose::Other;
            p.basis = RecordingBasis::LegitimateInterest;
        },
        expect: &[],
    },
    RecordingPolicyCase {
        name: "documentation on consent",
        mutate: |p, _| p.purpose = RecordingPurpose::Documentation,
        expect: &[],
    },
    RecordingPolicyCase { name: "no processor", mutate: |p, _| p.processor_id = None, expect: &[] },
    RecordingPolicyCase {
        name: "a processor not in the register",
        mutate: |p, _| p.processor_id = Some("tele".into()),
        expect: &[("/processor_id", "recording_policy.unknown_processor", E)],
    },
];

#[test]
fn recording_policies() {
    let failures: Vec<String> = RECORDING_POLICIES
        .iter()
        .filter_map(|case| {
            let mut got: Vec<(String, String, &str)> = recording_policy_issues(case.mutate)
                .into_iter()
                .map(|i| (i.path, i.code, severity(i.severity)))
                .collect();
            let mut want: Vec<(String, String, &str)> =
                case.expect.iter().map(|(p, c, s)| ((*p).to_owned(), (*c).to_owned(), severity(*s))).collect();
            got.sort();
            want.sort();
            (got != want).then(|| format!("case `{}`:\n  expected {want:?}\n  got      {got:?}", case.name))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        RECORDING_POLICIES.len(),
        failures.join("\n")
    );
}
