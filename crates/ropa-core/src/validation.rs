//! The rules of the processing register. Each problem is an [`Issue`]: the JSON pointer of the
//! field it concerns, a stable code that the message catalog (`assets/i18n/`) translates, a
//! severity, and parameters for the message. No rule lives anywhere else: the CLI and the app
//! show what this module finds.
//!
//! Drafts may be incomplete: on a draft activity the legal-content rules are warnings, so work
//! in progress can be saved. Integrity rules (unknown or duplicate ids) are errors everywhere.

use crate::processing_register::*;
use crate::vocab::*;
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Blocks saving and import.
    Error,
    /// Shown next to the field; saving goes ahead.
    Warning,
}

/// One problem found by validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Issue {
    /// JSON pointer to the field, relative to the value validated.
    pub path: String,
    /// Stable message code, e.g. `legal_basis.law_missing`; the catalog key is `issue.<code>`.
    pub code: String,
    pub severity: Severity,
    /// Values for the message's placeholders. Never personal data: ids, articles, countries.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, String>,
}

impl Issue {
    fn new(path: impl Into<String>, code: &str, severity: Severity) -> Self {
        Issue { path: path.into(), code: code.to_owned(), severity, params: BTreeMap::new() }
    }

    fn with(mut self, key: &str, value: impl Into<String>) -> Self {
        self.params.insert(key.to_owned(), value.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Codes that protect the register's integrity and stay errors on drafts.
const INTEGRITY_CODES: &[&str] = &[
    "transfer.country_missing",
    "activity.id_missing",
    "activity.id_duplicate",
    "activity.name_missing",
    "flow.unknown_data_category",
    "flow.unknown_subject_category",
    "flow.unknown_recipient",
    "retention.unknown_data_category",
    "transfer.unknown_recipient",
    "transfer.country_invalid",
];

// ---------------------------------------------------------------------------------------------
// Business ids

/// Checks a Danish CVR number: 8 digits, the first not 0, weights 2,7,6,5,4,3,2,1 and a
/// weighted sum divisible by 11. Spaces are ignored.
pub fn is_valid_cvr(text: &str) -> bool {
    check_weighted(text, &[2, 7, 6, 5, 4, 3, 2, 1]).is_some_and(|digits| digits[0] != 0)
}

/// Checks a Norwegian organisasjonsnummer: 9 digits, weights 3,2,7,6,5,4,3,2,1 and a weighted
/// sum divisible by 11. Spaces are ignored.
pub fn is_valid_orgnr(text: &str) -> bool {
    // Brønnøysund assigns organisasjonsnumre starting with 8 or 9.
    check_weighted(text, &[3, 2, 7, 6, 5, 4, 3, 2, 1]).is_some_and(|digits| matches!(digits[0], 8 | 9))
}

fn check_weighted(text: &str, weights: &[u32]) -> Option<Vec<u32>> {
    let digits: Vec<u32> =
        text.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_digit(10)).collect::<Option<_>>()?;
    if digits.len() != weights.len() {
        return None;
    }
    let sum: u32 = digits.iter().zip(weights).map(|(d, w)| d * w).sum();
    sum.is_multiple_of(11).then_some(digits)
}

/// Checks a business id by the organisation's country.
pub fn is_valid_business_id(country: Country, text: &str) -> bool {
    match country {
        Country::Denmark => is_valid_cvr(text),
        Country::Norway => is_valid_orgnr(text),
    }
}

// ---------------------------------------------------------------------------------------------
// Country lists (shipped in assets/data, editable in the settings; see `country_lists`)

pub use crate::country_lists::{CountryList, CountryLists};

/// The shipped EEA list: EU 27 + Iceland, Liechtenstein, Norway. The rules use the lists they
/// are given ([`Context::lists`]), which are these unless the person edited them.
pub fn eea() -> &'static CountryList {
    &CountryLists::shipped().eea
}

/// The shipped list of countries with an adequacy decision (the US through the DPF is a
/// mechanism of its own).
pub fn adequacy() -> &'static CountryList {
    &CountryLists::shipped().adequacy
}

/// Whether `code` has the form of an ISO 3166-1 alpha-2 code: two capital letters A–Z.
pub fn is_country_code(code: &str) -> bool {
    code.len() == 2 && code.chars().all(|c| c.is_ascii_uppercase())
}

// ---------------------------------------------------------------------------------------------
// The register as a whole

/// What the activity rules need to know about the rest of the register.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    pub country: Country,
    pub today: NaiveDate,
    pub data_categories: &'a [DataCategory],
    pub subject_categories: &'a [SubjectCategory],
    pub recipients: &'a [Recipient],
    /// The EEA and adequacy lists in effect.
    pub lists: &'a CountryLists,
}

impl<'a> Context<'a> {
    pub fn of(content: &'a RegisterContent, today: NaiveDate, lists: &'a CountryLists) -> Self {
        Context {
            country: content.organisation.country,
            today,
            data_categories: &content.data_categories,
            subject_categories: &content.subject_categories,
            recipients: &content.recipients,
            lists,
        }
    }

    fn data_category(&self, id: &str) -> Option<&'a DataCategory> {
        self.data_categories.iter().find(|c| c.id == id)
    }
}

