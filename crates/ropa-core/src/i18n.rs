//! The message catalog: one flat JSON file per language in `assets/i18n/`, shared by the CLI,
//! the PDF reports and the app's UI. Keys are stable codes (`error.wrong_passphrase`,
//! `issue.legal_basis.law_missing`, `vocab.art6.6-1-a`); `{name}` marks a parameter, and a key
//! ending in `.one` is the singular form used when the `count` parameter is 1.
//! A test fails when a key is missing in one language.

use crate::vocab::Language;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

pub type Messages = HashMap<String, String>;

const DA: &str = include_str!("../../../assets/i18n/da.json");
const NB: &str = include_str!("../../../assets/i18n/nb.json");
const EN: &str = include_str!("../../../assets/i18n/en.json");

/// The raw catalog text of a language.
pub fn source(language: Language) -> &'static str {
    match language {
        Language::Danish => DA,
        Language::NorwegianBokmal => NB,
        Language::English => EN,
    }
}

/// The parsed catalog of a language. A catalog that fails to parse is empty; a test makes
/// sure each parses.
pub fn messages(language: Language) -> &'static Messages {
    static CELLS: [OnceLock<Messages>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let index = match language {
        Language::Danish => 0,
        Language::NorwegianBokmal => 1,
        Language::English => 2,
    };
    CELLS[index].get_or_init(|| serde_json::from_str(source(language)).unwrap_or_default())
}

/// Translates `key` with `params`. When the `count` parameter is 1 and `<key>.one` exists, that
/// singular form is used. A missing key falls back to English, then to the key itself.
pub fn t(language: Language, key: &str, params: &BTreeMap<String, String>) -> String {
    let singular = format!("{key}.one");
    let key = if params.get("count").is_some_and(|c| c == "1") && messages(language).contains_key(&singular) {
        singular.as_str()
    } else {
        key
    };
    let template = messages(language)
        .get(key)
        .or_else(|| messages(Language::English).get(key))
        .cloned()
        .unwrap_or_else(|| key.to_owned());
    fill(&template, params)
}

/// Translates a key without parameters.
pub fn t0(language: Language, key: &str) -> String {
    t(language, key, &BTreeMap::new())
}

fn fill(template: &str, params: &BTreeMap<String, String>) -> String {
    let mut out = template.to_owned();
    for (name, value) in params {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// Translates a validation issue (`issue.<code>`). Parameters that hold a stable id are shown in
/// words (`article` → `vocab.article.<id>`, `provision` → `vocab.provision.<id>`, `purpose` →
/// `vocab.recording_purpose.<id>`), and dates
/// (`date`, `as_of`) in the language's date format.
pub fn issue_text(language: Language, code: &str, params: &BTreeMap<String, String>) -> String {
    let mut shown = params.clone();
    let vocabularies =
        [("article", "vocab.article"), ("provision", "vocab.provision"), ("purpose", "vocab.recording_purpose")];
    for (name, vocab) in vocabularies {
        if let Some(id) = params.get(name)
            && let Some(words) = messages(language).get(&format!("{vocab}.{id}"))
        {
            shown.insert(name.to_owned(), words.clone());
        }
    }
    for name in ["date", "as_of"] {
        if let Some(date) = params.get(name).and_then(|d| d.parse::<chrono::NaiveDate>().ok()) {
            shown.insert(name.to_owned(), format_date(language, date));
        }
    }
    t(language, &format!("issue.{code}"), &shown)
}

/// A date in the language's format (`format.date`).
pub fn format_date(language: Language, date: chrono::NaiveDate) -> String {
    let pattern = messages(language).get("format.date").map(String::as_str).unwrap_or("%Y-%m-%d");
    date.format(pattern).to_string()
}

/// A wall-clock time in the language's format (`format.time`).
pub fn format_time(language: Language, time: chrono::NaiveDateTime) -> String {
    let pattern = messages(language).get("format.time").map(String::as_str).unwrap_or("%Y-%m-%d %H:%M");
    time.format(pattern).to_string()
}

/// The system's language from `LC_ALL`, `LC_MESSAGES` or `LANG` (the first one set), or
/// Danish when none names da, nb/no/nn or en.
pub fn language_from_env() -> Language {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|var| std::env::var(var).ok())
        .find(|v| !v.is_empty())
        .and_then(|v| language_from_locale(&v))
        .unwrap_or(Language::Danish)
}

/// Picks a language from a locale string such as `da_DK.UTF-8`, `nb`, `no_NO` or `en_GB`.
pub fn language_from_locale(locale: &str) -> Option<Language> {
    let lower = locale.to_ascii_lowercase();
    let code = lower.split(['_', '.', '-', '@']).next().unwrap_or("");
    match code {
        "da" => Some(Language::Danish),
        "nb" | "no" | "nn" => Some(Language::NorwegianBokmal),
        "en" => Some(Language::English),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recording_purpose_is_shown_in_words() {
        let params = BTreeMap::from([("purpose".to_owned(), "quality".to_owned())]);
        assert_eq!(
            issue_text(Language::Danish, "recording_policy.consent_needed", &params),
            "Optagelse til kvalitetssikring kræver samtykke som retsgrundlag."
        );
        assert_eq!(
            issue_text(Language::English, "recording_policy.consent_needed", &params),
            "Recording for quality assurance needs consent as its legal basis."
        );
    }
}
