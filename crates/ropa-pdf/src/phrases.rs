//! How the register's values are said in a report, in the report's language: vocabulary labels,
//! periods ("1 år og 6 måneder"), retention rules ("5 år fra udgangen af regnskabsåret"), dates,
//! lists, and the page header and footer both reports share. Every word comes from the message
//! catalog (`report.*` and `vocab.*` keys).

use crate::ReportMeta;
use crate::document::{PageFooter, PageHeader};
use chrono::{DateTime, NaiveDate, Utc};
use ropa_core::processing_register::{Contact, Organisation, Period, RetentionRule};
use ropa_core::vocab::{Country, Language};
use ropa_core::{deadlines, i18n};
use std::collections::BTreeMap;

/// Shown for a value that is not filled in.
pub const NOTHING: &str = "—";

/// How many hex digits of the change-log MAC the footer shows; the first page shows all of it.
const FOOTER_MAC_DIGITS: usize = 16;

#[derive(Debug, Clone, Copy)]
pub struct Words {
    pub language: Language,
}

impl Words {
    pub fn new(language: Language) -> Self {
        Words { language }
    }

    /// A message without parameters.
    pub fn t(&self, key: &str) -> String {
        i18n::t0(self.language, key)
    }

    /// A message with parameters.
    pub fn tp(&self, key: &str, params: &[(&str, String)]) -> String {
        let params: BTreeMap<String, String> = params.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
        i18n::t(self.language, key, &params)
    }

    /// The label of a vocabulary value: `vocab.<group>.<id>`.
    pub fn vocab(&self, group: &str, id: &str) -> String {
        self.t(&format!("vocab.{group}.{id}"))
    }

    pub fn date(&self, date: NaiveDate) -> String {
        i18n::format_date(self.language, date)
    }

    /// An instant on `country`'s wall clock (Europe/Copenhagen or Europe/Oslo), in the
    /// language's format.
    pub fn time(&self, instant: DateTime<Utc>, country: Country) -> String {
        deadlines::local_time(instant, country)
            .map(|t| i18n::format_time(self.language, t))
            .unwrap_or_else(|| instant.to_rfc3339())
    }

    /// "All times are shown in the organisation's time zone, Europe/Copenhagen."
    pub fn zone_note(&self, country: Country) -> String {
        self.tp("report.breach.times_in_zone", &[("zone", deadlines::zone(country).to_string())])
    }

    pub fn date_or_nothing(&self, date: Option<NaiveDate>) -> String {
        date.map(|d| self.date(d)).unwrap_or_else(|| NOTHING.to_owned())
    }

    /// "a, b og c".
    pub fn list(&self, items: &[String]) -> String {
        match items {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => self.tp("report.list.and", &[("first", init.join(", ")), ("last", last.clone())]),
        }
    }

    /// "1 år og 6 måneder"; a period of nothing is "0 dage".
    pub fn period(&self, period: &Period) -> String {
        let mut parts = Vec::new();
        for (count, key) in [
            (period.years, "report.period.years"),
            (period.months, "report.period.months"),
            (period.days, "report.period.days"),
        ] {
            if count > 0 {
                parts.push(self.tp(key, &[("count", count.to_string())]));
            }
        }
        if parts.is_empty() {
            parts.push(self.tp("report.period.days", &[("count", "0".to_owned())]));
        }
        self.list(&parts)
    }

    /// The retention rule's deadline in words, without its free-text description.
    pub fn retention(&self, rule: &RetentionRule) -> String {
        match &rule.period {
            Some(period) => {
                self.tp(&format!("report.retention.{}", rule.trigger.id()), &[("period", self.period(period))])
            }
            None if rule.trigger == ropa_core::vocab::RetentionTrigger::ConsentWithdrawn => {
                self.t("report.retention.until_withdrawn")
            }
            None => self.t("report.retention.no_period"),
        }
    }

    /// The label of a business id: CVR for Denmark, organisasjonsnummer for Norway.
    pub fn business_id_label(&self, country: &str) -> String {
        match country.trim().to_ascii_uppercase().as_str() {
            "DK" => self.t("report.business_id.DK"),
            "NO" => self.t("report.business_id.NO"),
            _ => self.t("report.business_id.other"),
        }
    }

    /// A contact as lines: name, e-mail, phone — whatever is filled in.
    pub fn contact(&self, contact: &Contact) -> String {
        let lines: Vec<&str> = [&contact.name, &contact.email, &contact.phone]
            .into_iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        if lines.is_empty() { NOTHING.to_owned() } else { lines.join("\n") }
    }

    /// The organisation's block (Art. 30(1)(a) / 30(2)(a)).
    pub fn organisation(&self, organisation: &Organisation) -> Vec<(String, String)> {
        let mut rows = vec![
            (self.t("report.organisation.name"), or_nothing(&organisation.name)),
            (self.business_id_label(country_id(organisation.country)), or_nothing(&organisation.business_id)),
            (self.t("report.organisation.address"), or_nothing(&organisation.address)),
            (self.t("report.organisation.contact"), self.contact(&organisation.contact)),
            (
                self.t("report.organisation.dpo"),
                match &organisation.dpo {
                    Some(dpo) => self.contact(dpo),
                    None => self.t("report.organisation.no_dpo"),
                },
            ),
        ];
        if let Some(representative) = &organisation.eu_representative {
            rows.push((self.t("report.organisation.eu_representative"), self.contact(representative)));
        }
        rows
    }

    /// "Udskrevet …" and the register state, as rows for the first page.
    pub fn about(&self, meta: &ReportMeta) -> Vec<(String, String)> {
        let state = match &meta.chain_head {
            Some(head) => self.tp("report.about.chain", &[("seq", head.seq.to_string()), ("mac", head.mac.clone())]),
            None => self.t("report.about.no_chain"),
        };
        vec![(self.t("report.about.generated"), self.timestamp(meta)), (self.t("report.about.register_state"), state)]
    }

    fn timestamp(&self, meta: &ReportMeta) -> String {
        let at = meta.generated_at;
        self.tp(
            "report.timestamp",
            &[
                ("date", self.date(at.date_naive())),
                ("time", at.format("%H:%M").to_string()),
                ("offset", at.format("%:z").to_string()),
            ],
        )
    }

    pub fn header(&self, organisation: &Organisation) -> PageHeader {
        let right = if organisation.business_id.trim().is_empty() {
            String::new()
        } else {
            format!("{} {}", self.business_id_label(country_id(organisation.country)), organisation.business_id.trim())
        };
        PageHeader { left: organisation.name.clone(), right }
    }

    pub fn footer(&self, meta: &ReportMeta) -> PageFooter {
        let generated = self.tp("report.footer.generated", &[("timestamp", self.timestamp(meta))]);
        let state = match &meta.chain_head {
            Some(head) => self.tp(
                "report.footer.chain",
                &[("seq", head.seq.to_string()), ("mac", head.mac.chars().take(FOOTER_MAC_DIGITS).collect())],
            ),
            None => self.t("report.about.no_chain"),
        };
        PageFooter { left: format!("{generated} · {state}"), page_template: self.t("report.footer.page") }
    }
}

fn country_id(country: Country) -> &'static str {
    country.id()
}

/// The text, or a dash when it is empty.
pub fn or_nothing(text: &str) -> String {
    if text.trim().is_empty() { NOTHING.to_owned() } else { text.trim().to_owned() }
}