/// Validates a whole register. Paths are relative to the register content's root.
pub fn validate_content(content: &RegisterContent, today: NaiveDate, lists: &CountryLists) -> Vec<Issue> {
    let mut issues = validate_organisation(&content.organisation, "/organisation");
    issues.extend(validate_catalogs(content));
    let ctx = Context::of(content, today, lists);
    let mut seen = HashSet::new();
    for (i, activity) in content.activities.iter().enumerate() {
        let base = format!("/activities/{i}");
        if !activity.id.trim().is_empty() && !seen.insert(activity.id.as_str()) {
            issues.push(Issue::new(format!("{base}/id"), "activity.id_duplicate", Severity::Error));
        }
        issues.extend(validate_activity(&ctx, activity, &base));
    }
    issues
}

pub fn validate_organisation(org: &Organisation, base: &str) -> Vec<Issue> {
    let mut issues = Vec::new();
    if org.name.trim().is_empty() {
        issues.push(Issue::new(format!("{base}/name"), "organisation.name_missing", Severity::Error));
    }
    if org.business_id.trim().is_empty() {
        let code = match org.country {
            Country::Denmark => "organisation.cvr_missing",
            Country::Norway => "organisation.orgnr_missing",
        };
        issues.push(Issue::new(format!("{base}/business_id"), code, Severity::Warning));
    } else if !is_valid_business_id(org.country, &org.business_id) {
        let code = match org.country {
            Country::Denmark => "organisation.cvr_invalid",
            Country::Norway => "organisation.orgnr_invalid",
        };
        issues.push(Issue::new(format!("{base}/business_id"), code, Severity::Error));
    }
    issues
}

fn validate_catalogs(content: &RegisterContent) -> Vec<Issue> {
    let mut issues = Vec::new();
    let mut check_ids = |name: &str, items: Vec<(&str, &str)>| {
        let mut seen = HashSet::new();
        for (i, (id, label)) in items.into_iter().enumerate() {
            let base = format!("/{name}/{i}");
            if id.trim().is_empty() {
                issues.push(Issue::new(format!("{base}/id"), "catalog.id_missing", Severity::Error));
            } else if !seen.insert(id) {
                issues.push(Issue::new(format!("{base}/id"), "catalog.id_duplicate", Severity::Error).with("id", id));
            }
            if label.trim().is_empty() {
                issues.push(Issue::new(format!("{base}/name"), "catalog.name_missing", Severity::Error));
            }
        }
    };
    check_ids("data_categories", content.data_categories.iter().map(|c| (c.id.as_str(), c.name.as_str())).collect());
    check_ids(
        "subject_categories",
        content.subject_categories.iter().map(|c| (c.id.as_str(), c.name.as_str())).collect(),
    );
    check_ids("recipients", content.recipients.iter().map(|c| (c.id.as_str(), c.name.as_str())).collect());

    for (i, category) in content.data_categories.iter().enumerate() {
        issues.extend(validate_data_category(category, &format!("/data_categories/{i}")));
    }
    for (i, recipient) in content.recipients.iter().enumerate() {
        issues.extend(validate_recipient(recipient, &format!("/recipients/{i}")));
    }
    issues
}

pub fn validate_recipient(recipient: &Recipient, base: &str) -> Vec<Issue> {
    match &recipient.country {
        Some(country) if !country.is_empty() && !is_country_code(country) => vec![
            Issue::new(format!("{base}/country"), "recipient.country_invalid", Severity::Error)
                .with("country", country.as_str()),
        ],
        _ => vec![],
    }
}

pub fn validate_data_category(category: &DataCategory, base: &str) -> Vec<Issue> {
    let mut issues = Vec::new();
    match (category.kind, category.special_category) {
        (DataKind::Special, None) => issues.push(Issue::new(
            format!("{base}/special_category"),
            "data_category.special_category_missing",
            Severity::Error,
        )),
        (kind, Some(_)) if kind != DataKind::Special => issues.push(Issue::new(
            format!("{base}/special_category"),
            "data_category.special_category_not_special",
            Severity::Error,
        )),
        _ => {}
    }
    issues
}

// ---------------------------------------------------------------------------------------------
// One activity

/// Validates one activity against the rest of the register. `base` is prefixed to every path
/// (`""` for paths relative to the activity).
pub fn validate_activity(ctx: &Context<'_>, activity: &Activity, base: &str) -> Vec<Issue> {
    let mut out = Vec::new();
    let is_processor = matches!(activity.role, Role::Processor { .. });

    if activity.id.trim().is_empty() {
        out.push(Issue::new(format!("{base}/id"), "activity.id_missing", Severity::Error));
    }
    if activity.name.trim().is_empty() {
        out.push(Issue::new(format!("{base}/name"), "activity.name_missing", Severity::Error));
    }
    if activity.purposes.is_empty() {
        out.push(Issue::new(format!("{base}/purposes"), "activity.purpose_missing", Severity::Error));
    }
    for (i, purpose) in activity.purposes.iter().enumerate() {
        if purpose.trim().is_empty() {
            out.push(Issue::new(format!("{base}/purposes/{i}"), "activity.purpose_empty", Severity::Error));
        }
    }

    role_rules(activity, base, &mut out);
    if !is_processor {
        legal_basis_rules(activity, base, &mut out);
    }
    category_basis_rules(ctx, activity, base, is_processor, &mut out);
    flow_rules(ctx, activity, base, &mut out);
    transfer_rules(ctx, activity, base, &mut out);
    retention_rules(ctx, activity, base, is_processor, &mut out);

    if let Some(description) = &activity.automated_decision
        && description.trim().is_empty()
    {
        out.push(Issue::new(
            format!("{base}/automated_decision"),
            "activity.automated_decision_undescribed",
            Severity::Error,
        ));
    }
    dpia_rules(activity, base, &mut out);
    if let Some(due) = activity.review.due()
        && due < ctx.today
        && activity.status != ActivityStatus::Retired
    {
        out.push(
            Issue::new(format!("{base}/review/next_review"), "review.overdue", Severity::Warning)
                .with("date", due.to_string()),
        );
    }

    if activity.status == ActivityStatus::Draft {
        for issue in &mut out {
            if !INTEGRITY_CODES.contains(&issue.code.as_str()) {
                issue.severity = Severity::Warning;
            }
        }
    }
    out
}

