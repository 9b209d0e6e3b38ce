// Processors (Art. 28) on the wire and in the editor: every optional field filled in, so the
// editor binds to plain values and its snapshot compares equal to what was saved; and the
// list's status badges from core's processor deadlines.
import type * as B from "../bindings";
import { countryLists } from "./countryLists.svelte";

export type FullPoint = { covered: boolean; note: string };
export type FullChecklist = Record<ChecklistField, FullPoint>;
export type FullAgreement = Omit<B.Agreement, "current" | "signed_on" | "expires_on" | "term" | "checklist" | "document"> & {
  current: boolean;
  signed_on: string | null;
  expires_on: string | null;
  term: string;
  checklist: FullChecklist;
  document: B.AgreementDocument | null;
};
export type FullSub = { name: string; country: string; services: string[]; mechanism: B.TransferMechanism | null; dpf_certified: boolean | null; sub_processors: FullSub[] };
export type FullSupervision = {
  id: string;
  method: B.SupervisionMethod;
  done_on: string;
  findings: string;
  next_due: string | null;
  report: B.AgreementDocument | null;
};
export type FullProcessor = {
  id: string;
  name: string;
  business_id: B.BusinessId | null;
  country: string;
  contact: { name: string; email: string; phone: string };
  services: string[];
  activities: string[];
  data_categories: string[];
  mechanism: B.TransferMechanism | null;
  dpf_certified: boolean | null;
  sub_processors: FullSub[];
  agreements: FullAgreement[];
  supervisions: FullSupervision[];
  supervision_interval_months: number | null;
};

/** Art. 28(3) (a)–(h): the letter and the field of each point, in the article's order. */
export const CHECKLIST = [
  ["a", "instructions"],
  ["b", "confidentiality"],
  ["c", "security"],
  ["d", "sub_processors"],
  ["e", "data_subject_rights"],
  ["f", "assistance"],
  ["g", "deletion_or_return"],
  ["h", "audits"],
] as const;
export type ChecklistField = (typeof CHECKLIST)[number][1];

export const SUPERVISION_METHODS: B.SupervisionMethod[] = ["isae3000", "isae3402", "soc2", "questionnaire", "on-site"];

/** Whether the mechanism question applies: a country code outside the EEA (by the list in
 * effect, from core), or one already answered. */
export function mechanismRelevant(country: string, mechanism: B.TransferMechanism | null, eea: string[] = countryLists.eea): boolean {
  return mechanism !== null || (/^[A-Z]{2}$/.test(country) && !eea.includes(country));
}

function point(p: B.ChecklistPoint | undefined): FullPoint {
  return { covered: p?.covered ?? false, note: p?.note ?? "" };
}

export function completeSub(s: B.SubProcessor): FullSub {
  return {
    name: s.name,
    country: s.country,
    services: [...(s.services ?? [])],
    mechanism: s.mechanism ?? null,
    dpf_certified: s.dpf_certified ?? null,
    sub_processors: (s.sub_processors ?? []).map(completeSub),
  };
}

export function completeAgreement(a: B.Agreement): FullAgreement {
  const c = a.checklist ?? {};
  return {
    version: a.version,
    current: a.current ?? false,
    signed_on: a.signed_on ?? null,
    expires_on: a.expires_on ?? null,
    term: a.term ?? "",
    checklist: Object.fromEntries(CHECKLIST.map(([, f]) => [f, point(c[f])])) as FullChecklist,
    document: a.document ?? null,
  };
}

export function completeProcessor(p: B.Processor): FullProcessor {
  return {
    id: p.id,
    name: p.name,
    business_id: p.business_id ?? null,
    country: p.country,
    contact: { name: p.contact?.name ?? "", email: p.contact?.email ?? "", phone: p.contact?.phone ?? "" },
    services: [...(p.services ?? [])],
    activities: [...(p.activities ?? [])],
    data_categories: [...(p.data_categories ?? [])],
    mechanism: p.mechanism ?? null,
    dpf_certified: p.dpf_certified ?? null,
    sub_processors: (p.sub_processors ?? []).map(completeSub),
    agreements: (p.agreements ?? []).map(completeAgreement),
    supervisions: (p.supervisions ?? []).map((s) => ({
      id: s.id ?? "",
      method: s.method,
      done_on: s.done_on,
      findings: s.findings ?? "",
      next_due: s.next_due ?? null,
      report: s.report ?? null,
    })),
    supervision_interval_months: p.supervision_interval_months ?? null,
  };
}

export function newProcessor(name: string, country: string): B.Processor {
  return { id: "", name, country };
}

export function blankSub(): FullSub {
  return { name: "", country: "", services: [], mechanism: null, dpf_certified: null, sub_processors: [] };
}

/** A new agreement version: the current one from now on when it is the first. */
export function blankAgreement(version: string, current: boolean): FullAgreement {
  return completeAgreement({ version, current });
}

/** A badge of the list: its status class, its catalog key and the date it names. */
export type Badge = { kind: B.ProcessorDeadlineKind; cls: "error" | "warning"; key: string; date: string | null };

/** The processor's badges from core's deadlines: no signed agreement, expiry within 60 days
 * (or expired), supervision due or overdue. Activities without an agreement are on the overview. */
export function badgesOf(deadlines: B.ProcessorDeadline[], processorId: string): Badge[] {
  const out: Badge[] = [];
  for (const d of deadlines) {
    if (d.processor_id !== processorId || d.kind === "activity_without_agreement") continue;
    const overdue = d.status === "overdue";
    if (d.kind === "no_signed_agreement") out.push({ kind: d.kind, cls: "error", key: "ui.processors.status.no_signed_agreement", date: null });
    else if (d.kind === "agreement_expiry") out.push({ kind: d.kind, cls: overdue ? "error" : "warning", key: overdue ? "ui.processors.status.expired" : "ui.processors.status.expires", date: d.due });
    else out.push({ kind: d.kind, cls: overdue ? "error" : "warning", key: overdue ? "ui.processors.status.supervision_overdue" : "ui.processors.status.supervision_due", date: d.due });
  }
  return out;
}

/** Bytes for people: "820 B", "14 kB", "1.2 MB" (decimal units). */
export function formatSize(bytes: number, locale: string): string {
  const f = (n: number, digits: number) => n.toLocaleString(locale, { maximumFractionDigits: digits });
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${f(bytes / 1000, 0)} kB`;
  return `${f(bytes / 1_000_000, 1)} MB`;
}
