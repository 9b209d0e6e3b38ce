//! The reports end to end: render the fixture register and stress registers, then read the PDFs
//! back with poppler (`pdftotext`, `pdfinfo`, `pdffonts`, `pdftohtml`) and check what a reader
//! would see — every name, purpose, legal basis and retention rule in the right language, page
//! numbers, metadata, bookmarks, and no text outside the page's margins.
//!
//! poppler-utils must be installed (`cargo xtask setup` does it); a missing tool fails the test
//! with a message saying so, it never skips.

use chrono::{DateTime, FixedOffset};
use ropa_core::change_log::Head;
use ropa_core::interchange;
use ropa_core::processing_register::*;
use ropa_core::vocab::*;
use ropa_pdf::{Pdf, ReportMeta};
use std::path::{Path, PathBuf};
use std::process::Command;

const FIXTURE: &str = include_str!("../../../tests/fixtures/register-da.json");
const MAC: &str = "7f3a9c01d2e4b5a6c7d8e9f00112233445566778899aabbccddeeff001122334";

fn fixture() -> RegisterContent {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
    interchange::parse(FIXTURE, today).expect("the fixture parses").0
}

fn meta(language: Language) -> ReportMeta {
    ReportMeta {
        generated_at: DateTime::<FixedOffset>::parse_from_rfc3339("2026-11-22T14:03:00+01:00").expect("time"),
        chain_head: Some(Head { seq: 3, mac: MAC.to_owned() }),
        language,
    }
}

/// A rendered PDF in a temporary folder, with poppler's view of it.
struct Rendered {
    _dir: tempfile::TempDir,
    path: PathBuf,
    pages: usize,
}

impl Rendered {
    fn new(pdf: Pdf) -> Rendered {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("report.pdf");
        std::fs::write(&path, &pdf.bytes).expect("write pdf");
        Rendered { _dir: dir, path, pages: pdf.pages }
    }

    /// The text in content order, whitespace collapsed to single spaces.
    fn text(&self) -> String {
        collapse(&tool("pdftotext", &["-raw", "-enc", "UTF-8", path_str(&self.path), "-"]))
    }

    fn info(&self) -> String {
        tool("pdfinfo", &[path_str(&self.path)])
    }
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// Runs a poppler tool and returns its standard output; fails loudly when it is missing.
fn tool(name: &str, args: &[&str]) -> String {
    let output = match Command::new(name).args(args).output() {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            panic!("`{name}` is not installed: install poppler-utils (`cargo xtask setup` does it)")
        }
        Err(e) => panic!("cannot run {name}: {e}"),
    };
    assert!(output.status.success(), "{name} {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn assert_contains(haystack: &str, needle: &str, what: &str) {
    let needle = collapse(needle);
    assert!(haystack.contains(&needle), "{what}: {needle:?} is not in the PDF text:\n{haystack}");
}

fn register(language: Language) -> Rendered {
    Rendered::new(ropa_pdf::record_of_processing(&fixture(), &meta(language)).expect("render"))
}

fn info_field(info: &str, field: &str) -> String {
    info.lines()
        .find_map(|l| l.strip_prefix(&format!("{field}:")))
        .map(|v| v.trim().to_owned())
        .unwrap_or_else(|| panic!("pdfinfo shows no {field}:\n{info}"))
}

struct Expected {
    language: Language,
    title: &'static str,
    page_one: &'static str,
    retention: &'static [&'static str],
    bases: &'static [&'static str],
    words: &'static [&'static str],
}

const EXPECTED: &[Expected] = &[
    Expected {
        language: Language::Danish,
        title: "Fortegnelse over behandlingsaktiviteter",
        page_one: "Side 1 af",
        retention: &[
            "5 år fra udgangen af regnskabsåret",
            "2 år fra seneste kontakt",
            "Indtil samtykket trækkes tilbage",
            "5 år fra forholdets eller aftalens ophør",
            "1 år fra forholdets eller aftalens ophør",
            "6 måneder fra indsamlingen",
            "30 dage fra indsamlingen",
        ],
        bases: &[
            "Kontrakt (art. 6, stk. 1, litra b)",
            "Retlig forpligtelse (art. 6, stk. 1, litra c)",
            "Samtykke (art. 6, stk. 1, litra a)",
            "Legitime interesser (art. 6, stk. 1, litra f)",
            "Arbejds-, sikrings- og socialret (art. 9, stk. 2, litra b)",
            "databeskyttelsesloven § 11, stk. 2",
            "Retsgrundlag: bogføringsloven § 10",
        ],
        words: &[
            "Den dataansvarlige (art. 30, stk. 1, litra a)",
            "Der er ikke udpeget en databeskyttelsesrådgiver.",
            "Særlige kategorier (følsomme oplysninger): Helbredsoplysninger",
            "Personnummer (CPR-nummer)",
            "Ændringslog post 3",
            "22.11.2026 kl. 14:03",
            "EU-US Data Privacy Framework (art. 45)",
            "Systematisk overvågning",
            "Organisationen er desuden databehandler i 1 behandlingsaktivitet",
        ],
    },
    Expected {
        language: Language::NorwegianBokmal,
        title: "Protokoll over behandlingsaktiviteter",
        page_one: "Side 1 av",
        retention: &[
            "5 år fra utgangen av regnskapsåret",
            "2 år fra siste kontakt",
            "Til samtykket trekkes tilbake",
            "6 måneder fra innsamlingen",
            "30 dager fra innsamlingen",
        ],
        bases: &[
            "Avtale (art. 6 nr. 1 bokstav b)",
            "Rettslig forpliktelse (art. 6 nr. 1 bokstav c)",
            "Samtykke (art. 6 nr. 1 bokstav a)",
            "Berettigede interesser (art. 6 nr. 1 bokstav f)",
        ],
        words: &["Den behandlingsansvarlige (art. 30 nr. 1 bokstav a)", "Det er ikke utpekt personvernombud."],
    },
    Expected {
        language: Language::English,
        title: "Record of processing activities",
        page_one: "Page 1 of",
        retention: &[
            "5 years from the end of the financial year",
            "2 years from the last contact",
            "Until consent is withdrawn",
            "1 year from the end of the relationship or contract",
            "6 months from collection",
            "30 days from collection",
        ],
        bases: &[
            "Contract (Art. 6(1)(b))",
            "Legal obligation (Art. 6(1)(c))",
            "Consent (Art. 6(1)(a))",
            "Legitimate interests (Art. 6(1)(f))",
            "Employment, social security and social protection law (Art. 9(2)(b))",
            "Law: bogføringsloven § 10",
        ],
        words: &["The controller (Art. 30(1)(a))", "2026-11-22 14:03", "Change log entry 3"],
    },
];

#[test]
fn the_register_reads_back_in_every_language() {
    let content = fixture();
    for expected in EXPECTED {
        let pdf = register(expected.language);
        let text = pdf.text();
        let what = format!("{:?}", expected.language);
        assert_contains(&text, expected.title, &what);
        assert_contains(&text, &format!("{} {}", expected.page_one, pdf.pages), &what);
        assert_contains(
            &text,
            &format!("{} {}", expected.page_one.replace(" 1 ", &format!(" {} ", pdf.pages)), pdf.pages),
            &what,
        );
        for activity in content.activities.iter().filter(|a| !matches!(a.role, Role::Processor { .. })) {
            assert_contains(&text, &activity.name, &what);
            for purpose in &activity.purposes {
                assert_contains(&text, purpose, &what);
            }
            for basis in &activity.legal_bases {
                assert_contains(&text, &basis.justification, &what);
            }
            for rule in activity.retention.iter().filter(|r| !r.description.is_empty()) {
                assert_contains(&text, &rule.description, &what);
            }
        }
        for needle in expected.retention.iter().chain(expected.bases).chain(expected.words) {
            assert_contains(&text, needle, &what);
        }
        // The organisation's own words, with æøå, survive in every language.
        for needle in ["Bager Hansen ApS", "Østergade 12", "Revisor (Revisionsfirmaet Ærø)", "Søren Hansen"] {
            assert_contains(&text, needle, &what);
        }
        // The activity as processor is not part of the Art. 30(1) record.
        assert!(!text.contains("Bestillinger for Café Lærkereden"), "{what}: a processor activity in the 30(1) record");
    }
}

#[test]
fn every_visible_word_comes_from_the_catalog_of_the_language() {
    // English report: none of the Danish labels may leak in.
    let text = register(Language::English).text();
    for danish in ["Formål", "Behandlingsgrundlag", "Slettefrist", "Side 1 af", "Modtagere", "Ændringslog"] {
        assert!(!text.contains(danish), "English report contains Danish {danish:?}");
    }
    // The reports for a person whose calls were recorded: every label, heading and note.
    let (extract, audio) = extract();
    let receipt = deletion_receipt(&receipt(), Language::English).text();
    let access = access_extract(&extract, &audio, Language::English).text();
    for (text, report) in [(&receipt, "receipt"), (&access, "access extract")] {
        for danish in [
            "Opkald",
            "opkald",
            "Lydfil",
            "Samtykke",
            "Slettes",
            "Kvittering",
            "Afsender",
            "Formål",
            "Side 1 af",
            "Tidspunkt",
            "Årsag",
            "Retning",
            "rettigheder",
            "dataansvarlig",
            "Dataansvarlig",
        ] {
            assert!(!text.contains(danish), "English {report} contains Danish {danish:?}");
        }
    }
}