fn role_rules(activity: &Activity, base: &str, out: &mut Vec<Issue>) {
    match &activity.role {
        Role::Controller => {}
        Role::JointController { parties } => {
            if parties.is_empty() {
                out.push(Issue::new(format!("{base}/role/parties"), "role.joint_parties_missing", Severity::Error));
            }
            for (i, party) in parties.iter().enumerate() {
                if party.name.trim().is_empty() {
                    out.push(Issue::new(
                        format!("{base}/role/parties/{i}/name"),
                        "role.party_name_missing",
                        Severity::Error,
                    ));
                }
            }
        }
        Role::Processor { controller, processing_categories } => {
            if controller.name.trim().is_empty() {
                out.push(Issue::new(
                    format!("{base}/role/controller/name"),
                    "role.controller_name_missing",
                    Severity::Error,
                ));
            }
            if processing_categories.iter().all(|c| c.trim().is_empty()) {
                out.push(Issue::new(
                    format!("{base}/role/processing_categories"),
                    "role.processing_categories_missing",
                    Severity::Error,
                ));
            }
        }
    }
}

fn legal_basis_rules(activity: &Activity, base: &str, out: &mut Vec<Issue>) {
    if activity.legal_bases.is_empty() {
        out.push(Issue::new(format!("{base}/legal_bases"), "legal_basis.missing", Severity::Error));
    }
    let mut seen = HashSet::new();
    for (i, basis) in activity.legal_bases.iter().enumerate() {
        let path = format!("{base}/legal_bases/{i}");
        let article = basis.article.id();
        if !seen.insert(basis.article) {
            out.push(
                Issue::new(format!("{path}/article"), "legal_basis.duplicate", Severity::Warning)
                    .with("article", article),
            );
        }
        if basis.justification.trim().is_empty() {
            let code = if basis.article == Art6Basis::LegitimateInterests {
                "legal_basis.balancing_missing"
            } else {
                "legal_basis.justification_missing"
            };
            out.push(Issue::new(format!("{path}/justification"), code, Severity::Error).with("article", article));
        }
        // Art. 6(3): (c) and (e) rest on Union or national law, which the record names.
        let needs_law = matches!(basis.article, Art6Basis::LegalObligation | Art6Basis::PublicTask);
        if needs_law && basis.law.trim().is_empty() {
            out.push(
                Issue::new(format!("{path}/law"), "legal_basis.law_missing", Severity::Error).with("article", article),
            );
        }
        if basis.article == Art6Basis::Consent && basis.withdrawal.trim().is_empty() {
            out.push(Issue::new(format!("{path}/withdrawal"), "legal_basis.withdrawal_missing", Severity::Error));
        }
    }
}

/// Special categories need an Art. 9 condition; criminal-offence data and national identity
/// numbers need the national provision of the organisation's country.
fn category_basis_rules(ctx: &Context<'_>, activity: &Activity, base: &str, is_processor: bool, out: &mut Vec<Issue>) {
    for (i, condition) in activity.special_conditions.iter().enumerate() {
        if condition.justification.trim().is_empty() {
            out.push(
                Issue::new(
                    format!("{base}/special_conditions/{i}/justification"),
                    "special.justification_missing",
                    Severity::Error,
                )
                .with("article", condition.article.id()),
            );
        }
    }
    for (i, national) in activity.national_provisions.iter().enumerate() {
        if national.provision.country() != ctx.country {
            out.push(
                Issue::new(
                    format!("{base}/national_provisions/{i}/provision"),
                    "national.wrong_country",
                    Severity::Warning,
                )
                .with("provision", national.provision.id()),
            );
        }
        if national.justification.trim().is_empty() {
            out.push(Issue::new(
                format!("{base}/national_provisions/{i}/justification"),
                "national.justification_missing",
                Severity::Error,
            ));
        }
    }
    if is_processor {
        // A processor processes on the controller's instructions and basis (Art. 30(2)).
        return;
    }
    let has = |p: NationalProvision| activity.national_provisions.iter().any(|n| n.provision == p);
    let mut reported = HashSet::new();
    for (i, flow) in activity.data_flows.iter().enumerate() {
        let Some(category) = ctx.data_category(&flow.data_category) else { continue };
        if !reported.insert(category.id.as_str()) {
            continue;
        }
        let path = format!("{base}/data_flows/{i}/data_category");
        match category.kind {
            DataKind::General => {}
            DataKind::Special => {
                if activity.special_conditions.is_empty() {
                    out.push(
                        Issue::new(path, "special.condition_missing", Severity::Error)
                            .with("category", category.id.as_str()),
                    );
                }
            }
            DataKind::Criminal => {
                let (needed, code) = match ctx.country {
                    Country::Denmark => (NationalProvision::DkDbl8, "criminal.dk_basis_missing"),
                    Country::Norway => (NationalProvision::NoPol11, "criminal.no_basis_missing"),
                };
                if !has(needed) {
                    out.push(
                        Issue::new(path, code, Severity::Error)
                            .with("category", category.id.as_str())
                            .with("provision", needed.id()),
                    );
                }
            }
            DataKind::NationalId => {
                let (needed, code) = match ctx.country {
                    Country::Denmark => (NationalProvision::DkDbl11, "national_id.cpr_basis_missing"),
                    Country::Norway => (NationalProvision::NoPol12, "national_id.fnr_basis_missing"),
                };
                if !has(needed) {
                    out.push(
                        Issue::new(path, code, Severity::Error)
                            .with("category", category.id.as_str())
                            .with("provision", needed.id()),
                    );
                }
            }
        }
    }
}

