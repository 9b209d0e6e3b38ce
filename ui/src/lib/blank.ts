import type { Activity, Contact } from "./types";

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
