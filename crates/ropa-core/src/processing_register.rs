//! The processing register: the organisation (Art. 30(1)(a)) and its processing activities
//! (Art. 30(1)(b)–(g) as controller, Art. 30(2) as processor).
//!
//! Data categories, categories of data subjects and recipients are kept once per register and
//! referenced by id from activities, so that the links Datatilsynet asks for — which data
//! concern which data subjects and go to which recipients — are links, not loose lists.
//!
//! These types are also the interchange format (see [`crate::interchange`]); a field added here
//! appears in the generated JSON Schema, and a test fails until `schema/` is regenerated.

use crate::vocab::*;
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

fn is_false(value: &bool) -> bool {
    !*value
}

fn is_zero(value: &u32) -> bool {
    *value == 0
}

/// The organisation keeping the register (the controller).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub name: String,
    pub country: Country,
    /// Danish CVR number (8 digits) or Norwegian organisasjonsnummer (9 digits).
    #[serde(default)]
    pub business_id: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub contact: Contact,
    /// The data protection officer, or `null` when none is appointed.
    #[serde(default)]
    pub dpo: Option<Contact>,
    /// Art. 27 representative in the EU, where relevant.
    #[serde(default)]
    pub eu_representative: Option<Contact>,
    /// General description of the technical and organisational security measures (Art. 32).
    #[serde(default)]
    pub security_measures: String,
    /// Language for reports and messages.
    pub language: Language,
}

impl Organisation {
    pub fn new(name: impl Into<String>, country: Country, language: Language) -> Self {
        Organisation {
            name: name.into(),
            country,
            business_id: String::new(),
            address: String::new(),
            contact: Contact::default(),
            dpo: None,
            eu_representative: None,
            security_measures: String::new(),
            language,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
}

/// A category of personal data, e.g. "contact details" or "health information".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct DataCategory {
    /// Stable id within the register, referenced from activities.
    pub id: String,
    pub name: String,
    pub kind: DataKind,
    /// Which Art. 9 category, when `kind` is `special`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub special_category: Option<SpecialCategory>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// A category of data subjects, e.g. customers or job applicants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct SubjectCategory {
    pub id: String,
    pub name: String,
    /// Children or others in a vulnerable position (a DPIA criterion).
    #[serde(default, skip_serializing_if = "is_false")]
    pub vulnerable: bool,
}

/// A recipient or category of recipients.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    pub id: String,
    pub name: String,
    pub kind: RecipientKind,
    /// ISO 3166-1 alpha-2 country code, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// One processing activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Activity {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// The role or department responsible.
    #[serde(default)]
    pub owner: String,
    pub status: ActivityStatus,
    /// Each purpose in one sentence.
    #[serde(default)]
    pub purposes: Vec<String>,
    pub role: Role,
    #[serde(default)]
    pub legal_bases: Vec<LegalBasis>,
    /// Art. 9(2) conditions, required when special categories are processed.
    #[serde(default)]
    pub special_conditions: Vec<SpecialCondition>,
    /// National provisions (criminal-offence data, CPR / fødselsnummer, employment).
    #[serde(default)]
    pub national_provisions: Vec<NationalBasis>,
    /// Which data categories concern which data subjects, and go to which recipients.
    #[serde(default)]
    pub data_flows: Vec<DataFlow>,
    /// Sources, when data is not collected from the data subject.
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub transfers: Vec<Transfer>,
    #[serde(default)]
    pub retention: Vec<RetentionRule>,
    #[serde(default)]
    pub security: ActivitySecurity,
    /// Automated decisions including profiling (Art. 22), described when present.
    #[serde(default)]
    pub automated_decision: Option<String>,
    #[serde(default)]
    pub dpia: Dpia,
    #[serde(default)]
    pub review: Review,
}

impl Activity {
    /// A new draft activity as controller, with nothing filled in but its name.
    pub fn draft(id: impl Into<String>, name: impl Into<String>) -> Self {
        Activity {
            id: id.into(),
            name: name.into(),
            description: String::new(),
            owner: String::new(),
            status: ActivityStatus::Draft,
            purposes: Vec::new(),
            role: Role::Controller,
            legal_bases: Vec::new(),
            special_conditions: Vec::new(),
            national_provisions: Vec::new(),
            data_flows: Vec::new(),
            sources: Vec::new(),
            transfers: Vec::new(),
            retention: Vec::new(),
            security: ActivitySecurity::default(),
            automated_decision: None,
            dpia: Dpia::default(),
            review: Review::default(),
        }
    }