fn flow_rules(ctx: &Context<'_>, activity: &Activity, base: &str, out: &mut Vec<Issue>) {
    let mut pairs = HashSet::new();
    for (i, flow) in activity.data_flows.iter().enumerate() {
        let path = format!("{base}/data_flows/{i}");
        if ctx.data_category(&flow.data_category).is_none() {
            out.push(
                Issue::new(format!("{path}/data_category"), "flow.unknown_data_category", Severity::Error)
                    .with("id", flow.data_category.as_str()),
            );
        }
        if !ctx.subject_categories.iter().any(|s| s.id == flow.subject_category) {
            out.push(
                Issue::new(format!("{path}/subject_category"), "flow.unknown_subject_category", Severity::Error)
                    .with("id", flow.subject_category.as_str()),
            );
        }
        for (r, recipient) in flow.recipients.iter().enumerate() {
            if !ctx.recipients.iter().any(|x| &x.id == recipient) {
                out.push(
                    Issue::new(format!("{path}/recipients/{r}"), "flow.unknown_recipient", Severity::Error)
                        .with("id", recipient.as_str()),
                );
            }
        }
        if !pairs.insert((flow.data_category.as_str(), flow.subject_category.as_str())) {
            out.push(Issue::new(path, "flow.duplicate", Severity::Warning));
        }
    }
    if activity.data_flows.is_empty() {
        // Art. 30(2) does not ask a processor for categories of data or data subjects.
        let severity =
            if matches!(activity.role, Role::Processor { .. }) { Severity::Warning } else { Severity::Error };
        out.push(Issue::new(format!("{base}/data_flows"), "flow.missing", severity));
    }
    // Data going to a recipient outside the EEA is a transfer and must be recorded as one.
    let mut reported = HashSet::new();
    for (i, flow) in activity.data_flows.iter().enumerate() {
        for (r, id) in flow.recipients.iter().enumerate() {
            let Some(recipient) = ctx.recipients.iter().find(|x| &x.id == id) else { continue };
            let Some(country) = recipient.country.as_deref().filter(|c| is_country_code(c)) else { continue };
            let in_eea = ctx.lists.eea.contains(country);
            let declared = activity
                .transfers
                .iter()
                .any(|t| t.country == country && t.recipient.as_deref().is_none_or(|x| x == id));
            if !in_eea && !declared && reported.insert(id.as_str()) {
                out.push(
                    Issue::new(
                        format!("{base}/data_flows/{i}/recipients/{r}"),
                        "flow.transfer_undeclared",
                        Severity::Error,
                    )
                    .with("id", id.as_str())
                    .with("country", country),
                );
            }
        }
    }
}

fn transfer_rules(ctx: &Context<'_>, activity: &Activity, base: &str, out: &mut Vec<Issue>) {
    for (i, transfer) in activity.transfers.iter().enumerate() {
        let path = format!("{base}/transfers/{i}");
        if let Some(recipient) = &transfer.recipient
            && !ctx.recipients.iter().any(|r| &r.id == recipient)
        {
            out.push(
                Issue::new(format!("{path}/recipient"), "transfer.unknown_recipient", Severity::Error)
                    .with("id", recipient.as_str()),
            );
        }
        let country = transfer.country.as_str();
        if country.trim().is_empty() {
            out.push(Issue::new(format!("{path}/country"), "transfer.country_missing", Severity::Error));
            continue;
        }
        if !is_country_code(country) {
            out.push(
                Issue::new(format!("{path}/country"), "transfer.country_invalid", Severity::Error)
                    .with("country", country),
            );
            continue;
        }
        if ctx.lists.eea.contains(country) {
            out.push(
                Issue::new(format!("{path}/country"), "transfer.inside_eea", Severity::Warning)
                    .with("country", country),
            );
            continue;
        }
        match transfer.mechanism {
            None => out.push(
                Issue::new(format!("{path}/mechanism"), "transfer.mechanism_missing", Severity::Error)
                    .with("country", country),
            ),
            Some(TransferMechanism::Adequacy) => {
                if !ctx.lists.adequacy.contains(country) {
                    out.push(
                        Issue::new(format!("{path}/mechanism"), "transfer.not_adequate", Severity::Error)
                            .with("country", country)
                            .with("as_of", ctx.lists.adequacy.as_of.to_string()),
                    );
                }
            }
            Some(TransferMechanism::DataPrivacyFramework) => {
                if country != "US" {
                    out.push(
                        Issue::new(format!("{path}/mechanism"), "transfer.dpf_not_us", Severity::Error)
                            .with("country", country),
                    );
                }
                match transfer.dpf_certified {
                    Some(true) => {}
                    Some(false) => out.push(Issue::new(
                        format!("{path}/dpf_certified"),
                        "transfer.dpf_not_certified",
                        Severity::Error,
                    )),
                    None => out.push(Issue::new(
                        format!("{path}/dpf_certified"),
                        "transfer.dpf_certification_unknown",
                        Severity::Warning,
                    )),
                }
            }
            Some(TransferMechanism::Derogation) => match transfer.derogation {
                None => {
                    out.push(Issue::new(format!("{path}/derogation"), "transfer.derogation_missing", Severity::Error))
                }
                Some(Art49Derogation::CompellingLegitimateInterests) if transfer.safeguards.trim().is_empty() => {
                    out.push(Issue::new(format!("{path}/safeguards"), "transfer.safeguards_missing", Severity::Error))
                }
                Some(_) => {}
            },
            Some(TransferMechanism::StandardContractualClauses | TransferMechanism::BindingCorporateRules) => {
                if !transfer.tia_done {
                    out.push(Issue::new(format!("{path}/tia_done"), "transfer.tia_missing", Severity::Warning));
                }
            }
        }
    }
}

