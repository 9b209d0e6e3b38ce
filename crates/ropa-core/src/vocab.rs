//! Closed vocabularies of the processing register. Every enum has a stable id (its serialised
//! form, also used as the i18n key suffix) and maps one-to-one onto a term of the W3C Data
//! Privacy Vocabulary (DPV) or its GDPR extension, so that a DPV JSON-LD export is a translation
//! rather than a redesign. A test checks that no two variants share an id or a DPV term.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Declares a vocabulary enum with its stable id and DPV term per variant.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[doc = $vdoc:literal])* $variant:ident = $id:literal => $dpv:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
        pub enum $name {
            // Variant docs are left out of the generated code on purpose: with them the JSON
            // Schema becomes a `oneOf` of constants instead of a plain `enum`, which other
            // tools read less well and which gives vaguer import errors.
            $(#[serde(rename = $id)] $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stable id, as stored and exchanged.
            pub fn id(self) -> &'static str {
                match self { $($name::$variant => $id,)+ }
            }

            /// The DPV (or DPV GDPR extension) term this value means.
            pub fn dpv(self) -> &'static str {
                match self { $($name::$variant => $dpv,)+ }
            }

            pub fn from_id(id: &str) -> Option<$name> {
                match id { $($id => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

vocabulary! {
    /// The country whose rules the organisation follows.
    Country {
        Denmark = "DK" => "loc:DK",
        Norway = "NO" => "loc:NO",
    }
}

vocabulary! {
    /// Language of the user interface and reports.
    Language {
        Danish = "da" => "lang:da",
        NorwegianBokmal = "nb" => "lang:nb",
        English = "en" => "lang:en",
    }
}

vocabulary! {
    /// Status of a processing activity.
    ActivityStatus {
        Draft = "draft" => "dpv:Proposed",
        Active = "active" => "dpv:Active",
        Retired = "retired" => "dpv:Halted",
    }
}

vocabulary! {
    /// GDPR Art. 6(1) legal bases.
    Art6Basis {
        /// (a) consent
        Consent = "6-1-a" => "eu-gdpr:A6-1-a",
        /// (b) contract
        Contract = "6-1-b" => "eu-gdpr:A6-1-b",
        /// (c) legal obligation
        LegalObligation = "6-1-c" => "eu-gdpr:A6-1-c",
        /// (d) vital interests
        VitalInterests = "6-1-d" => "eu-gdpr:A6-1-d",
        /// (e) public task
        PublicTask = "6-1-e" => "eu-gdpr:A6-1-e",
        /// (f) legitimate interests
        LegitimateInterests = "6-1-f" => "eu-gdpr:A6-1-f",
    }
}

vocabulary! {
    /// GDPR Art. 9(2) conditions for special categories of personal data.
    Art9Condition {
        ExplicitConsent = "9-2-a" => "eu-gdpr:A9-2-a",
        EmploymentSocialSecurity = "9-2-b" => "eu-gdpr:A9-2-b",
        VitalInterests = "9-2-c" => "eu-gdpr:A9-2-c",
        NotForProfitBody = "9-2-d" => "eu-gdpr:A9-2-d",
        MadePublic = "9-2-e" => "eu-gdpr:A9-2-e",
        LegalClaims = "9-2-f" => "eu-gdpr:A9-2-f",
        SubstantialPublicInterest = "9-2-g" => "eu-gdpr:A9-2-g",
        HealthOrSocialCare = "9-2-h" => "eu-gdpr:A9-2-h",
        PublicHealth = "9-2-i" => "eu-gdpr:A9-2-i",
        ArchivingResearchStatistics = "9-2-j" => "eu-gdpr:A9-2-j",
    }
}

vocabulary! {
    /// National provisions that complement the GDPR for criminal-offence data (Art. 10), national
    /// identity numbers (Art. 87) and employment (Art. 88).
    NationalProvision {
        /// Databeskyttelsesloven § 8: criminal offences (DK).
        DkDbl8 = "dk-dbl-8" => "eu-gdpr:A10",
        /// Databeskyttelsesloven § 11, stk. 2: CPR numbers (DK).
        DkDbl11 = "dk-dbl-11-2" => "eu-gdpr:A87",
        /// Databeskyttelsesloven § 12: employment (DK).
        DkDbl12 = "dk-dbl-12" => "eu-gdpr:A88",
        /// Personopplysningsloven § 11: criminal offences (NO).
        NoPol11 = "no-pol-11" => "eu-gdpr:A10#NO",
        /// Personopplysningsloven § 12: fødselsnummer, «saklig behov for sikker identifisering» (NO).
        NoPol12 = "no-pol-12" => "eu-gdpr:A87#NO",
    }
}

impl NationalProvision {
    pub fn country(self) -> Country {
        match self {
            NationalProvision::DkDbl8 | NationalProvision::DkDbl11 | NationalProvision::DkDbl12 => Country::Denmark,
            NationalProvision::NoPol11 | NationalProvision::NoPol12 => Country::Norway,
        }
    }
}

vocabulary! {
    /// How a category of personal data is classified.
    DataKind {
        General = "general" => "dpv:PersonalData",
        Special = "special" => "dpv:SpecialCategoryPersonalData",
        Criminal = "criminal" => "pd:CriminalOffense",
        NationalId = "national-id" => "pd:NationalIdentificationNumber",
    }
}

vocabulary! {
    /// The Art. 9(1) special categories.
    SpecialCategory {
        RacialOrEthnicOrigin = "racial-ethnic-origin" => "pd:EthnicOrigin",
        PoliticalOpinions = "political-opinions" => "pd:PoliticalOpinion",
        ReligiousOrPhilosophicalBeliefs = "religious-philosophical-beliefs" => "pd:Religion",
        TradeUnionMembership = "trade-union-membership" => "pd:TradeUnionMembership",
        Genetic = "genetic" => "pd:Genetic",
        Biometric = "biometric" => "pd:Biometric",
        Health = "health" => "pd:Health",
        SexLifeOrOrientation = "sex-life-orientation" => "pd:SexualOrientation",
    }
}

vocabulary! {
    /// Kinds of recipients.
    RecipientKind {
        Processor = "processor" => "dpv:DataProcessor",
        Authority = "authority" => "dpv:GovernmentalOrganisation",
        Bank = "bank" => "dpv:FinancialInstitution",
        CreditAgency = "credit-agency" => "dpv:CreditReportingAgency",
        DebtCollector = "debt-collector" => "dpv:DebtCollectionAgency",
        AdvertisingNetwork = "advertising-network" => "dpv:AdvertisingNetwork",
        GroupCompany = "group-company" => "dpv:GroupOfCompanies",
        OtherController = "other-controller" => "dpv:DataController",
        Other = "other" => "dpv:Recipient",
    }
}

vocabulary! {
    /// Where personal data comes from when not from the data subject (Art. 30, Art. 14).
    SourceKind {
        DataSubject = "data-subject" => "dpv:DataSubjectDataSource",
        PublicRegister = "public-register" => "dpv:PublicDataSource",
        CreditAgency = "credit-agency" => "dpv:ThirdPartyDataSource#credit-agency",
        OtherController = "other-controller" => "dpv:ThirdPartyDataSource",
        Employer = "employer" => "dpv:ThirdPartyDataSource#employer",
        Other = "other" => "dpv:DataSource",
    }
}

vocabulary! {
    /// Mechanisms for transfers to third countries (Chapter V).
    TransferMechanism {
        Adequacy = "adequacy" => "eu-gdpr:A45-3",
        StandardContractualClauses = "scc" => "eu-gdpr:A46-2-c",
        BindingCorporateRules = "bcr" => "eu-gdpr:A46-2-b",
        DataPrivacyFramework = "eu-us-dpf" => "eu-gdpr:A45-3#EU-US-DPF",
        Derogation = "art49" => "eu-gdpr:A49-1",
    }
}

vocabulary! {
    /// Art. 49(1) derogations.
    Art49Derogation {
        ExplicitConsent = "49-1-a" => "eu-gdpr:A49-1-a",
        Contract = "49-1-b" => "eu-gdpr:A49-1-b",
        ContractInInterest = "49-1-c" => "eu-gdpr:A49-1-c",
        PublicInterest = "49-1-d" => "eu-gdpr:A49-1-d",
        LegalClaims = "49-1-e" => "eu-gdpr:A49-1-e",
        VitalInterests = "49-1-f" => "eu-gdpr:A49-1-f",
        PublicRegister = "49-1-g" => "eu-gdpr:A49-1-g",
        CompellingLegitimateInterests = "49-1-2" => "eu-gdpr:A49-1-2",
    }
}

vocabulary! {
    /// The event from which a retention period is counted.
    RetentionTrigger {
        Collection = "collection" => "dpv:DataCollection",
        LastContact = "last-contact" => "dpv:LastContact",
        EndOfRelationship = "end-of-relationship" => "dpv:EndOfContract",
        EndOfFinancialYear = "end-of-financial-year" => "dpv:EndOfFinancialYear",
        ConsentWithdrawn = "consent-withdrawn" => "dpv:ConsentWithdrawn",
        CallTime = "call-time" => "dpv:RecordingTime",
        Other = "other" => "dpv:StorageDuration",
    }
}

vocabulary! {
    /// Technical and organisational security measures (Art. 32).
    SecurityMeasure {
        Encryption = "encryption" => "dpv:Encryption",
        AccessControl = "access-control" => "dpv:AccessControlMethod",
        Logging = "logging" => "dpv:LoggingPolicies",
        Backup = "backup" => "dpv:DataBackupProtocols",
        Pseudonymisation = "pseudonymisation" => "dpv:Pseudonymisation",
        Training = "training" => "dpv:StaffTraining",
        Deletion = "deletion" => "dpv:DataDeletion",
        PhysicalSecurity = "physical" => "dpv:PhysicalAccessControlMethod",
        MultiFactorAuthentication = "mfa" => "dpv:MultiFactorAuthentication",
    }
}

vocabulary! {
    /// Triggers that point to a DPIA being required (Art. 35(3), the EDPB criteria and the
    /// national Datatilsynet lists).
    DpiaTrigger {
        SystematicMonitoring = "systematic-monitoring" => "dpv:SystematicMonitoring",
        LargeScale = "large-scale" => "dpv:LargeScaleProcessing",
        VulnerableSubjects = "vulnerable-subjects" => "dpv:VulnerableDataSubject",
        NewTechnology = "new-technology" => "dpv:InnovativeUseOfNewTechnologies",
        CombiningDatasets = "combining-datasets" => "dpv:DataCombination",
        AutomatedDecisionLegalEffect = "automated-decision" => "dpv:AutomatedDecisionMaking",
        EvaluationScoring = "evaluation-scoring" => "dpv:EvaluationScoring",
        SpecialCategoriesAtScale = "special-categories-scale" => "dpv:SpecialCategoryPersonalData#large-scale",
        PreventsRights = "prevents-rights" => "dpv:PreventExercisingOfRights",
    }
}

vocabulary! {
    /// Where a DPIA stands.
    DpiaStatus {
        NotRequired = "not-required" => "dpv:DPIANotRequired",
        Required = "required" => "dpv:DPIARequired",
        InProgress = "in-progress" => "dpv:DPIAProcessing",
        Done = "done" => "dpv:DPIACompleted",
    }
}

vocabulary! {
    /// What a personal-data breach compromised (one or more of these).
    BreachNature {
        Confidentiality = "confidentiality" => "dpv:ConfidentialityBreach",
        Integrity = "integrity" => "dpv:IntegrityBreach",
        Availability = "availability" => "dpv:AvailabilityBreach",
    }
}

vocabulary! {
    /// The main cause of a breach: the first question of the Norwegian avviksmelding in Altinn
    /// («hovedårsak»), kept for Danish breaches too. The values follow the kinds of breach that
    /// Datatilsynet (Norway) gives as examples in its published guidance on reporting breaches
    /// (misdirected post or e-mail, hacking, malware, snooping by staff, failed access control,
    /// publication by mistake, lost or stolen equipment or papers, technical failure, other
    /// human error). The exact options of the live Altinn form were not checked: the form is
    /// behind an Altinn login. The DPV terms are the nearest risk sources of DPV's risk
    /// extension as far as known here, not checked term by term against the published
    /// vocabulary.
    BreachCause {
        MisdirectedMail = "misdirected-mail" => "risk:MisdirectedCommunication",
        Hacking = "hacking" => "risk:UnauthorisedSystemAccess",
        Malware = "malware" => "risk:MalwareAttack",
        StaffSnooping = "staff-snooping" => "risk:UnauthorisedDataAccess",
        AccessControl = "access-control" => "risk:AccessControlFailure",
        PublishedByMistake = "published-by-mistake" => "risk:UnwantedDisclosureData",
        LostOrStolen = "lost-or-stolen" => "risk:LossOfEquipment",
        TechnicalFailure = "technical-failure" => "risk:SystemFailure",
        HumanError = "human-error" => "risk:HumanError",
        Other = "other" => "risk:RiskSource",
    }
}

vocabulary! {
    /// Who found a breach.
    BreachFinder {
        Staff = "staff" => "dpv:Employee",
        Processor = "processor" => "dpv:DataProcessor",
        OutsideReporter = "outside-reporter" => "dpv:ThirdParty",
    }
}

vocabulary! {
    /// The Art. 33/34 risk decision: unlikely to result in a risk (document only), a risk
    /// (notify the supervisory authority), a high risk (notify the data subjects too).
    RiskLevel {
        NoRisk = "no-risk" => "risk:LowRisk",
        Risk = "risk" => "risk:ModerateRisk",
        HighRisk = "high-risk" => "risk:HighRisk",
    }
}

vocabulary! {
    /// A notice to the supervisory authority: the first one, or a later one in phases.
    NoticePhase {
        Initial = "initial" => "eu-gdpr:DPABreachInitialNotice",
        Supplement = "supplement" => "eu-gdpr:DPAPhasedBreachNotice",
    }
}

vocabulary! {
    /// Art. 34(3): why the data subjects need not be told of a high-risk breach.
    Art34Exception {
        Unintelligible = "34-3-a" => "eu-gdpr:A34-3-a",
        RiskRemoved = "34-3-b" => "eu-gdpr:A34-3-b",
        DisproportionateEffort = "34-3-c" => "eu-gdpr:A34-3-c",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn check_unique<T: Copy>(all: &[T], id: fn(T) -> &'static str, dpv: fn(T) -> &'static str) {
        let ids: HashSet<_> = all.iter().map(|v| id(*v)).collect();
        let dpvs: HashSet<_> = all.iter().map(|v| dpv(*v)).collect();
        assert_eq!(ids.len(), all.len(), "duplicate stable id");
        assert_eq!(dpvs.len(), all.len(), "two values map onto one DPV term");
    }

    #[test]
    fn every_vocabulary_maps_one_to_one() {
        check_unique(Country::ALL, Country::id, Country::dpv);
        check_unique(Language::ALL, Language::id, Language::dpv);
        check_unique(ActivityStatus::ALL, ActivityStatus::id, ActivityStatus::dpv);
        check_unique(Art6Basis::ALL, Art6Basis::id, Art6Basis::dpv);
        check_unique(Art9Condition::ALL, Art9Condition::id, Art9Condition::dpv);
        check_unique(NationalProvision::ALL, NationalProvision::id, NationalProvision::dpv);
        check_unique(DataKind::ALL, DataKind::id, DataKind::dpv);
        check_unique(SpecialCategory::ALL, SpecialCategory::id, SpecialCategory::dpv);
        check_unique(RecipientKind::ALL, RecipientKind::id, RecipientKind::dpv);
        check_unique(SourceKind::ALL, SourceKind::id, SourceKind::dpv);
        check_unique(TransferMechanism::ALL, TransferMechanism::id, TransferMechanism::dpv);
        check_unique(Art49Derogation::ALL, Art49Derogation::id, Art49Derogation::dpv);
        check_unique(RetentionTrigger::ALL, RetentionTrigger::id, RetentionTrigger::dpv);
        check_unique(SecurityMeasure::ALL, SecurityMeasure::id, SecurityMeasure::dpv);
        check_unique(DpiaTrigger::ALL, DpiaTrigger::id, DpiaTrigger::dpv);
        check_unique(DpiaStatus::ALL, DpiaStatus::id, DpiaStatus::dpv);
        check_unique(BreachNature::ALL, BreachNature::id, BreachNature::dpv);
        check_unique(BreachCause::ALL, BreachCause::id, BreachCause::dpv);
        check_unique(BreachFinder::ALL, BreachFinder::id, BreachFinder::dpv);
        check_unique(RiskLevel::ALL, RiskLevel::id, RiskLevel::dpv);
        check_unique(NoticePhase::ALL, NoticePhase::id, NoticePhase::dpv);
        check_unique(Art34Exception::ALL, Art34Exception::id, Art34Exception::dpv);
    }

    #[test]
    fn ids_round_trip_through_serde() {
        for basis in Art6Basis::ALL {
            let json = serde_json::to_string(basis).expect("serialise");
            assert_eq!(json, format!("\"{}\"", basis.id()));
            assert_eq!(Art6Basis::from_id(basis.id()), Some(*basis));
        }
    }
}