#[test]
fn metadata_names_the_report_and_a_real_creation_date() {
    for expected in EXPECTED {
        let pdf = register(expected.language);
        let info = pdf.info();
        assert_eq!(info_field(&info, "Title"), expected.title);
        assert_eq!(info_field(&info, "Author"), "Bager Hansen ApS");
        assert!(info_field(&info, "Subject").contains("Bager Hansen ApS"));
        // 14:03 at +01:00 is 13:03 UTC; pdfinfo shows it in the machine's zone, so check the day.
        let created = info_field(&info, "CreationDate");
        assert!(created.contains("2026") && created.contains("Nov 22"), "creation date {created:?}");
        assert_eq!(info_field(&info, "Pages"), pdf.pages.to_string());
        assert_eq!(info_field(&info, "Page size"), "595.276 x 841.89 pts (A4)");
    }
}

#[test]
fn fonts_are_embedded_as_small_subsets() {
    let pdf = ropa_pdf::record_of_processing(&fixture(), &meta(Language::Danish)).expect("render");
    assert!(pdf.bytes.len() < 120_000, "the fixture report is {} bytes: are the fonts subset?", pdf.bytes.len());
    let rendered = Rendered::new(pdf);
    let fonts = tool("pdffonts", &[path_str(&rendered.path)]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "regular and bold:\n{fonts}");
    for row in rows {
        assert!(row.contains("CID TrueType") && row.contains(" yes "), "not embedded: {row}");
    }
}

#[test]
fn every_activity_has_a_bookmark_on_its_page() {
    let pdf = register(Language::Danish);
    let xml = tool("pdftohtml", &["-xml", "-i", "-stdout", "-q", path_str(&pdf.path)]);
    let outline = xml
        .split("<outline>")
        .nth(1)
        .and_then(|rest| rest.split("</outline>").next())
        .unwrap_or_else(|| panic!("no outline in the PDF:\n{}", &xml[..xml.len().min(2000)]));
    let titles: Vec<&str> =
        outline.split("<item").skip(1).filter_map(|item| item.split('>').nth(1)?.split('<').next()).collect();
    let names: Vec<String> = fixture()
        .activities
        .iter()
        .filter(|a| !matches!(a.role, Role::Processor { .. }))
        .enumerate()
        .map(|(i, a)| format!("{}. {}", i + 1, a.name))
        .collect();
    assert_eq!(titles, names, "outline:\n{outline}");
}

// ---------------------------------------------------------------------------------------------
// Stress: long texts, many categories, words wider than a line

/// A purpose of about 3,000 characters of distinct words, with a URL longer than a line.
fn long_purpose() -> (String, Vec<String>, String) {
    let url = format!("https://eksempel.dk/{}/betingelser?ref=ærø&side=1", "meget-lang-sti/".repeat(12));
    let mut words: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut i = 0;
    while text.len() < 3_000 {
        let word = format!("formål{i:04}æøå");
        text.push_str(&word);
        text.push(' ');
        words.push(word);
        i += 1;
        if i == 150 {
            text.push_str(&url);
            text.push(' ');
        }
    }
    (text.trim_end().to_owned(), words, url)
}

fn stress_register() -> (RegisterContent, Vec<String>, String) {
    let mut content = fixture();
    let (purpose, words, url) = long_purpose();
    content.data_categories = (0..60)
        .map(|i| DataCategory {
            id: format!("cat-{i:02}"),
            name: format!("Kategori {i:02} med et ret langt navn om løn, fravær og øvrige forhold"),
            kind: if i % 7 == 0 { DataKind::Special } else { DataKind::General },
            special_category: (i % 7 == 0).then_some(SpecialCategory::Health),
            description: if i % 3 == 0 {
                format!("Beskrivelse {i:02}: {}", "tekst ".repeat(i % 20))
            } else {
                String::new()
            },
        })
        .collect();
    let mut activity = content.activities[0].clone();
    activity.id = "stress".to_owned();
    activity.name = "Aktivitet med meget lange tekster".to_owned();
    activity.purposes = vec![purpose, "Et kort formål.".to_owned()];
    activity.data_flows = content
        .data_categories
        .iter()
        .map(|c| DataFlow {
            data_category: c.id.clone(),
            subject_category: "webshop-customers".to_owned(),
            recipients: vec!["accountant".to_owned(), "skat".to_owned()],
        })
        .collect();
    activity.retention = vec![RetentionRule {
        data_categories: content.data_categories.iter().map(|c| c.id.clone()).collect(),
        period: Some(Period { years: 1, months: 6, days: 0 }),
        trigger: RetentionTrigger::EndOfFinancialYear,
        description: String::new(),
    }];
    activity.legal_bases[0].justification = format!("Begrundelse: {}", "aftalen med kunden ".repeat(120));
    content.activities = vec![activity];
    content.organisation.name = format!("Organisation{}", "Navn".repeat(40));
    (content, words, url)
}

/// One word of `pdftotext -bbox` output.
#[derive(Debug)]
struct Word {
    page: usize,
    x_min: f32,
    y_min: f32,
    x_max: f32,
    y_max: f32,
    text: String,
}

fn attr(tag: &str, name: &str) -> f32 {
    tag.split(&format!("{name}=\""))
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no {name} in {tag}"))
}

fn words_with_boxes(path: &Path) -> (f32, f32, Vec<Word>) {
    let html = tool("pdftotext", &["-bbox", "-enc", "UTF-8", path_str(path), "-"]);
    let (mut width, mut height, mut page) = (0.0, 0.0, 0);
    let mut words = Vec::new();
    for line in html.lines().map(str::trim) {
        if line.starts_with("<page ") {
            page += 1;
            width = attr(line, "width");
            height = attr(line, "height");
        } else if line.starts_with("<word ") {
            let text = line.split('>').nth(1).and_then(|t| t.split('<').next()).unwrap_or("").to_owned();
            words.push(Word {
                page,
                x_min: attr(line, "xMin"),
                y_min: attr(line, "yMin"),
                x_max: attr(line, "xMax"),
                y_max: attr(line, "yMax"),
                text,
            });
        }
    }
    (width, height, words)
}

/// Every word inside the side margins, either wholly in the body or wholly in the header or
/// footer band, and no two words on top of each other.
fn assert_layout_is_clean(path: &Path) {
    let (width, height, words) = words_with_boxes(path);
    assert!(!words.is_empty());
    let margin = ropa_pdf::layout::MARGIN_X - 0.5;
    let (header_rule, footer_rule) = (47.0, height - 52.0);
    for w in &words {
        assert!(
            w.x_min >= margin && w.x_max <= width - margin && w.y_min >= 0.0 && w.y_max <= height,
            "outside the margins: {w:?}"
        );
        let in_header = w.y_max <= header_rule;
        let in_footer = w.y_min >= footer_rule;
        let in_body = w.y_min >= header_rule && w.y_max <= footer_rule;
        assert!(in_header || in_footer || in_body, "across the header or footer rule: {w:?}");
    }
    for (i, a) in words.iter().enumerate() {
        for b in words[i + 1..].iter().take_while(|b| b.page == a.page) {
            let overlap_x = a.x_max.min(b.x_max) - a.x_min.max(b.x_min);
            let overlap_y = a.y_max.min(b.y_max) - a.y_min.max(b.y_min);
            assert!(overlap_x < 0.5 || overlap_y < 1.5, "words drawn over each other: {a:?} and {b:?}");
        }
    }
}

#[test]
fn long_texts_wrap_and_break_pages_without_running_off_the_page() {
    let (content, words, url) = stress_register();
    let pdf = ropa_pdf::record_of_processing(&content, &meta(Language::Danish)).expect("render");
    assert!(pdf.pages >= 4, "expected several pages, got {}", pdf.pages);
    let rendered = Rendered::new(pdf);
    let text = rendered.text();
    let tokens: std::collections::HashSet<&str> = text.split(' ').collect();
    for word in &words {
        assert!(tokens.contains(word.as_str()), "the word {word:?} of the long purpose is missing");
    }
    let no_space: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(no_space.contains(&url), "the URL is not all there");
    for category in &content.data_categories {
        assert_contains(&text, &category.name, "category");
    }
    assert_contains(&text, "1 år og 6 måneder fra udgangen af regnskabsåret", "retention");
    assert_layout_is_clean(&rendered.path);
}

