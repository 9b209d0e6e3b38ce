// The closed vocabularies' ids (ropa-core vocab.rs), in the order the UI offers them. Labels come
// from the catalog's vocab.* keys.
import { t } from "./i18n.svelte";
import type * as T from "./types";
import type * as B from "../bindings";

export const ART6: T.Art6Basis[] = ["6-1-a", "6-1-b", "6-1-c", "6-1-d", "6-1-e", "6-1-f"];
export const ART9: T.Art9Condition[] = ["9-2-a", "9-2-b", "9-2-c", "9-2-d", "9-2-e", "9-2-f", "9-2-g", "9-2-h", "9-2-i", "9-2-j"];
export const PROVISIONS: T.NationalProvision[] = ["dk-dbl-8", "dk-dbl-11-2", "dk-dbl-12", "no-pol-11", "no-pol-12"];
export const STATUSES: T.ActivityStatus[] = ["draft", "active", "retired"];
export const DATA_KINDS: T.DataKind[] = ["general", "special", "criminal", "national-id"];
export const SPECIAL: T.SpecialCategory[] = [
  "racial-ethnic-origin", "political-opinions", "religious-philosophical-beliefs", "trade-union-membership",
  "genetic", "biometric", "health", "sex-life-orientation",
];
export const RECIPIENT_KINDS: T.RecipientKind[] = [
  "processor", "authority", "bank", "credit-agency", "debt-collector", "advertising-network", "group-company", "other-controller", "other",
];
export const SOURCE_KINDS: T.SourceKind[] = ["data-subject", "public-register", "credit-agency", "other-controller", "employer", "other"];
export const MECHANISMS: T.TransferMechanism[] = ["adequacy", "scc", "bcr", "eu-us-dpf", "art49"];
export const DEROGATIONS: T.Art49Derogation[] = ["49-1-a", "49-1-b", "49-1-c", "49-1-d", "49-1-e", "49-1-f", "49-1-g", "49-1-2"];
export const TRIGGERS: T.RetentionTrigger[] = ["collection", "last-contact", "end-of-relationship", "end-of-financial-year", "consent-withdrawn", "call-time", "other"];
export const MEASURES: T.SecurityMeasure[] = ["encryption", "access-control", "mfa", "logging", "backup", "pseudonymisation", "training", "deletion", "physical"];
export const DPIA_TRIGGERS: T.DpiaTrigger[] = [
  "systematic-monitoring", "large-scale", "vulnerable-subjects", "new-technology", "combining-datasets",
  "automated-decision", "evaluation-scoring", "special-categories-scale", "prevents-rights",
];
export const DPIA_STATUSES: T.DpiaStatus[] = ["not-required", "required", "in-progress", "done"];
export const BREACH_CAUSES: B.BreachCause[] = [
  "misdirected-mail", "hacking", "malware", "staff-snooping", "access-control", "published-by-mistake",
  "lost-or-stolen", "technical-failure", "human-error", "other",
];

export function options(prefix: string, ids: readonly string[]): { value: string; label: string }[] {
  return ids.map((id) => ({ value: id, label: t(`${prefix}.${id}`) }));
}