fn retention_rules(ctx: &Context<'_>, activity: &Activity, base: &str, is_processor: bool, out: &mut Vec<Issue>) {
    let mut covered_all = false;
    let mut covered = HashSet::new();
    for (i, rule) in activity.retention.iter().enumerate() {
        let path = format!("{base}/retention/{i}");
        if rule.data_categories.is_empty() {
            covered_all = true;
        }
        for (c, id) in rule.data_categories.iter().enumerate() {
            covered.insert(id.as_str());
            if ctx.data_category(id).is_none() {
                out.push(
                    Issue::new(
                        format!("{path}/data_categories/{c}"),
                        "retention.unknown_data_category",
                        Severity::Error,
                    )
                    .with("id", id.as_str()),
                );
            }
        }
        match rule.period {
            // "Until consent is withdrawn / the person unsubscribes" is a concrete rule.
            None if rule.trigger == RetentionTrigger::ConsentWithdrawn => {}
            None => out.push(Issue::new(format!("{path}/period"), "retention.vague", Severity::Warning)),
            Some(period) if period.is_empty() => {
                out.push(Issue::new(format!("{path}/period"), "retention.period_empty", Severity::Error))
            }
            Some(_) => {}
        }
        if rule.trigger == RetentionTrigger::Other && rule.description.trim().is_empty() {
            out.push(Issue::new(format!("{path}/description"), "retention.trigger_undescribed", Severity::Error));
        }
    }
    if activity.retention.is_empty() {
        let severity = if is_processor { Severity::Warning } else { Severity::Error };
        out.push(Issue::new(format!("{base}/retention"), "retention.missing", severity));
    } else if !covered_all {
        let mut reported = HashSet::new();
        for flow in &activity.data_flows {
            let id = flow.data_category.as_str();
            if !covered.contains(id) && reported.insert(id) && ctx.data_category(id).is_some() {
                out.push(
                    Issue::new(format!("{base}/retention"), "retention.category_uncovered", Severity::Warning)
                        .with("id", id),
                );
            }
        }
    }
}