#[test]
fn a_table_row_taller_than_a_page_is_split_and_the_header_repeats() {
    let mut content = fixture();
    let mut activity = content.activities[0].clone();
    let paragraph = (0..900).map(|i| format!("zq{i}")).collect::<Vec<_>>().join(" ");
    activity.legal_bases[0].justification = paragraph.clone();
    content.activities = vec![activity];
    let pdf = ropa_pdf::record_of_processing(&content, &meta(Language::English)).expect("render");
    let rendered = Rendered::new(pdf);
    let text = rendered.text();
    // Page furniture and the repeated header come between the pieces; the words keep their order.
    let cell_words: Vec<&str> = text.split(' ').filter(|w| w.starts_with("zq")).collect();
    assert_eq!(cell_words, paragraph.split(' ').collect::<Vec<_>>(), "the long cell, in order");
    let (_, _, words) = words_with_boxes(&rendered.path);
    let pages_with_header: std::collections::BTreeSet<usize> =
        words.iter().filter(|w| w.text == "Justification").map(|w| w.page).collect();
    let pages_with_cell: std::collections::BTreeSet<usize> =
        words.iter().filter(|w| w.text.starts_with("zq")).map(|w| w.page).collect();
    assert!(pages_with_cell.len() >= 2, "the row should run over pages: {pages_with_cell:?}");
    assert!(pages_with_cell.is_subset(&pages_with_header), "header not repeated: {pages_with_header:?}");
    assert_layout_is_clean(&rendered.path);
}

#[test]
fn the_fixture_reports_have_a_clean_layout() {
    for language in [Language::Danish, Language::NorwegianBokmal, Language::English] {
        assert_layout_is_clean(&register(language).path);
        let processor = Rendered::new(ropa_pdf::processor_record(&fixture(), &meta(language)).expect("render"));
        assert_layout_is_clean(&processor.path);
    }
}

// ---------------------------------------------------------------------------------------------
// The Art. 30(2) record

#[test]
fn the_processor_record_lists_each_controller_and_what_is_done_for_it() {
    let cases = [
        (
            Language::English,
            "Record of processing activities as processor",
            "Page 1 of",
            "Categories of processing (Art. 30(2)(b))",
        ),
        (
            Language::Danish,
            "Fortegnelse over behandlingsaktiviteter som databehandler",
            "Side 1 af",
            "Kategorier af behandling (art. 30, stk. 2, litra b)",
        ),
        (
            Language::NorwegianBokmal,
            "Protokoll over behandlingsaktiviteter som databehandler",
            "Side 1 av",
            "Kategorier av behandling (art. 30 nr. 2 bokstav b)",
        ),
    ];
    for (language, title, page_one, categories) in cases {
        let pdf = Rendered::new(ropa_pdf::processor_record(&fixture(), &meta(language)).expect("render"));
        let text = pdf.text();
        let what = format!("{language:?}");
        for needle in [
            title,
            categories,
            "Café Lærkereden I/S",
            "10150817",
            "mette@laerkereden.dk",
            "Bestillinger for Café Lærkereden",
            "Modtagelse og opbevaring af bestillinger",
            "Udlevering",
            "Bager Hansen ApS",
            "Daglig sikkerhedskopi til en krypteret ekstern disk",
        ] {
            assert_contains(&text, needle, &what);
        }
        assert_contains(&text, &format!("{page_one} {}", pdf.pages), &what);
        // Only the processor activity is in it.
        assert!(!text.contains("Webshop: ordrer og levering"), "{what}: controller activity in the 30(2) record");
        assert_eq!(info_field(&pdf.info(), "Title"), title);
    }
}

#[test]
fn a_processor_record_without_controllers_says_so() {
    let mut content = fixture();
    content.activities.retain(|a| !matches!(a.role, Role::Processor { .. }));
    let pdf = Rendered::new(ropa_pdf::processor_record(&content, &meta(Language::English)).expect("render"));
    assert_contains(&pdf.text(), "The organisation does not process personal data as a processor for others.", "empty");
    assert_eq!(pdf.pages, 1);
}

// ---------------------------------------------------------------------------------------------
// Odd input never panics

#[test]
fn odd_input_still_gives_a_pdf() {
    let mut content = fixture();
    content.organisation.name = "Tab\there\u{0007} bell, emoji 😀, RTL שלום, zero\u{200B}width".to_owned();
    content.organisation.business_id = String::new();
    content.activities[0].name = String::new();
    content.activities[0].purposes = vec![String::new(), "\n\n\n".to_owned(), "x".repeat(5_000)];
    content.activities[0].data_flows.push(DataFlow {
        data_category: "unknown".to_owned(),
        subject_category: "nobody".to_owned(),
        recipients: vec!["ghost".to_owned()],
    });
    content.activities[0].retention.push(RetentionRule {
        data_categories: vec![],
        period: Some(Period::default()),
        trigger: RetentionTrigger::Other,
        description: String::new(),
    });
    let pdf = Rendered::new(ropa_pdf::record_of_processing(&content, &meta(Language::English)).expect("render"));
    let text = pdf.text();
    assert_contains(&text, "0 days (counted as described)", "empty period");
    assert_layout_is_clean(&pdf.path);

    let empty = RegisterContent {
        organisation: Organisation::new("", Country::Norway, Language::NorwegianBokmal),
        data_categories: vec![],
        subject_categories: vec![],
        recipients: vec![],
        activities: vec![],
    };
    let meta_without_chain = ReportMeta { chain_head: None, ..meta(Language::NorwegianBokmal) };
    let pdf = Rendered::new(ropa_pdf::record_of_processing(&empty, &meta_without_chain).expect("render"));
    let text = pdf.text();
    assert_contains(&text, "Protokollen inneholder ennå ingen behandlingsaktiviteter", "empty register");
    assert_contains(&text, "Endringsloggen er tom", "no chain");
    assert_contains(&text, "Side 1 av 1", "one page");
}

// ---------------------------------------------------------------------------------------------
// The breach notification (Art. 33) and the breach log (Art. 33(5))

use ropa_core::breach_log::{Breach, BreachLog, SubjectNotification};
use ropa_pdf::breach_log::LogPeriod;

fn fixture_with_log() -> (RegisterContent, BreachLog) {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
    let (content, log, _) = interchange::parse_all(FIXTURE, today).expect("the fixture parses");
    assert_eq!(log.breaches.len(), 2, "the fixture has two breaches");
    (content, log)
}

fn utc(text: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(text).expect("time").with_timezone(&chrono::Utc)
}

fn notification(breach: &Breach, language: Language) -> Rendered {
    let (content, _) = fixture_with_log();
    Rendered::new(ropa_pdf::breach_notification(&content, breach, &meta(language)).expect("render"))
}

fn breach_log(log: &BreachLog, period: LogPeriod, language: Language) -> Rendered {
    let (content, _) = fixture_with_log();
    Rendered::new(ropa_pdf::breach_log(&content, log, &period, &meta(language)).expect("render"))
}

/// Asserts that `needles` occur in `text` in this order.
fn assert_in_order(text: &str, needles: &[&str], what: &str) {
    let mut at = 0;
    for needle in needles {
        match text[at..].find(needle) {
            Some(i) => at += i + needle.len(),
            None => panic!("{what}: {needle:?} is missing or out of order after byte {at}:\n{text}"),
        }
    }
}

fn outline_titles(path: &Path) -> Vec<String> {
    let xml = tool("pdftohtml", &["-xml", "-i", "-stdout", "-q", path_str(path)]);
    let outline = xml.split("<outline>").nth(1).and_then(|rest| rest.split("</outline>").next()).unwrap_or("");
    outline
        .split("<item")
        .skip(1)
        .filter_map(|item| item.split('>').nth(1)?.split('<').next().map(str::to_owned))
        .collect()
}

struct BreachExpected {
    language: Language,
    title: &'static str,
    page: &'static str,
    /// Times on the organisation's clock: awareness at 16:00 CET, due 72 real hours later at
    /// 17:00 CEST (summer time began on 29 March).
    words: &'static [&'static str],
    order: &'static [&'static str],
}