    /// The ids of all data categories this activity refers to, each once.
    pub fn data_category_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self
            .data_flows
            .iter()
            .map(|f| f.data_category.as_str())
            .chain(self.retention.iter().flat_map(|r| r.data_categories.iter().map(String::as_str)))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    pub fn subject_category_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.data_flows.iter().map(|f| f.subject_category.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    pub fn recipient_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self
            .data_flows
            .iter()
            .flat_map(|f| f.recipients.iter().map(String::as_str))
            .chain(self.transfers.iter().filter_map(|t| t.recipient.as_deref()))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// The organisation's role in an activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Role {
    /// Controller (Art. 30(1)).
    Controller,
    /// Joint controller with the named parties (Art. 26).
    JointController { parties: Vec<JointParty> },
    /// Processor on behalf of a named controller (Art. 30(2)).
    Processor {
        controller: ControllerRef,
        /// Categories of processing carried out on behalf of the controller (Art. 30(2)(b)).
        #[serde(default)]
        processing_categories: Vec<String>,
    },
}

impl Role {
    pub fn id(&self) -> &'static str {
        match self {
            Role::Controller => "controller",
            Role::JointController { .. } => "joint-controller",
            Role::Processor { .. } => "processor",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct JointParty {
    pub name: String,
    #[serde(default)]
    pub business_id: String,
    #[serde(default)]
    pub contact: Contact,
    /// How responsibilities are divided (Art. 26(1)).
    #[serde(default)]
    pub responsibilities: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct ControllerRef {
    pub name: String,
    #[serde(default)]
    pub business_id: String,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub contact: Contact,
}

/// An Art. 6(1) legal basis with its justification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct LegalBasis {
    pub article: Art6Basis,
    /// Why this basis applies; for (f) the interest and the balancing test in words.
    #[serde(default)]
    pub justification: String,
    /// For (c) legal obligation: the law, e.g. "bogføringsloven § 10".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub law: String,
    /// For (a) consent: how a person withdraws consent.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub withdrawal: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct SpecialCondition {
    pub article: Art9Condition,
    #[serde(default)]
    pub justification: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct NationalBasis {
    pub provision: NationalProvision,
    #[serde(default)]
    pub justification: String,
}

/// One row of the data-category × subject-category × recipient matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct DataFlow {
    pub data_category: String,
    pub subject_category: String,
    /// Recipients that receive this category about these subjects.
    #[serde(default)]
    pub recipients: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub kind: SourceKind,
    #[serde(default)]
    pub description: String,
}

/// A transfer to a third country or international organisation (Art. 30(1)(e)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// The recipient, by id, when it is in the register.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mechanism: Option<TransferMechanism>,
    /// Which Art. 49 derogation, when `mechanism` is `art49`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derogation: Option<Art49Derogation>,
    /// Documented safeguards (required for Art. 49(1) second subparagraph).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub safeguards: String,
    /// For the EU–US Data Privacy Framework: is the recipient certified?
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpf_certified: Option<bool>,
    /// Has a transfer impact assessment been done?
    #[serde(default, skip_serializing_if = "is_false")]
    pub tia_done: bool,
}

/// A retention rule (Art. 30(1)(f)): how long, counted from what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct RetentionRule {
    /// The data categories the rule covers; empty means all of the activity's categories.
    #[serde(default)]
    pub data_categories: Vec<String>,
    /// The period; `null` when only a description is given (shown as a warning).
    #[serde(default)]
    pub period: Option<Period>,
    pub trigger: RetentionTrigger,
    /// Free text, e.g. the law that sets the period, or the condition when no period is given.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// A period in years, months and days, counted per Regulation 1182/71.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Period {
    #[serde(default, skip_serializing_if = "is_zero")]
    pub years: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub months: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub days: u32,
}

impl Period {
    pub fn is_empty(&self) -> bool {
        self.years == 0 && self.months == 0 && self.days == 0
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct ActivitySecurity {
    /// Measures in addition to the organisation's general description.
    #[serde(default)]
    pub measures: Vec<SecurityMeasure>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Dpia {
    #[serde(default)]
    pub triggers: Vec<DpiaTrigger>,
    pub status: DpiaStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reference: String,
}

impl Default for Dpia {
    fn default() -> Self {
        Dpia { triggers: Vec::new(), status: DpiaStatus::NotRequired, done_on: None, reference: String::new() }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Review {
    #[serde(default)]
    pub last_reviewed: Option<NaiveDate>,
    /// Defaults to 12 months after the last review when not set.
    #[serde(default)]
    pub next_review: Option<NaiveDate>,
}

impl Review {
    /// The next review date: the one set, unless it is not after the last review (then it was
    /// not moved on); otherwise 12 months after the last review.
    pub fn due(&self) -> Option<NaiveDate> {
        let default = self.last_reviewed.and_then(|d| d.checked_add_months(chrono::Months::new(12)));
        match (self.next_review, self.last_reviewed) {
            (Some(next), Some(last)) if next <= last => default,
            (Some(next), _) => Some(next),
            (None, _) => default,
        }
    }
}

/// The whole register's content as one value: what export writes and import reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct RegisterContent {
    pub organisation: Organisation,
    #[serde(default)]
    pub data_categories: Vec<DataCategory>,
    #[serde(default)]
    pub subject_categories: Vec<SubjectCategory>,
    #[serde(default)]
    pub recipients: Vec<Recipient>,
    #[serde(default)]
    pub activities: Vec<Activity>,
}

/// What a list of activities shows, with the facts its filters need (computed here, so that no
/// rule is repeated in a user interface).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ActivitySummary {
    pub id: String,
    pub name: String,
    pub status: ActivityStatus,
    pub role: String,
    pub legal_bases: Vec<Art6Basis>,
    pub next_review: Option<NaiveDate>,
    /// Uses special categories of personal data (Art. 9).
    pub special_categories: bool,
    /// Has transfers to third countries.
    pub transfers: bool,
    /// The review date has passed (retired activities are never overdue).
    pub review_overdue: bool,
    /// Validation errors and warnings of the activity as it stands.
    pub errors: usize,
    pub warnings: usize,
}

impl ActivitySummary {
    /// Summarises `activity`; `issues` are its own issues, `special` tells whether a data
    /// category id is a special category.
    pub fn new(
        activity: &Activity,
        today: NaiveDate,
        issues: &[crate::validation::Issue],
        special: impl Fn(&str) -> bool,
    ) -> Self {
        let next_review = activity.review.due();
        ActivitySummary {
            id: activity.id.clone(),
            name: activity.name.clone(),
            status: activity.status,
            role: activity.role.id().to_owned(),
            legal_bases: activity.legal_bases.iter().map(|b| b.article).collect(),
            next_review,
            special_categories: activity.data_flows.iter().any(|f| special(&f.data_category)),
            transfers: !activity.transfers.is_empty(),
            review_overdue: activity.status != ActivityStatus::Retired && next_review.is_some_and(|d| d < today),
            errors: issues.iter().filter(|i| i.is_error()).count(),
            warnings: issues.iter().filter(|i| !i.is_error()).count(),
        }
    }
}

/// The register at a glance: what the overview page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Overview {
    pub activities: usize,
    pub active: usize,
    pub drafts: usize,
    pub retired: usize,
    pub as_processor: usize,
    pub with_special_categories: usize,
    pub with_transfers: usize,
    /// Issues of the organisation and catalogs (paths from the register root).
    pub register_issues: Vec<crate::validation::Issue>,
    /// Each activity's issues (paths relative to the activity), activities with none left out.
    pub activity_issues: Vec<ActivityIssues>,
    /// Reviews due within the next 90 days or overdue, soonest first.
    pub reviews: Vec<ReviewDue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ActivityIssues {
    pub activity_id: String,
    pub activity_name: String,
    pub issues: Vec<crate::validation::Issue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReviewDue {
    pub activity_id: String,
    pub activity_name: String,
    pub due: NaiveDate,
    pub overdue: bool,
}