fn dpia_rules(activity: &Activity, base: &str, out: &mut Vec<Issue>) {
    let dpia = &activity.dpia;
    if dpia.status == DpiaStatus::Done && dpia.done_on.is_none() {
        out.push(Issue::new(format!("{base}/dpia/done_on"), "dpia.date_missing", Severity::Error));
    }
    // The EDPB guidelines: two or more criteria mean a DPIA is required in most cases.
    let criteria: HashSet<_> = dpia.triggers.iter().collect();
    if criteria.len() >= 2 && dpia.status == DpiaStatus::NotRequired {
        out.push(
            Issue::new(format!("{base}/dpia/status"), "dpia.likely_required", Severity::Warning)
                .with("count", criteria.len().to_string()),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The breach log

/// Breach rules that concern later stages of handling a breach: warnings while the breach is
/// open (it is being worked on), errors once it is closed. Every other breach rule is the same
/// at every stage: integrity (ids), contradictions (times out of order) and decisions that must
/// carry their reasons the moment they are recorded.
const BREACH_LATER_STAGE_CODES: &[&str] = &[
    "breach.nature_missing",
    "breach.data_categories_missing",
    "breach.consequences_missing",
    "breach.risk_missing",
    "breach.measures_missing",
    "breach.notice_missing",
    "breach.subjects_notice_missing",
    "breach.subjects_how_missing",
];

/// Validates the breach log against the register. Paths are those of the interchange document
/// (`/breaches/<i>/…`).
pub fn validate_breach_log(content: &RegisterContent, log: &crate::breach_log::BreachLog) -> Vec<Issue> {
    let mut issues = Vec::new();
    let mut seen = HashSet::new();
    for (i, breach) in log.breaches.iter().enumerate() {
        let base = format!("/breaches/{i}");
        if !breach.id.trim().is_empty() && !seen.insert(breach.id.as_str()) {
            issues.push(Issue::new(format!("{base}/id"), "breach.id_duplicate", Severity::Error));
        }
        issues.extend(validate_breach(content, breach, &base));
    }
    issues
}

/// Validates one breach against the register's catalogs and activities. `base` is prefixed to
/// every path (`""` for paths relative to the breach).
pub fn validate_breach(content: &RegisterContent, breach: &crate::breach_log::Breach, base: &str) -> Vec<Issue> {
    use crate::breach_log::SubjectNotification;
    let mut out = Vec::new();
    let at = |path: &str, code: &str, severity: Severity| Issue::new(format!("{base}{path}"), code, severity);
    let aware = breach.became_aware_at;

    if breach.id.trim().is_empty() {
        out.push(at("/id", "breach.id_missing", Severity::Error));
    }
    if breach.title.trim().is_empty() {
        out.push(at("/title", "breach.title_missing", Severity::Error));
    }
    for (i, id) in breach.data_categories.iter().enumerate() {
        if !content.data_categories.iter().any(|c| &c.id == id) {
            out.push(
                at(&format!("/data_categories/{i}"), "breach.unknown_data_category", Severity::Error)
                    .with("id", id.as_str()),
            );
        }
    }
    for (i, id) in breach.subject_categories.iter().enumerate() {
        if !content.subject_categories.iter().any(|c| &c.id == id) {
            out.push(
                at(&format!("/subject_categories/{i}"), "breach.unknown_subject_category", Severity::Error)
                    .with("id", id.as_str()),
            );
        }
    }
    for (i, id) in breach.activities.iter().enumerate() {
        if !content.activities.iter().any(|a| &a.id == id) {
            out.push(
                at(&format!("/activities/{i}"), "breach.unknown_activity", Severity::Error).with("id", id.as_str()),
            );
        }
    }
    for (i, processor) in breach.processors.iter().enumerate() {
        if processor.name.trim().is_empty() {
            out.push(at(&format!("/processors/{i}/name"), "breach.processor_name_missing", Severity::Error));
        }
    }

    if let Some(from) = breach.happened_from {
        if aware < from {
            out.push(at("/became_aware_at", "breach.aware_before_start", Severity::Error));
        }
        if breach.happened_to.is_some_and(|to| to < from) {
            out.push(at("/happened_to", "breach.end_before_start", Severity::Error));
        }
    }
    let discovery = &breach.discovery;
    if discovery.by == BreachFinder::OutsideReporter && discovery.reported_at.is_none() {
        out.push(at("/discovery/reported_at", "breach.reporter_time_missing", Severity::Error));
    }
    if let Some(reported) = discovery.reported_at {
        for (field, time) in [("acknowledged_at", discovery.acknowledged_at), ("feedback_at", discovery.feedback_at)] {
            if time.is_some_and(|t| t < reported) {
                out.push(at(&format!("/discovery/{field}"), "breach.reply_before_report", Severity::Error));
            }
        }
    }

    if breach.nature.is_empty() {
        out.push(at("/nature", "breach.nature_missing", Severity::Error));
    }
    if breach.data_categories.is_empty() {
        out.push(at("/data_categories", "breach.data_categories_missing", Severity::Error));
    }
    if breach.approx_subjects.is_none() {
        out.push(at("/approx_subjects", "breach.count_missing", Severity::Warning));
    }
    if breach.consequences.trim().is_empty() {
        out.push(at("/consequences", "breach.consequences_missing", Severity::Error));
    }
    match &breach.risk {
        None => out.push(at("/risk", "breach.risk_missing", Severity::Error)),
        Some(risk) => {
            // "No risk" keeps the breach in the log; every decision gives its reasons.
            if risk.reasons.trim().is_empty() {
                out.push(at("/risk/reasons", "breach.risk_reasons_missing", Severity::Error));
            }
            if risk.assessed_at < aware {
                out.push(at("/risk/assessed_at", "breach.before_awareness", Severity::Error));
            }
        }
    }
    if breach.measures_taken.trim().is_empty() {
        out.push(at("/measures_taken", "breach.measures_missing", Severity::Error));
    }

    let level = breach.risk_level();
    if matches!(level, Some(RiskLevel::Risk | RiskLevel::HighRisk)) && breach.notices.is_empty() {
        out.push(at("/notices", "breach.notice_missing", Severity::Error));
    }
    for (i, notice) in breach.notices.iter().enumerate() {
        let path = format!("/notices/{i}");
        if notice.at < aware {
            out.push(at(&format!("{path}/at"), "breach.before_awareness", Severity::Error));
        }
        if i > 0 && notice.at < breach.notices[i - 1].at {
            out.push(at(&format!("{path}/at"), "breach.notice_order", Severity::Error));
        }
        if (i == 0) != (notice.phase == NoticePhase::Initial) {
            out.push(at(&format!("{path}/phase"), "breach.notice_phase", Severity::Error));
        }
        if notice.case_number.trim().is_empty() {
            out.push(at(&format!("{path}/case_number"), "breach.case_number_missing", Severity::Warning));
        }
        if notice.phase == NoticePhase::Supplement && notice.new_information.trim().is_empty() {
            out.push(at(&format!("{path}/new_information"), "breach.supplement_empty", Severity::Warning));
        }
    }
    // Art. 33(1): a notice later than 72 hours after awareness gives the reasons for the delay.
    if let Some(delay) = breach.notice_delay()
        && breach.late_notice_reasons.trim().is_empty()
    {
        out.push(
            at("/late_notice_reasons", "breach.notice_late_reasons_missing", Severity::Error)
                .with("hours", delay.num_hours().to_string()),
        );
    }

    match &breach.data_subjects {
        None if level == Some(RiskLevel::HighRisk) => {
            out.push(at("/data_subjects", "breach.subjects_notice_missing", Severity::Error));
        }
        None => {}
        Some(SubjectNotification::Told { at: told_at, how }) => {
            if *told_at < aware {
                out.push(at("/data_subjects/at", "breach.before_awareness", Severity::Error));
            }
            if how.trim().is_empty() {
                out.push(at("/data_subjects/how", "breach.subjects_how_missing", Severity::Error));
            }
        }
        Some(SubjectNotification::Exception { explanation, .. }) if explanation.trim().is_empty() => {
            out.push(at("/data_subjects/explanation", "breach.exception_explanation_missing", Severity::Error));
        }
        Some(SubjectNotification::Exception { .. }) => {}
    }
    if breach.closed_at.is_some_and(|closed| closed < aware) {
        out.push(at("/closed_at", "breach.before_awareness", Severity::Error));
    }

    if breach.is_open() {
        for issue in &mut out {
            if BREACH_LATER_STAGE_CODES.contains(&issue.code.as_str()) {
                issue.severity = Severity::Warning;
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Processors and their agreements (Art. 28)

/// Validates every processor against the register. Paths are those of the interchange document
/// (`/processors/<i>/…`).
pub fn validate_processors(
    content: &RegisterContent,
    processors: &[crate::processor_agreements::Processor],
    lists: &CountryLists,
) -> Vec<Issue> {
    let mut issues = Vec::new();
    let mut seen = HashSet::new();
    for (i, processor) in processors.iter().enumerate() {
        let base = format!("/processors/{i}");
        if !processor.id.trim().is_empty() && !seen.insert(processor.id.as_str()) {
            issues.push(Issue::new(format!("{base}/id"), "processor.id_duplicate", Severity::Error));
        }
        issues.extend(validate_processor(content, processor, &base, lists));
    }
    issues
}

/// Validates one processor: its business id, its links into the processing register, where it
/// and its sub-processors process the data and on what transfer mechanism, its agreements and
/// its supervisions. `base` is prefixed to every path (`""` for paths relative to it).
pub fn validate_processor(
    content: &RegisterContent,
    processor: &crate::processor_agreements::Processor,
    base: &str,
    lists: &CountryLists,
) -> Vec<Issue> {
    use crate::processor_agreements::BusinessIdScheme;
    let mut out = Vec::new();
    let at = |path: &str, code: &str, severity: Severity| Issue::new(format!("{base}{path}"), code, severity);
    if processor.id.trim().is_empty() {
        out.push(at("/id", "processor.id_missing", Severity::Error));
    }
    if processor.name.trim().is_empty() {
        out.push(at("/name", "processor.name_missing", Severity::Error));
    }
    if let Some(id) = &processor.business_id {
        let code = match id.scheme {
            BusinessIdScheme::Cvr if !is_valid_cvr(&id.value) => Some("processor.cvr_invalid"),
            BusinessIdScheme::Orgnr if !is_valid_orgnr(&id.value) => Some("processor.orgnr_invalid"),
            BusinessIdScheme::Foreign if id.value.trim().is_empty() => Some("processor.business_id_missing"),
            _ => None,
        };
        if let Some(code) = code {
            out.push(at("/business_id/value", code, Severity::Error));
        }
    }
    for (i, id) in processor.activities.iter().enumerate() {
        if !content.activities.iter().any(|a| &a.id == id) {
            out.push(
                at(&format!("/activities/{i}"), "processor.unknown_activity", Severity::Error).with("id", id.as_str()),
            );
        }
    }
    for (i, id) in processor.data_categories.iter().enumerate() {
        if !content.data_categories.iter().any(|c| &c.id == id) {
            out.push(
                at(&format!("/data_categories/{i}"), "processor.unknown_data_category", Severity::Error)
                    .with("id", id.as_str()),
            );
        }
    }
    location_rules(lists, &processor.country, processor.mechanism, processor.dpf_certified, base, &mut out);
    sub_processor_rules(lists, &processor.sub_processors, &format!("{base}/sub_processors"), &mut out);
    agreement_rules(processor, base, &mut out);
    if processor.supervision_interval_months == Some(0) {
        out.push(at("/supervision_interval_months", "supervision.interval_zero", Severity::Error));
    }
    for (i, supervision) in processor.supervisions.iter().enumerate() {
        if supervision.next_due.is_some_and(|due| due <= supervision.done_on) {
            out.push(at(&format!("/supervisions/{i}/next_due"), "supervision.next_due_not_after", Severity::Error));
        }
    }
    out
}

fn sub_processor_rules(
    lists: &CountryLists,
    subs: &[crate::processor_agreements::SubProcessor],
    base: &str,
    out: &mut Vec<Issue>,
) {
    for (i, sub) in subs.iter().enumerate() {
        let path = format!("{base}/{i}");
        if sub.name.trim().is_empty() {
            out.push(Issue::new(format!("{path}/name"), "processor.sub_processor_name_missing", Severity::Error));
        }
        location_rules(lists, &sub.country, sub.mechanism, sub.dpf_certified, &path, out);
        sub_processor_rules(lists, &sub.sub_processors, &format!("{path}/sub_processors"), out);
    }
}

/// Where a processor or sub-processor processes the data: inside the EEA or in a country with
/// an adequacy decision no mechanism is needed; elsewhere one is, and the EU–US Data Privacy
/// Framework only with the recipient's certification answered.
fn location_rules(
    lists: &CountryLists,
    country: &str,
    mechanism: Option<TransferMechanism>,
    dpf_certified: Option<bool>,
    path: &str,
    out: &mut Vec<Issue>,
) {
    if country.trim().is_empty() {
        out.push(Issue::new(format!("{path}/country"), "processor.country_missing", Severity::Error));
        return;
    }
    if !is_country_code(country) {
        out.push(
            Issue::new(format!("{path}/country"), "processor.country_invalid", Severity::Error)
                .with("country", country),
        );
        return;
    }
    let in_eea = lists.eea.contains(country);
    let adequate = lists.adequacy.contains(country);
    match mechanism {
        None if in_eea || adequate => {}
        None => out.push(
            Issue::new(format!("{path}/mechanism"), "processor.mechanism_missing", Severity::Error)
                .with("country", country)
                .with("as_of", lists.adequacy.as_of.to_string()),
        ),
        Some(TransferMechanism::Adequacy) if !adequate && !in_eea => out.push(
            Issue::new(format!("{path}/mechanism"), "processor.not_adequate", Severity::Error)
                .with("country", country)
                .with("as_of", lists.adequacy.as_of.to_string()),
        ),
        Some(TransferMechanism::DataPrivacyFramework) => {
            if country != "US" {
                out.push(
                    Issue::new(format!("{path}/mechanism"), "processor.dpf_not_us", Severity::Error)
                        .with("country", country),
                );
            }
            match dpf_certified {
                Some(true) => {}
                Some(false) => out.push(Issue::new(
                    format!("{path}/dpf_certified"),
                    "processor.dpf_not_certified",
                    Severity::Error,
                )),
                None => out.push(Issue::new(
                    format!("{path}/dpf_certified"),
                    "processor.dpf_certification_unknown",
                    Severity::Warning,
                )),
            }
        }
        Some(_) => {}
    }
}

fn agreement_rules(processor: &crate::processor_agreements::Processor, base: &str, out: &mut Vec<Issue>) {
    let mut versions = HashSet::new();
    let mut current = 0;
    for (i, agreement) in processor.agreements.iter().enumerate() {
        let path = format!("{base}/agreements/{i}");
        if agreement.version.trim().is_empty() {
            out.push(Issue::new(format!("{path}/version"), "agreement.version_missing", Severity::Error));
        } else if !versions.insert(agreement.version.as_str()) {
            out.push(Issue::new(format!("{path}/version"), "agreement.version_duplicate", Severity::Error));
        }
        if agreement.current {
            current += 1;
            if current > 1 {
                out.push(Issue::new(format!("{path}/current"), "agreement.current_several", Severity::Error));
            }
        }
        if let (Some(signed), Some(expires)) = (agreement.signed_on, agreement.expires_on)
            && expires < signed
        {
            out.push(Issue::new(format!("{path}/expires_on"), "agreement.expires_before_signed", Severity::Error));
        }
        if agreement.current && agreement.signed_on.is_some() {
            for (letter, field, point) in agreement.checklist.points() {
                if !point.covered {
                    out.push(
                        Issue::new(
                            format!("{path}/checklist/{field}/covered"),
                            "agreement.point_not_covered",
                            Severity::Warning,
                        )
                        .with("point", letter),
                    );
                }
            }
        }
    }
    if !processor.agreements.is_empty() && current == 0 {
        out.push(Issue::new(format!("{base}/agreements"), "agreement.current_none", Severity::Warning));
    }
}

/// The longest retention a recording policy may give, in months (ten years): anything longer
/// is a typing error, not a retention period.
pub const MAX_RECORDING_MONTHS: u32 = 120;

/// Validates a recording policy (DOMAIN.md section 4): its id, name and retention, the
/// processor it names, and that recording for quality or training rests on consent. `taken`
/// is whether another policy already has the id. `base` is prefixed to every path.
pub fn validate_recording_policy(
    policy: &crate::recordings::RecordingPolicy,
    processors: &[crate::processor_agreements::Processor],
    taken: bool,
    base: &str,
) -> Vec<Issue> {
    use crate::recordings::{RecordingBasis, RecordingPurpose};
    let mut out = Vec::new();
    let at = |path: &str, code: &str, severity: Severity| Issue::new(format!("{base}{path}"), code, severity);
    if policy.id.trim().is_empty() {
        out.push(at("/id", "recording_policy.id_missing", Severity::Error));
    } else if taken {
        out.push(at("/id", "recording_policy.id_duplicate", Severity::Error).with("id", policy.id.as_str()));
    }
    if policy.name.trim().is_empty() {
        out.push(at("/name", "recording_policy.name_missing", Severity::Error));
    }
    if policy.retention_months == 0 {
        out.push(at("/retention_months", "recording_policy.months_zero", Severity::Error));
    } else if policy.retention_months > MAX_RECORDING_MONTHS {
        out.push(
            at("/retention_months", "recording_policy.months_too_long", Severity::Error)
                .with("max", MAX_RECORDING_MONTHS.to_string()),
        );
    }
    if matches!(policy.purpose, RecordingPurpose::Quality | RecordingPurpose::Training)
        && policy.basis != RecordingBasis::Consent
    {
        out.push(
            at("/basis", "recording_policy.consent_needed", Severity::Error).with("purpose", policy.purpose.as_str()),
        );
    }
    if let Some(id) = &policy.processor_id
        && !processors.iter().any(|p| &p.id == id)
    {
        out.push(at("/processor_id", "recording_policy.unknown_processor", Severity::Error).with("id", id.as_str()));
    }
    out
}