const BREACH_EXPECTED: &[BreachExpected] = &[
    BreachExpected {
        language: Language::Danish,
        title: "Anmeldelse af brud på persondatasikkerheden",
        page: "Side {n} af {pages}",
        words: &[
            "27.03.2026 kl. 16.00",
            "30.03.2026 kl. 17.00",
            "Anmeldt 29.03.2026 kl. 12.00, 1 dag og 19 timer efter at organisationen blev bekendt med bruddet: inden for fristen.",
            "Journalnummer",
            "Europe/Copenhagen",
            "Fortrolighed",
            "Hovedårsag Post eller e-mail sendt til forkert modtager",
        ],
        order: &[
            "Den dataansvarlige",
            "Hvornår skete bruddet",
            "Hvornår blev I bekendt med bruddet",
            "Bruddets karakter",
            "Hvad er der sket",
            "Hovedårsag",
            "Årsag til bruddet",
            "Typer af personoplysninger",
            "Sandsynlige konsekvenser for de registrerede",
            "Trufne foranstaltninger",
            "Er de registrerede underrettet, og hvordan",
            "Involverede databehandlere",
        ],
    },
    BreachExpected {
        language: Language::NorwegianBokmal,
        title: "Melding om brudd på personopplysningssikkerheten (avviksmelding)",
        page: "Side {n} av {pages}",
        words: &[
            "27.03.2026 kl. 16.00",
            "30.03.2026 kl. 17.00",
            "innen fristen",
            "Saksnummer",
            "Konfidensialitet",
            "Hovedårsak Post eller e-post sendt til feil mottaker",
        ],
        order: &[
            "Hovedårsak",
            "Tidsrom",
            "Når ble avviket oppdaget",
            "Antall berørte personer",
            "Hva som har skjedd",
            "Hvordan avviket oppstod",
            "Type personopplysninger som ble berørt",
            "Virksomhetens relasjon til de berørte",
            "Hvor personopplysningene befinner seg etter avviket",
            "Mulige konsekvenser for de berørte",
            "Tiltak",
            "Er de berørte informert, og hvordan",
            "Kontaktinformasjon",
        ],
    },
    BreachExpected {
        language: Language::English,
        title: "Personal data breach notification",
        page: "Page {n} of {pages}",
        words: &[
            "2026-03-27 16:00",
            "2026-03-30 17:00",
            "within the deadline",
            "Case number",
            "Confidentiality",
            "Main cause Post or e-mail sent to the wrong recipient",
        ],
        order: &[
            "The controller",
            "When it happened",
            "Nature of the breach",
            "What happened",
            "Main cause",
            "How it arose",
            "Categories of personal data",
            "Likely consequences",
            "Measures taken",
            "Whether and how the data subjects were told",
            "Processors involved",
        ],
    },
];

#[test]
fn the_breach_notification_follows_the_authoritys_form_in_every_language() {
    let (_, log) = fixture_with_log();
    let breach = &log.breaches[0];
    for expected in BREACH_EXPECTED {
        let pdf = notification(breach, expected.language);
        let text = pdf.text();
        let what = format!("{:?}", expected.language);
        assert_contains(&text, expected.title, &what);
        for n in [1, pdf.pages] {
            let page = expected.page.replace("{n}", &n.to_string()).replace("{pages}", &pdf.pages.to_string());
            assert_contains(&text, &page, &what);
        }
        for needle in expected.words {
            assert_contains(&text, needle, &what);
        }
        // The organisation's words, with æøå, survive.
        for needle in [
            "Ordrebekræftelser sendt til forkerte kunder",
            "Programfejl: en opdatering af mailskabelonen blandede modtagerlisten.",
            "I de forkerte modtageres indbakker; 30 har bekræftet sletning.",
            "Søren Hansen",
            "Østergade 12",
            "Webshop-udbyder",
            "Webshop: ordrer og levering",
        ] {
            assert_contains(&text, needle, &what);
        }
        // Both phases, each with its case number and what is new in it.
        assert_eq!(text.matches("2026-431-0123").count(), 4, "{what}: two notices in the table and the timeline");
        assert_contains(&text, "30 af 37 modtagere har bekræftet sletning.", &what);
        assert_in_order(&text, expected.order, &what);
        assert_eq!(info_field(&pdf.info(), "Title"), expected.title);
        assert_eq!(info_field(&pdf.info(), "Author"), "Bager Hansen ApS");
        assert!(info_field(&pdf.info(), "Subject").contains("2026-001"), "{what}: subject");
        assert_eq!(outline_titles(&pdf.path).len(), 3, "{what}: deadline, form and timeline bookmarks");
        assert_layout_is_clean(&pdf.path);
    }
    // No Danish in the English notification.
    let text = notification(breach, Language::English).text();
    for danish in ["Side 1 af", "Anmeldt", "Journalnummer", "Datatilsynets", "Ændringslog"] {
        assert!(!text.contains(danish), "English notification contains Danish {danish:?}");
    }
}

#[test]
fn both_phases_are_shown_with_their_case_numbers_and_what_is_new() {
    let (_, log) = fixture_with_log();
    let text = notification(&log.breaches[0], Language::Danish).text();
    assert_in_order(
        &text,
        &[
            "Anmeldelser til Datatilsynet",
            "29.03.2026 kl. 12.00 Indledende anmeldelse 2026-431-0123 Første anmeldelse",
            "02.04.2026 kl. 14.00 Supplerende anmeldelse 2026-431-0123 30 af 37 modtagere har bekræftet sletning.",
        ],
        "notices",
    );
}

fn late_breach(reasons: &str) -> Breach {
    let (_, log) = fixture_with_log();
    let mut breach = log.breaches[0].clone();
    breach.notices.truncate(1);
    breach.notices[0].at = utc("2026-04-01T08:30:00Z");
    breach.notices[0].case_number = "2026-431-0999".to_owned();
    breach.late_notice_reasons = reasons.to_owned();
    breach
}

#[test]
fn a_late_notice_shows_how_late_and_the_reasons() {
    let breach = late_breach("Kundeservice sendte først sagen videre efter påskeferien.");
    let cases = [
        (
            Language::Danish,
            "Anmeldt for sent: 01.04.2026 kl. 10.30, 4 dage, 17 timer og 30 minutter efter",
            "Begrundelse for forsinkelsen (art. 33, stk. 1)",
        ),
        (
            Language::NorwegianBokmal,
            "Meldt for sent: 01.04.2026 kl. 10.30",
            "Begrunnelse for forsinkelsen (art. 33 nr. 1)",
        ),
        (Language::English, "Notified late: 2026-04-01 10:30", "Reasons for the delay (Art. 33(1))"),
    ];
    for (language, status, label) in cases {
        let text = notification(&breach, language).text();
        let what = format!("{language:?}");
        assert_contains(&text, status, &what);
        assert_contains(&text, label, &what);
        assert_contains(&text, "Kundeservice sendte først sagen videre efter påskeferien.", &what);
    }
    // 17:00 CEST on 30 March was the deadline: 1 day, 17 hours and 30 minutes later.
    let text = notification(&breach, Language::English).text();
    assert_contains(&text, "1 day, 17 hours and 30 minutes after the deadline", "late by");
    // Late without reasons: said plainly.
    let text = notification(&late_breach(""), Language::Danish).text();
    assert_contains(&text, "Ikke angivet; en anmeldelse efter 72 timer skal ledsages af en begrundelse.", "no reasons");
}

#[test]
fn a_breach_not_yet_notified_shows_the_deadline_running_or_passed() {
    let (_, log) = fixture_with_log();
    let mut breach = log.breaches[0].clone();
    breach.notices.clear();
    breach.closed_at = None;
    // The report is made on 22 November 2026: the deadline has passed.
    let text = notification(&breach, Language::Danish).text();
    assert_contains(&text, "Ikke anmeldt; fristen udløb 30.03.2026 kl. 17.00.", "overdue");
    assert_contains(&text, "Der er ikke registreret nogen anmeldelse til Datatilsynet.", "no notices");
    breach.became_aware_at = utc("2026-11-22T10:00:00Z");
    let text = notification(&breach, Language::English).text();
    assert_contains(&text, "Not notified yet; the deadline ends 2026-11-25 11:00.", "pending");
}

#[test]
fn the_art_34_notice_or_exception_is_shown() {
    let (_, log) = fixture_with_log();
    let mut breach = log.breaches[0].clone();
    breach.risk.as_mut().expect("risk").level = ropa_core::vocab::RiskLevel::HighRisk;
    let text = notification(&breach, Language::English).text();
    assert_contains(&text, "Not told yet, and no Art. 34(3) exception is recorded.", "pending");
    breach.data_subjects =
        Some(SubjectNotification::Told { at: utc("2026-03-30T08:00:00Z"), how: "E-mail til hver kunde".to_owned() });
    let text = notification(&breach, Language::Danish).text();
    assert_contains(&text, "Ja, 30.03.2026 kl. 10.00: E-mail til hver kunde", "told");
    breach.data_subjects = Some(SubjectNotification::Exception {
        exception: Art34Exception::Unintelligible,
        explanation: "AES-256, nøglen er ikke kompromitteret.".to_owned(),
    });
    let text = notification(&breach, Language::NorwegianBokmal).text();
    assert_contains(&text, "Nei, unntak: Art. 34 nr. 3 bokstav a", "exception");
    assert_contains(&text, "AES-256, nøglen er ikke kompromitteret.", "exception");
}

