import type * as B from "../bindings";
import type { Activity, Contact, Organisation } from "./types";

export const blankContact = (): Contact => ({ name: "", email: "", phone: "" });

/** A new draft activity as controller, like ropa-core's `Activity::draft`. */
export function draftActivity(id: string, name: string): Activity {
  return {
    id,
    name,
    description: "",
    owner: "",
    status: "draft",
    purposes: [],
    role: { kind: "controller" },
    legal_bases: [],
    special_conditions: [],
    national_provisions: [],
    data_flows: [],
    sources: [],
    transfers: [],
    retention: [],
    security: { measures: [], notes: "" },
    automated_decision: null,
    dpia: { triggers: [], status: "not-required", done_on: null, reference: "" },
    review: { last_reviewed: null, next_review: null },
  };
}

/** An activity as the backend sent it, with every serde default filled in for editing. */
export function completeActivity(w: B.Activity): Activity {
  return {
    id: w.id,
    name: w.name,
    description: w.description ?? "",
    owner: w.owner ?? "",
    status: w.status,
    purposes: w.purposes ?? [],
    role:
      w.role.kind === "controller"
        ? { kind: "controller" }
        : w.role.kind === "joint-controller"
          ? { kind: "joint-controller", parties: w.role.parties.map((p) => ({ name: p.name, business_id: p.business_id ?? "", contact: contact(p.contact), responsibilities: p.responsibilities ?? "" })) }
          : {
              kind: "processor",
              controller: { name: w.role.controller.name, business_id: w.role.controller.business_id ?? "", country: w.role.controller.country ?? "", contact: contact(w.role.controller.contact) },
              processing_categories: w.role.processing_categories ?? [],
            },
    legal_bases: (w.legal_bases ?? []).map((b) => ({ article: b.article, justification: b.justification ?? "", law: b.law ?? "", withdrawal: b.withdrawal ?? "" })),
    special_conditions: (w.special_conditions ?? []).map((c) => ({ article: c.article, justification: c.justification ?? "" })),
    national_provisions: (w.national_provisions ?? []).map((n) => ({ provision: n.provision, justification: n.justification ?? "" })),
    data_flows: (w.data_flows ?? []).map((f) => ({ data_category: f.data_category, subject_category: f.subject_category, recipients: f.recipients ?? [] })),
    sources: (w.sources ?? []).map((s) => ({ kind: s.kind, description: s.description ?? "" })),
    transfers: (w.transfers ?? []).map((t) => ({
      country: t.country,
      recipient: t.recipient ?? null,
      mechanism: t.mechanism ?? null,
      derogation: t.derogation ?? null,
      safeguards: t.safeguards ?? "",
      dpf_certified: t.dpf_certified ?? null,
      tia_done: t.tia_done ?? false,
    })),
    retention: (w.retention ?? []).map((r) => ({ data_categories: r.data_categories ?? [], period: r.period ?? null, trigger: r.trigger, description: r.description ?? "" })),
    security: { measures: w.security?.measures ?? [], notes: w.security?.notes ?? "" },
    automated_decision: w.automated_decision ?? null,
    dpia: { triggers: w.dpia?.triggers ?? [], status: w.dpia?.status ?? "not-required", done_on: w.dpia?.done_on ?? null, reference: w.dpia?.reference ?? "" },
    review: { last_reviewed: w.review?.last_reviewed ?? null, next_review: w.review?.next_review ?? null },
  };
}

function contact(c: B.Contact | undefined | null): Contact {
  return { name: c?.name ?? "", email: c?.email ?? "", phone: c?.phone ?? "" };
}

export function completeOrganisation(o: B.Organisation): Organisation {
  return {
    name: o.name,
    country: o.country,
    business_id: o.business_id ?? "",
    address: o.address ?? "",
    contact: contact(o.contact),
    dpo: o.dpo ? contact(o.dpo) : null,
    eu_representative: o.eu_representative ? contact(o.eu_representative) : null,
    security_measures: o.security_measures ?? "",
    language: o.language,
  };
}
