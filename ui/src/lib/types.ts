// Domain types as tauri-specta exports them from ropa-core (see /tmp/contract.md).
// Kept in one place so that the switch to the generated bindings.ts is a one-file change.

export type Country = "DK" | "NO";
export type Language = "da" | "nb" | "en";
export type ActivityStatus = "draft" | "active" | "retired";
export type Art6Basis = "6-1-a" | "6-1-b" | "6-1-c" | "6-1-d" | "6-1-e" | "6-1-f";
export type Art9Condition = "9-2-a" | "9-2-b" | "9-2-c" | "9-2-d" | "9-2-e" | "9-2-f" | "9-2-g" | "9-2-h" | "9-2-i" | "9-2-j";
export type NationalProvision = "dk-dbl-8" | "dk-dbl-11-2" | "dk-dbl-12" | "no-pol-11" | "no-pol-12";
export type DataKind = "general" | "special" | "criminal" | "national-id";
export type SpecialCategory =
  | "racial-ethnic-origin" | "political-opinions" | "religious-philosophical-beliefs" | "trade-union-membership"
  | "genetic" | "biometric" | "health" | "sex-life-orientation";
export type RecipientKind =
  | "processor" | "authority" | "bank" | "credit-agency" | "debt-collector" | "advertising-network"
  | "group-company" | "other-controller" | "other";
export type SourceKind = "data-subject" | "public-register" | "credit-agency" | "other-controller" | "employer" | "other";
export type TransferMechanism = "adequacy" | "scc" | "bcr" | "eu-us-dpf" | "art49";
export type Art49Derogation = "49-1-a" | "49-1-b" | "49-1-c" | "49-1-d" | "49-1-e" | "49-1-f" | "49-1-g" | "49-1-2";
export type RetentionTrigger =
  | "collection" | "last-contact" | "end-of-relationship" | "end-of-financial-year" | "consent-withdrawn" | "call-time" | "other";
export type SecurityMeasure =
  | "encryption" | "access-control" | "logging" | "backup" | "pseudonymisation" | "training" | "deletion" | "physical" | "mfa";
export type DpiaTrigger =
  | "systematic-monitoring" | "large-scale" | "vulnerable-subjects" | "new-technology" | "combining-datasets"
  | "automated-decision" | "evaluation-scoring" | "special-categories-scale" | "prevents-rights";
export type DpiaStatus = "not-required" | "required" | "in-progress" | "done";

export type Contact = { name: string; email: string; phone: string };
export type Organisation = {
  name: string;
  country: Country;
  business_id: string;
  address: string;
  contact: Contact;
  dpo: Contact | null;
  eu_representative: Contact | null;
  security_measures: string;
  language: Language;
};
export type DataCategory = { id: string; name: string; kind: DataKind; special_category?: SpecialCategory | null; description?: string };
export type SubjectCategory = { id: string; name: string; vulnerable?: boolean };
export type Recipient = { id: string; name: string; kind: RecipientKind; country?: string | null };
export type JointParty = { name: string; business_id: string; contact: Contact; responsibilities: string };
export type ControllerRef = { name: string; business_id: string; country: string; contact: Contact };
export type Role =
  | { kind: "controller" }
  | { kind: "joint-controller"; parties: JointParty[] }
  | { kind: "processor"; controller: ControllerRef; processing_categories: string[] };
export type LegalBasis = { article: Art6Basis; justification: string; law?: string; withdrawal?: string };
export type SpecialCondition = { article: Art9Condition; justification: string };
export type NationalBasis = { provision: NationalProvision; justification: string };
export type DataFlow = { data_category: string; subject_category: string; recipients: string[] };
export type Source = { kind: SourceKind; description: string };
export type Transfer = {
  country: string;
  recipient?: string | null;
  mechanism?: TransferMechanism | null;
  derogation?: Art49Derogation | null;
  safeguards?: string;
  dpf_certified?: boolean | null;
  tia_done?: boolean;
};
export type Period = { years?: number; months?: number; days?: number };
export type RetentionRule = { data_categories: string[]; period: Period | null; trigger: RetentionTrigger; description?: string };
export type ActivitySecurity = { measures: SecurityMeasure[]; notes?: string };
export type Dpia = { triggers: DpiaTrigger[]; status: DpiaStatus; done_on?: string | null; reference?: string };
export type Review = { last_reviewed: string | null; next_review: string | null };
export type Activity = {
  id: string;
  name: string;
  description: string;
  owner: string;
  status: ActivityStatus;
  purposes: string[];
  role: Role;
  legal_bases: LegalBasis[];
  special_conditions: SpecialCondition[];
  national_provisions: NationalBasis[];
  data_flows: DataFlow[];
  sources: Source[];
  transfers: Transfer[];
  retention: RetentionRule[];
  security: ActivitySecurity;
  automated_decision: string | null;
  dpia: Dpia;
  review: Review;
};

export type Severity = "error" | "warning";
export type Issue = { path: string; code: string; severity: Severity; params?: Partial<{ [key in string]: string }> };

export type ActivitySummary = {
  id: string;
  name: string;
  status: ActivityStatus;
  role: string;
  legal_bases: Art6Basis[];
  next_review: string | null;
  special_categories: boolean;
  transfers: boolean;
  review_overdue: boolean;
  errors: number;
  warnings: number;
};
export type ActivityIssues = { activity_id: string; activity_name: string; issues: Issue[] };
export type ReviewDue = { activity_id: string; activity_name: string; due: string; overdue: boolean };
export type Overview = {
  activities: number;
  active: number;
  drafts: number;
  retired: number;
  as_processor: number;
  with_special_categories: number;
  with_transfers: number;
  register_issues: Issue[];
  activity_issues: ActivityIssues[];
  reviews: ReviewDue[];
};

export type Settings = { language: Language | null; auto_lock_minutes: number };
export type RecentRegister = { path: string; organisation: string; opened_at: string };
export type RollbackWarning = { kind: "behind"; file_seq: number; known_seq: number } | { kind: "diverged"; seq: number };
export type SessionInfo = { path: string; file_name: string; organisation: Organisation; rollback_warning: RollbackWarning | null };
export type AppInfo = {
  version: string;
  settings: Settings;
  recent: RecentRegister[];
  system_language: Language;
  unlocked: SessionInfo | null;
};
export type Catalogs = { data_categories: DataCategory[]; subject_categories: SubjectCategory[]; recipients: Recipient[] };
export type CatalogKind = "data-category" | "subject-category" | "recipient";
export type SavedActivity = { id: string; issues: Issue[] };
export type Entry = { seq: number; at: string; actor: string; entity: string; entity_id: string; action: string; mac: string };
export type Head = { seq: number; mac: string };
export type Break = "mac-mismatch" | "gap" | "unreadable";
export type ChainReport = { entries: number; first_bad: [number, Break] | null; head: Head | null };
export type VerifyReport = { integrity: string[]; cipher_integrity: string[]; chain: ChainReport; rollback: RollbackWarning | null };
export type AppError = { code: string; details: Partial<{ [key in string]: string }>; issues: Issue[] };

export type Result<T, E> = { status: "ok"; data: T } | { status: "error"; error: E };