#[test]
fn the_breach_log_has_every_breach_with_the_risk_decision_and_its_reasons() {
    let (_, log) = fixture_with_log();
    let cases = [
        (
            Language::Danish,
            "Log over brud på persondatasikkerheden",
            "Side {n} af {pages}",
            "Ikke påkrævet (ingen risiko)",
            "Ikke anmeldt: bruddet er vurderet som usandsynligt",
        ),
        (
            Language::NorwegianBokmal,
            "Avvikslogg: brudd på personopplysningssikkerheten",
            "Side {n} av {pages}",
            "Ikke påkrevd (ingen risiko)",
            "Ikke meldt: avviket er vurdert som lite sannsynlig",
        ),
        (
            Language::English,
            "Personal data breach log",
            "Page {n} of {pages}",
            "Not required (no risk)",
            "Not notified: the breach is assessed as unlikely",
        ),
    ];
    for (language, title, page, summary_word, not_notified) in cases {
        let pdf = breach_log(&log, LogPeriod::all(), language);
        let text = pdf.text();
        let what = format!("{language:?}");
        assert_contains(&text, title, &what);
        for n in [1, pdf.pages] {
            assert_contains(
                &text,
                &page.replace("{n}", &n.to_string()).replace("{pages}", &pdf.pages.to_string()),
                &what,
            );
        }
        assert_contains(&text, summary_word, &what);
        assert_contains(&text, not_notified, &what);
        // The no-risk breach is there with its reasons; the notified one with its case number.
        for needle in [
            "2026-001: Ordrebekræftelser sendt til forkerte kunder",
            "2026-002: Krypteret USB-nøgle med lønbilag tabt",
            "Nøglen er krypteret med en stærk adgangskode, og oplysningerne findes i lønsystemet.",
            "Almindelige oplysninger om et begrænset antal kunder",
            "2026-431-0123",
            "30 af 37 modtagere har bekræftet sletning.",
            "Lønbilag sendes nu kun via revisors portal.",
        ] {
            assert_contains(&text, needle, &what);
        }
        assert_eq!(
            outline_titles(&pdf.path),
            vec![
                "2026-001: Ordrebekræftelser sendt til forkerte kunder".to_owned(),
                "2026-002: Krypteret USB-nøgle med lønbilag tabt".to_owned()
            ],
            "{what}: one bookmark per breach"
        );
        assert_eq!(info_field(&pdf.info(), "Title"), title);
        assert_layout_is_clean(&pdf.path);
    }
}

#[test]
fn the_breach_log_covers_only_its_period_by_the_day_of_awareness() {
    let (_, mut log) = fixture_with_log();
    // Aware at 00:30 on 1 April in Copenhagen (22:30 UTC the day before).
    let mut midnight = log.breaches[1].clone();
    midnight.id = "2026-003".to_owned();
    midnight.title = "Brud lige efter midnat".to_owned();
    midnight.became_aware_at = utc("2026-03-31T22:30:00Z");
    log.breaches.push(midnight);
    let day = |d: u32, m: u32| chrono::NaiveDate::from_ymd_opt(2026, m, d);

    let march = breach_log(&log, LogPeriod { from: day(1, 3), to: day(31, 3) }, Language::Danish).text();
    assert_contains(&march, "Ordrebekræftelser sendt til forkerte kunder", "March");
    assert_contains(&march, "01.03.2026 til 31.03.2026", "March");
    assert_contains(&march, "1 brud, heraf 1 anmeldt til Datatilsynet", "March");
    assert!(!march.contains("Brud lige efter midnat") && !march.contains("USB-nøgle"), "March: {march}");

    let from_april = breach_log(&log, LogPeriod { from: day(1, 4), to: None }, Language::Danish).text();
    assert_contains(&from_april, "Brud lige efter midnat", "from April");
    assert_contains(&from_april, "Krypteret USB-nøgle med lønbilag tabt", "from April");
    assert_contains(&from_april, "2 brud, heraf 0 anmeldt til Datatilsynet", "from April");
    assert!(!from_april.contains("Ordrebekræftelser"), "from April: {from_april}");

    let empty = breach_log(&log, LogPeriod { from: day(1, 7), to: day(31, 12) }, Language::English);
    assert_contains(&empty.text(), "There are no breaches in the period.", "empty");
    assert_eq!(empty.pages, 1);
}

#[test]
fn long_breach_texts_and_odd_input_give_a_clean_layout() {
    let (content, log) = fixture_with_log();
    let mut breach = log.breaches[0].clone();
    let long = |word: &str| (0..400).map(|i| format!("{word}{i}")).collect::<Vec<_>>().join(" ");
    breach.description = long("hændelse");
    breach.consequences = long("følge");
    breach.measures_taken = format!("{} https://eksempel.dk/{}", long("tiltag"), "sti/".repeat(60));
    breach.title = "Ø".repeat(300);
    breach.data_categories.push("unknown-category".to_owned());
    breach.activities.push("unknown-activity".to_owned());
    breach.happened_from = None;
    breach.approx_records = None;
    for i in 0..40 {
        breach.record_notice(
            utc("2026-04-03T10:00:00Z") + chrono::TimeDelta::hours(i),
            format!("2026-431-{i:04}"),
            None,
            format!("Supplement {i}: {}", "nyt ".repeat(i as usize)),
            None,
        );
    }
    for language in [Language::Danish, Language::NorwegianBokmal, Language::English] {
        let pdf = Rendered::new(ropa_pdf::breach_notification(&content, &breach, &meta(language)).expect("render"));
        let text = pdf.text();
        assert!(pdf.pages >= 4, "{language:?}: {} pages", pdf.pages);
        for needle in
            ["hændelse399", "følge399", "2026-431-0039", "Supplement 39", "unknown-category", "unknown-activity"]
        {
            assert_contains(&text, needle, &format!("{language:?}"));
        }
        assert_layout_is_clean(&pdf.path);
    }
    let mut log = log;
    log.breaches.push(breach);
    let pdf = Rendered::new(
        ropa_pdf::breach_log(&content, &log, &LogPeriod::all(), &meta(Language::Danish)).expect("render"),
    );
    assert_layout_is_clean(&pdf.path);
    // A breach with nothing but its title and awareness.
    let bare = Breach::new("", utc("2026-10-25T00:30:00Z"), ropa_core::vocab::BreachFinder::Staff);
    let pdf = Rendered::new(ropa_pdf::breach_notification(&content, &bare, &meta(Language::English)).expect("render"));
    let text = pdf.text();
    assert_contains(&text, "The risk has not been assessed yet.", "bare");
    // 02:30 summer time on the night the clocks go back; 72 real hours later it is 01:30.
    assert_contains(&text, "Became aware (the 72 hours start) 2026-10-25 02:30", "bare");
    assert_contains(&text, "Not notified; the deadline ended 2026-10-28 01:30.", "bare: 72 h across the autumn change");
    assert_layout_is_clean(&pdf.path);
}

#[test]
fn the_altinn_main_cause_is_the_chosen_one_or_not_stated() {
    let (_, log) = fixture_with_log();
    let mut breach = log.breaches[0].clone();
    breach.main_cause = Some(ropa_core::vocab::BreachCause::StaffSnooping);
    let text = notification(&breach, Language::NorwegianBokmal).text();
    // The first question of the avviksmelding, before the period.
    assert_in_order(
        &text,
        &["Avviksmeldingen", "Hovedårsak Snoking: egne ansattes urettmessige oppslag", "Tidsrom"],
        "nb",
    );
    // The nature of the breach is not the main cause: it stands with the log's other facts.
    assert_in_order(&text, &["Øvrige opplysninger fra avviksloggen", "Konfidensialitet"], "nb");

    breach.main_cause = None;
    let text = notification(&breach, Language::NorwegianBokmal).text();
    assert_contains(&text, "Hovedårsak Ikke angitt. Tidsrom", "nb without a main cause");
    let text = notification(&breach, Language::Danish).text();
    assert_contains(&text, "Hovedårsag Ikke angivet.", "da without a main cause");
    // The breach log lists it with the facts.
    let mut log = log;
    log.breaches[1].main_cause = Some(ropa_core::vocab::BreachCause::Malware);
    let text = breach_log(&log, LogPeriod::all(), Language::NorwegianBokmal).text();
    assert_contains(&text, "Hovedårsak Post eller e-post sendt til feil mottaker", "log, first breach");
    assert_contains(&text, "Hovedårsak Skadevare eller løsepengevirus", "log, second breach");
}

// ---------------------------------------------------------------------------------------------
// Processors (Art. 28)

use ropa_core::processor_agreements::*;
use ropa_core::validation::CountryLists;

const DOC_SHA: &str = "9f2c1e7a55b0d4c3e8f6a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6";
const REPORT_SHA: &str = "4be1c0de55b0d4c3e8f6a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6";

fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn all_covered_but_audits() -> Art28Checklist {
    let yes = |note: &str| ChecklistPoint { covered: true, note: note.to_owned() };
    Art28Checklist {
        instructions: yes("Pkt. 4.1"),
        confidentiality: yes(""),
        security: yes("Bilag C"),
        sub_processors: yes("Pkt. 7, generel godkendelse"),
        data_subject_rights: yes(""),
        assistance: yes(""),
        deletion_or_return: yes("Pkt. 11"),
        audits: ChecklistPoint { covered: false, note: "Kun ved mistanke om brud".to_owned() },
    }
}

/// Three processors as of 22 November 2026: one whose agreement ends within 60 days and whose
/// supervision is overdue, with a chain of sub-processors out of the EEA; one without any
/// agreement that two activities use; one with an unsigned agreement and nothing else.
fn processors() -> Vec<Processor> {
    let mut mail = Processor::new("mailhost", "Mail Host Ltd", "IE");
    mail.business_id = Some(BusinessId { scheme: BusinessIdScheme::Foreign, value: "IE1234567X".to_owned() });
    mail.services = vec!["E-mail".to_owned(), "Nyhedsbreve".to_owned()];
    mail.activities = vec!["webshop-orders".to_owned(), "newsletter".to_owned()];
    mail.data_categories = vec!["orders".to_owned(), "contact".to_owned()];
    mail.sub_processors = vec![
        SubProcessor {
            name: "CloudCo Inc".to_owned(),
            country: "US".to_owned(),
            services: vec!["Hosting".to_owned()],
            mechanism: Some(TransferMechanism::DataPrivacyFramework),
            dpf_certified: Some(true),
            sub_processors: vec![SubProcessor {
                name: "Backup Pte Ltd".to_owned(),
                country: "SG".to_owned(),
                services: vec!["Backup".to_owned()],
                mechanism: Some(TransferMechanism::StandardContractualClauses),
                dpf_certified: None,
                sub_processors: Vec::new(),
            }],
        },
        SubProcessor {
            name: "Nordic DC AB".to_owned(),
            country: "SE".to_owned(),
            services: Vec::new(),
            mechanism: None,
            dpf_certified: None,
            sub_processors: Vec::new(),
        },
    ];
    mail.agreements = vec![
        Agreement {
            version: "1.0".to_owned(),
            current: false,
            signed_on: Some(day(2023, 2, 1)),
            expires_on: None,
            term: String::new(),
            checklist: Art28Checklist::default(),
            document: None,
        },
        Agreement {
            version: "2.0".to_owned(),
            current: true,
            signed_on: Some(day(2025, 1, 15)),
            expires_on: Some(day(2026, 12, 20)),
            term: "3 måneders opsigelse".to_owned(),
            checklist: all_covered_but_audits(),
            document: Some(AgreementDocument {
                file_name: "DPA Mail Host 2.0.pdf".to_owned(),
                kind: DocumentKind::Pdf,
                size: 3_000_009,
                sha256: DOC_SHA.to_owned(),
            }),
        },
    ];
    mail.supervisions = vec![
        Supervision {
            id: String::new(),
            method: SupervisionMethod::Questionnaire,
            done_on: day(2024, 9, 1),
            findings: String::new(),
            next_due: None,
            report: None,
        },
        Supervision {
            id: String::new(),
            method: SupervisionMethod::Isae3402,
            done_on: day(2025, 10, 1),
            findings: "Ingen væsentlige afvigelser".to_owned(),
            next_due: None,
            report: Some(AgreementDocument {
                file_name: "isae-2025.pdf".to_owned(),
                kind: DocumentKind::Pdf,
                size: 812_345,
                sha256: REPORT_SHA.to_owned(),
            }),
        },
    ];

    let mut payroll = Processor::new("payroll-co", "Løn & Co A/S", "DK");
    payroll.business_id = Some(BusinessId { scheme: BusinessIdScheme::Cvr, value: "24256790".to_owned() });
    payroll.activities = vec!["payroll".to_owned(), "recruitment".to_owned()];

    let mut print = Processor::new("print", "Trykkeriet AS", "NO");
    print.agreements = vec![Agreement {
        version: "1".to_owned(),
        current: true,
        signed_on: None,
        expires_on: None,
        term: String::new(),
        checklist: Art28Checklist::default(),
        document: None,
    }];
    vec![mail, payroll, print]
}

fn overview(processors: &[Processor], language: Language) -> Rendered {
    Rendered::new(
        ropa_pdf::processors_overview(&fixture(), processors, CountryLists::shipped(), &meta(language))
            .expect("render"),
    )
}

struct ExpectedOverview {
    language: Language,
    /// In reading order: title, the three status rows with their entries, the processor table,
    /// then the first processor's sections.
    in_order: &'static [&'static str],
    words: &'static [&'static str],
}

const EXPECTED_OVERVIEW: &[ExpectedOverview] = &[
    ExpectedOverview {
        language: Language::Danish,
        in_order: &[
            "Oversigt over databehandlere",
            "Det skal følges op pr. 22.11.2026",
            "Uden underskrevet databehandleraftale",
            "Løn & Co A/S – bruges af Personaleadministration og løn og Rekruttering",
            "Trykkeriet AS",
            "Aftaler, der udløber inden for 60 dage",
            "Mail Host Ltd – udløber 20.12.2026",
            "Tilsyn, der forfalder eller er overskredet",
            "Mail Host Ltd – overskredet siden 01.10.2026",
            "Alle databehandlere",
            "Version 2.0, underskrevet 15.01.2025",
            "Ingen aftale",
            "Version 1, ikke underskrevet",
            "1. Mail Host Ltd",
            "Virksomhedsnummer",
            "IE1234567X",
            "Inden for EØS",
            "Webshop: ordrer og levering",
            "Nyhedsbrev",
            "Kontaktoplysninger (e-mail, telefon)",
            "Databehandleraftale",
            "20.12.2026 (inden for 60 dage)",
            "3 måneders opsigelse",
            "DPA Mail Host 2.0.pdf (PDF, 2,9 MB)",
            "Indhold efter art. 28, stk. 3",
            "Aftalen dækker 7 af de 8 punkter.",
            "Oplysninger og revision Nej – mangler Kun ved mistanke om brud",
            "Tidligere versioner",
            "Underdatabehandlere",
            "CloudCo Inc US Hosting EU-US Data Privacy Framework (art. 45)",
            "↳ Backup Pte Ltd SG Backup Standardkontraktbestemmelser",
            "Nordic DC AB SE Ikke angivet Inden for EØS",
            "Tilsyn",
            "12 måneder (standard)",
            "Seneste tilsyn 01.10.2025 – ISAE 3402-erklæring",
            "01.10.2026 (overskredet)",
            "ISAE 3402-erklæring Ingen væsentlige afvigelser",
            "Skriftligt spørgeskema",
            "2. Løn & Co A/S",
            "Der er ikke registreret nogen databehandleraftale.",
            "Der er ikke registreret nogen underdatabehandlere.",
            "Intet tilsyn registreret",
            "Ikke angivet – hverken tilsyn eller underskrevet aftale",
            "3. Trykkeriet AS",
            "Ikke underskrevet",
        ],
        words: &[
            "Side 1 af",
            "Ændringslog post 3",
            "CVR-nr.",
            "Landelister",
            "EØS pr. 01.01.2025; tredjelande med tilstrækkeligt beskyttelsesniveau pr. 01.07.2025",
            "isae-2025.pdf",
            "SHA-256: 4be1c0de55b0…",
            "Ingen vedhæftet",
        ],
    },
    ExpectedOverview {
        language: Language::NorwegianBokmal,
        in_order: &[
            "Oversikt over databehandlere",
            "Dette må følges opp per 22.11.2026",
            "Uten signert databehandleravtale",
            "Løn & Co A/S – brukes av",
            "Avtaler som utløper innen 60 dager",
            "Mail Host Ltd – utløper 20.12.2026",
            "Oppfølging som forfaller eller er forsinket",
            "Mail Host Ltd – forsinket siden 01.10.2026",
            "1. Mail Host Ltd",
            "Innenfor EØS",
            "Avtalen dekker 7 av de 8 punktene.",
            "Informasjon og revisjon Nei – mangler",
            "Underdatabehandlere",
            "↳ Backup Pte Ltd",
            "Oppfølging",
            "ISAE 3402-uttalelse",
        ],
        words: &["Side 1 av", "Endringslogg"],
    },
    ExpectedOverview {
        language: Language::English,
        in_order: &[
            "Processors overview",
            "To act on as of 2026-11-22",
            "Without a signed data processing agreement",
            "Løn & Co A/S – used by",
            "Agreements ending within 60 days",
            "Mail Host Ltd – ends 2026-12-20",
            "Supervision due or overdue",
            "Mail Host Ltd – overdue since 2026-10-01",
            "1. Mail Host Ltd",
            "Within the EEA",
            "The agreement covers 7 of the 8 points.",
            "Information and audits No – missing",
            "Sub-processors",
            "↳ Backup Pte Ltd",
            "Supervision",
            "ISAE 3402 report",
        ],
        words: &[
            "Page 1 of",
            "Change log entry 3",
            "DPA Mail Host 2.0.pdf (PDF, 2.9 MB)",
            "EEA as of 2025-01-01; third countries with an adequacy decision as of 2025-07-01",
            "None attached",
        ],
    },
];

#[test]
fn the_processors_overview_reads_back_in_every_language() {
    for expected in EXPECTED_OVERVIEW {
        let pdf = overview(&processors(), expected.language);
        let text = pdf.text();
        let what = format!("{:?}", expected.language);
        let in_order: Vec<String> = expected.in_order.iter().map(|s| collapse(s)).collect();
        assert_in_order(&text, &in_order.iter().map(String::as_str).collect::<Vec<_>>(), &what);
        for needle in expected.words {
            assert_contains(&text, needle, &what);
        }
        // The document is described, its hash in full; activities and categories by name.
        assert_contains(&text, &format!("SHA-256: {DOC_SHA}"), &what);
        for id in ["webshop-orders", "newsletter", "payroll-co"] {
            assert!(!text.contains(id), "{what}: the id {id} is shown instead of a name");
        }
        let titles = outline_titles(&pdf.path);
        // pdftohtml's XML escapes the ampersand.
        assert_eq!(titles, ["1. Mail Host Ltd", "2. Løn &amp; Co A/S", "3. Trykkeriet AS"], "{what}");
        assert_layout_is_clean(&pdf.path);
    }
}

#[test]
fn the_processors_overview_uses_the_country_lists_it_is_given_and_states_their_dates() {
    use ropa_core::validation::CountryList;
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).expect("date");
    // Sweden taken off the EEA list: its sub-processor without a mechanism is now a gap.
    let lists = CountryLists {
        eea: CountryList {
            as_of: day(2026, 9, 1),
            countries: CountryLists::shipped().eea.countries.iter().filter(|c| *c != "SE").cloned().collect(),
        },
        ..CountryLists::shipped().clone()
    };
    let pdf = Rendered::new(
        ropa_pdf::processors_overview(&fixture(), &processors(), &lists, &meta(Language::Danish)).expect("render"),
    );
    let text = pdf.text();
    assert_contains(&text, "EØS pr. 01.09.2026", "edited lists");
    assert_contains(&text, "Nordic DC AB SE Ikke angivet Ikke angivet (land uden for EØS)", "edited lists");
}

#[test]
fn an_overview_without_processors_says_so_and_has_nothing_to_act_on() {
    let text = overview(&[], Language::Danish).text();
    assert_contains(&text, "Registret har ingen databehandlere.", "empty");
    assert_contains(&text, "Uden underskrevet databehandleraftale Ingen", "empty");
    assert_contains(&text, "Tilsyn, der forfalder eller er overskredet Ingen", "empty");
}

#[test]
fn the_art30_record_lists_the_processors_serving_each_activity() {
    let content = fixture();
    let with = |language| {
        Rendered::new(
            ropa_pdf::record_of_processing_with_processors(
                &content,
                &processors(),
                CountryLists::shipped(),
                &meta(language),
            )
            .expect("render"),
        )
    };
    let text = with(Language::Danish).text();
    assert_in_order(
        &text,
        &[
            "Webshop: ordrer og levering",
            "Databehandlere (art. 28)",
            "Mail Host Ltd IE Inden for EØS • CloudCo Inc (US): EU-US Data Privacy Framework (art. 45)",
            "• Backup Pte Ltd (SG): Standardkontraktbestemmelser",
            "Nyhedsbrev",
            "Mail Host Ltd",
            "Personaleadministration og løn",
            "Løn & Co A/S DK Inden for EØS Ingen",
            "Tv-overvågning i butikken",
            "Ingen databehandler behandler oplysninger for aktiviteten.",
        ],
        "da",
    );
    // A sub-processor inside the EEA is not listed as outside it.
    assert!(!text.contains("Nordic DC AB"), "a sub-processor in the EEA is listed as outside it");
    assert_contains(&with(Language::English).text(), "Processors (Art. 28)", "en");
    assert_contains(&with(Language::NorwegianBokmal).text(), "Databehandlere (artikkel 28)", "nb");

    // Without processors the record is what it was: no processors section at all.
    let plain = register(Language::Danish).text();
    assert!(!plain.contains("Databehandlere (art. 28)"), "processors section without processors");
    let empty = Rendered::new(
        ropa_pdf::record_of_processing_with_processors(&content, &[], CountryLists::shipped(), &meta(Language::Danish))
            .expect("render"),
    );
    assert_eq!(empty.text(), plain);
}

// ---------------------------------------------------------------------------------------------
// Recorded calls: the deletion receipt and the access extract

use ropa_core::call_import::{ConsentMethod, Direction};
use ropa_core::recordings::{
    AccessCall, AccessExtract, AudioCopy, AudioOutcome, CallStatus, DeletedCall, DeletionReason, DeletionReceipt,
    RecordedCall, RecordingPolicy, WithdrawalChannel,
};

/// The person's number as the phone system and the register have it.
const PHONE: &str = "+4533123456";

fn deleted(call_id: &str, start: &str, reason: DeletionReason, audio: Option<AudioOutcome>) -> DeletedCall {
    DeletedCall {
        call_id: call_id.to_owned(),
        start: utc(start),
        direction: Direction::Inbound,
        policy_name: "Kundeservice (kvalitet)".to_owned(),
        reason,
        audio,
    }
}

/// A withdrawal by phone: one call per audio outcome, and one without a recording.
fn receipt() -> DeletionReceipt {
    DeletionReceipt {
        id: "2026-0001".to_owned(),
        withdrawn_at: utc("2026-11-20T09:00:00Z"),
        channel: WithdrawalChannel::Phone,
        recorded_at: utc("2026-11-20T10:00:00Z"),
        calls: vec![
            deleted("A-1", "2025-01-05T08:15:00Z", DeletionReason::ConsentWithdrawn, Some(AudioOutcome::Deleted)),
            deleted("A-2", "2025-01-06T09:00:00Z", DeletionReason::ConsentWithdrawn, Some(AudioOutcome::Missing)),
            DeletedCall {
                direction: Direction::Outbound,
                policy_name: "Salg (dokumentation)".to_owned(),
                ..deleted("A-3", "2025-01-07T10:00:00Z", DeletionReason::Request, Some(AudioOutcome::External))
            },
            deleted("A-4", "2025-02-01T12:30:00Z", DeletionReason::ConsentWithdrawn, None),
        ],
    }
}

fn deletion_receipt(receipt: &DeletionReceipt, language: Language) -> Rendered {
    Rendered::new(ropa_pdf::deletion_receipt(&fixture(), receipt, &meta(language)).expect("render"))
}

struct ReceiptWords {
    language: Language,
    title: &'static str,
    channel: &'static str,
    reasons: [&'static str; 2],
    audio: [&'static str; 4],
    words: &'static [&'static str],
}

const RECEIPT: &[ReceiptWords] = &[
    ReceiptWords {
        language: Language::Danish,
        title: "Kvittering for sletning",
        channel: "Henvendelse via Telefon",
        reasons: ["Samtykke trukket tilbage", "Efter din anmodning"],
        audio: ["Lydfilen er slettet", "Lydfilen fandtes ikke længere", "Slettes i telefonsystemet", "Ingen lydfil"],
        words: &[
            "Samtykke trukket tilbage 20.11.2026 kl. 10.00",
            "Registreret og slettet 20.11.2026 kl. 11.00",
            "05.01.2025 kl. 09.15",
            "indgående",
            "udgående",
            "Bager Hansen ApS sletter den dér",
            "artikel 5, stk. 2",
            "4 opkald",
        ],
    },
    ReceiptWords {
        language: Language::NorwegianBokmal,
        title: "Kvittering for sletting",
        channel: "Henvendelse via Telefon",
        reasons: ["Samtykke trukket tilbake", "Etter din anmodning"],
        audio: ["Lydfilen er slettet", "Lydfilen fantes ikke lenger", "Slettes i telefonsystemet", "Ingen lydfil"],
        words: &["05.01.2025 kl. 09.15", "innkommende", "utgående", "artikkel 5 nr. 2", "4 samtaler"],
    },
    ReceiptWords {
        language: Language::English,
        title: "Deletion receipt",
        channel: "Channel Phone",
        reasons: ["Consent withdrawn", "At your request"],
        audio: [
            "Audio file deleted",
            "Audio file no longer there",
            "To be deleted in the phone system",
            "No audio file",
        ],
        words: &["2025-01-05 09:15", "inbound", "outbound", "Article 5(2)", "4 calls"],
    },
];

/// No catalog key shows where a word should be.
fn assert_no_keys(text: &str, what: &str) {
    for prefix in ["report.", "recordings.", "vocab."] {
        assert!(!text.contains(prefix), "{what}: a catalog key {prefix}… is shown:\n{text}");
    }
}

#[test]
fn the_deletion_receipt_reads_back_in_every_language_without_a_phone_number() {
    let receipt = receipt();
    for expected in RECEIPT {
        let pdf = deletion_receipt(&receipt, expected.language);
        let text = pdf.text();
        let what = format!("{:?}", expected.language);
        assert_contains(&text, expected.title, &what);
        assert_contains(&text, "2026-0001", &what);
        assert_contains(&text, "Bager Hansen ApS", &what);
        assert_contains(&text, "24256790", &what);
        assert_contains(&text, "Kundeservice (kvalitet)", &what);
        assert_contains(&text, expected.channel, &what);
        for call in &receipt.calls {
            assert_contains(&text, &call.call_id, &what);
        }
        for word in expected.reasons.iter().chain(&expected.audio).chain(expected.words) {
            assert_contains(&text, word, &what);
        }
        assert_no_keys(&text, &what);
        // The person's number in any form, and no run of digits a number could hide in.
        let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        for form in [PHONE, "33123456", "33 12 34 56"] {
            assert!(!text.contains(form) && !digits.contains(form), "{what}: a phone number on the receipt");
        }
        assert_eq!(info_field(&pdf.info(), "Title"), expected.title);
        assert_layout_is_clean(&pdf.path);
    }
}

#[test]
fn a_receipt_only_explains_the_phone_system_when_audio_is_there() {
    let mut receipt = receipt();
    receipt.calls.retain(|c| c.audio != Some(AudioOutcome::External));
    let text = deletion_receipt(&receipt, Language::Danish).text();
    assert!(!text.contains("Slettes i telefonsystemet"), "no call has its audio in the phone system");
}

fn access_call(call_id: &str, start: &str, policy: &RecordingPolicy, recording: Option<&str>) -> AccessCall {
    let consent = policy.needs_consent();
    AccessCall {
        call: RecordedCall {
            call_id: call_id.to_owned(),
            start: utc(start),
            direction: policy.direction,
            phone: PHONE.to_owned(),
            customer_ref: Some("K-17".to_owned()),
            agent: Some("Mette Ø.".to_owned()),
            policy_id: policy.id.clone(),
            consent_method: consent.then_some(ConsentMethod::Keypress),
            consent_at: consent.then(|| utc(start)),
            consent_script: consent.then(|| "IVR-velkomst v3".to_owned()),
            recording_ref: recording.map(str::to_owned),
            delete_by: ropa_core::recordings::delete_by(utc(start), policy.retention_months, Country::Denmark)
                .expect("day"),
            status: CallStatus::Kept,
            flag: None,
        },
        policy: policy.clone(),
        processor_name: policy.processor_id.as_ref().map(|_| "Telia Danmark".to_owned()),
    }
}

/// Two calls on consent with a processor, two on legitimate interest without one; the audio
/// copied, not found, in the phone system, and no recording.
fn extract() -> (AccessExtract, Vec<Option<AudioCopy>>) {
    let mut service = RecordingPolicy::inbound_customer_service("service", "Kundeservice (kvalitet)");
    service.processor_id = Some("telia".to_owned());
    let sales = RecordingPolicy::outbound_sales("sales", "Salg (dokumentation)");
    let extract = AccessExtract {
        subject: PHONE.to_owned(),
        calls: vec![
            access_call("B-1", "2026-01-08T11:00:00Z", &service, Some("2026/B-1.wav")),
            access_call("B-2", "2026-01-09T11:00:00Z", &service, Some("2026/B-2.wav")),
            access_call("B-3", "2026-11-01T11:00:00Z", &sales, Some("PBX-REC-991")),
            access_call("B-4", "2026-11-02T11:00:00Z", &sales, None),
        ],
    };
    let audio = vec![
        Some(AudioCopy::Copied(std::path::PathBuf::from("/home/dpo/indsigt-2026-11/B-1.wav"))),
        Some(AudioCopy::Missing),
        Some(AudioCopy::External),
        None,
    ];
    (extract, audio)
}

fn access_extract(extract: &AccessExtract, audio: &[Option<AudioCopy>], language: Language) -> Rendered {
    Rendered::new(ropa_pdf::access_extract(&fixture(), extract, audio, &meta(language)).expect("render"))
}

struct AccessWords {
    language: Language,
    title: &'static str,
    audio: [&'static str; 4],
    words: &'static [&'static str],
}

const ACCESS: &[AccessWords] = &[
    AccessWords {
        language: Language::Danish,
        title: "Indsigt i optagede opkald",
        audio: [
            "Kopi vedlagt: B-1.wav",
            "Lydfilen blev ikke fundet",
            "Hentes fra telefonsystemet",
            "Ingen optagelse registreret",
        ],
        words: &[
            "Anmodning om indsigt for +4533123456",
            "Kvalitetssikring",
            "Dokumentation af aftaler",
            "Samtykke (art. 6, stk. 1, litra a)",
            "Legitime interesser (art. 6, stk. 1, litra f)",
            "16 måneder fra opkaldets dato",
            "6 måneder fra opkaldets dato",
            "Optages af (databehandler) Telia Danmark",
            "tastetryk",
            "Ordlyd: IVR-velkomst v3",
            "08.01.2026 kl. 12.00",
            "Slettes senest 08.05.2027",
            "Kundenr. K-17",
            "Medarbejder: Mette Ø.",
            "Du kan klage til Datatilsynet (www.datatilsynet.dk).",
            "4 opkald",
        ],
    },
    AccessWords {
        language: Language::NorwegianBokmal,
        title: "Innsyn i lydopptak av samtaler",
        audio: [
            "Kopi vedlagt: B-1.wav",
            "Lydfilen ble ikke funnet",
            "Hentes fra telefonsystemet",
            "Ingen opptak registrert",
        ],
        words: &[
            "Samtykke (art. 6 nr. 1 bokstav a)",
            "Berettigede interesser (art. 6 nr. 1 bokstav f)",
            "16 måneder fra datoen for samtalen",
            "tastetrykk",
            "08.01.2026 kl. 12.00",
            "Du kan klage til det danske Datatilsynet (www.datatilsynet.dk).",
            "4 samtaler",
        ],
    },
    AccessWords {
        language: Language::English,
        title: "Access extract: recorded calls",
        audio: [
            "Copy enclosed: B-1.wav",
            "Audio file not found",
            "To be obtained from the phone system",
            "No recording on record",
        ],
        words: &[
            "Consent (Art. 6(1)(a))",
            "Legitimate interests (Art. 6(1)(f))",
            "16 months from the day of the call",
            "keypress",
            "2026-01-08 12:00",
            "Delete by 2027-05-08",
            "Agent: Mette Ø.",
            "Danish Data Protection Agency",
            "4 calls",
        ],
    },
];

#[test]
fn the_access_extract_reads_back_in_every_language() {
    let (extract, audio) = extract();
    for expected in ACCESS {
        let pdf = access_extract(&extract, &audio, expected.language);
        let text = pdf.text();
        let what = format!("{:?}", expected.language);
        assert_contains(&text, expected.title, &what);
        assert_contains(&text, "Bager Hansen ApS", &what);
        for call in &extract.calls {
            assert_contains(&text, &call.call.call_id, &what);
        }
        for word in ["Kundeservice (kvalitet)", "Salg (dokumentation)", PHONE, "K-17"] {
            assert_contains(&text, word, &what);
        }
        for word in expected.audio.iter().chain(expected.words) {
            assert_contains(&text, word, &what);
        }
        assert_no_keys(&text, &what);
        assert!(!text.contains("/home/dpo"), "{what}: only the copy's file name is shown");
        assert_eq!(info_field(&pdf.info(), "Title"), expected.title);
        assert!(!info_field(&pdf.info(), "Subject").contains(PHONE), "{what}: no phone number in the metadata");
        assert_layout_is_clean(&pdf.path);
    }
}

#[test]
fn a_norwegian_organisations_extract_names_the_norwegian_authority() {
    let (extract, audio) = extract();
    let mut content = fixture();
    content.organisation.country = Country::Norway;
    for (language, words) in [
        (Language::NorwegianBokmal, "Du kan klage til Datatilsynet (www.datatilsynet.no)."),
        (Language::English, "Norwegian Data Protection Authority (Datatilsynet, www.datatilsynet.no)"),
    ] {
        let pdf = ropa_pdf::access_extract(&content, &extract, &audio, &meta(language)).expect("render");
        let text = Rendered::new(pdf).text();
        assert_contains(&text, words, "Norway");
        assert!(!text.contains("datatilsynet.dk"), "the Danish authority for a Norwegian organisation");
    }
}

#[test]
fn an_extract_of_hundreds_of_calls_is_a_table_of_a_few_pages() {
    let (mut extract, _) = extract();
    let template = extract.calls.clone();
    extract.calls = (0..300)
        .map(|i| {
            let mut call = template[i % template.len()].clone();
            call.call.call_id = format!("CALL-{i:04}");
            call
        })
        .collect();
    let audio: Vec<Option<AudioCopy>> =
        (0..300).map(|i| Some(AudioCopy::Copied(format!("CALL-{i:04}.wav").into()))).collect();
    let pdf = ropa_pdf::access_extract(&fixture(), &extract, &audio, &meta(Language::Danish)).expect("render");
    assert!(pdf.pages <= 40, "{} pages for 300 calls", pdf.pages);
    let rendered = Rendered::new(pdf);
    let text = rendered.text();
    for i in [0, 150, 299] {
        assert_contains(&text, &format!("CALL-{i:04}"), "call");
        assert_contains(&text, &format!("Kopi vedlagt: CALL-{i:04}.wav"), "copy");
    }
    assert_layout_is_clean(&rendered.path);
}
