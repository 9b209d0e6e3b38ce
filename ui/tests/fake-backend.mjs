// An in-memory stand-in for the Rust backend, implementing the command contract
// (/tmp/contract.md) closely enough for the UI tests. Its validation is a small subset of
// ropa-core's rules, enough to produce issues at real paths; it is test code, not a rule source.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { recordingsCommand, RECORDINGS_COMMANDS } from "./fake-recordings.mjs";

const FIXTURE = fileURLToPath(new URL("../../tests/fixtures/register-da.json", import.meta.url));
export const TODAY = "2026-06-01";
export const EXISTING = "/home/dpo/Bager Hansen.ropa";
export const PASSPHRASE = "korrekt hest batteri";

export class AppError {
  constructor(code, details = {}, issues = []) {
    this.code = code;
    this.details = details;
    this.issues = issues;
  }
}

const clone = (v) => structuredClone(v);
const INTEGRITY = new Set([
  "transfer.country_missing", "activity.id_missing", "activity.id_duplicate", "activity.name_missing",
  "flow.unknown_data_category", "flow.unknown_subject_category", "flow.unknown_recipient",
  "retention.unknown_data_category", "transfer.unknown_recipient", "transfer.country_invalid",
]);

function addMonths(iso, n) {
  const [y, m, d] = iso.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1 + n, d));
  return date.toISOString().slice(0, 10);
}
function due(review) {
  const def = review.last_reviewed ? addMonths(review.last_reviewed, 12) : null;
  if (review.next_review && review.last_reviewed && review.next_review <= review.last_reviewed) return def;
  return review.next_review ?? def;
}

export function validateActivity(content, a) {
  const out = [];
  const push = (path, code, severity = "error", params) => out.push({ path, code, severity, ...(params ? { params } : {}) });
  if (!a.name.trim()) push("/name", "activity.name_missing");
  if (!a.purposes.length) push("/purposes", "activity.purpose_missing");
  a.purposes.forEach((p, i) => { if (!p.trim()) push(`/purposes/${i}`, "activity.purpose_empty"); });
  const processor = a.role.kind === "processor";
  if (a.role.kind === "joint-controller") {
    if (!a.role.parties.length) push("/role/parties", "role.joint_parties_missing");
    a.role.parties.forEach((p, i) => { if (!p.name.trim()) push(`/role/parties/${i}/name`, "role.party_name_missing"); });
  }
  if (processor) {
    if (!a.role.controller.name.trim()) push("/role/controller/name", "role.controller_name_missing");
    if (a.role.processing_categories.every((c) => !c.trim())) push("/role/processing_categories", "role.processing_categories_missing");
  } else {
    if (!a.legal_bases.length) push("/legal_bases", "legal_basis.missing");
    a.legal_bases.forEach((b, i) => {
      if (!b.justification.trim()) push(`/legal_bases/${i}/justification`, b.article === "6-1-f" ? "legal_basis.balancing_missing" : "legal_basis.justification_missing", "error", { article: b.article });
      if ((b.article === "6-1-c" || b.article === "6-1-e") && !(b.law ?? "").trim()) push(`/legal_bases/${i}/law`, "legal_basis.law_missing", "error", { article: b.article });
      if (b.article === "6-1-a" && !(b.withdrawal ?? "").trim()) push(`/legal_bases/${i}/withdrawal`, "legal_basis.withdrawal_missing");
    });
    a.data_flows.forEach((f, i) => {
      const c = content.data_categories.find((d) => d.id === f.data_category);
      if (c?.kind === "special" && !a.special_conditions.length) push(`/data_flows/${i}/data_category`, "special.condition_missing", "error", { category: c.id });
    });
  }
  if (!a.data_flows.length) push("/data_flows", "flow.missing");
  a.data_flows.forEach((f, i) => {
    if (!content.data_categories.some((d) => d.id === f.data_category)) push(`/data_flows/${i}/data_category`, "flow.unknown_data_category", "error", { id: f.data_category });
  });
  if (!a.retention.length) push("/retention", "retention.missing");
  a.retention.forEach((r, i) => { if (!r.period) push(`/retention/${i}/period`, "retention.vague", "warning"); });
  a.transfers.forEach((tr, i) => {
    if (!tr.country) push(`/transfers/${i}/country`, "transfer.country_missing");
    else if (!tr.mechanism) push(`/transfers/${i}/mechanism`, "transfer.mechanism_missing", "error", { country: tr.country });
  });
  if (a.automated_decision !== null && !a.automated_decision.trim()) push("/automated_decision", "activity.automated_decision_undescribed");
  if (a.dpia.status === "done" && !a.dpia.done_on) push("/dpia/done_on", "dpia.date_missing");
  const d = due(a.review);
  if (d && d < TODAY && a.status !== "retired") push("/review/next_review", "review.overdue", "warning", { date: d });
  if (a.status === "draft") for (const i of out) if (!INTEGRITY.has(i.code)) i.severity = "warning";
  return out;
}

// --- Organisation and catalogs: the rules ropa-core's validation and store apply to them ------
// (business-id check digits, the data-category and recipient checks, and which links make a
// catalog entry "in use"), so that the organisation and catalog pages meet real messages.

function weightedDigits(text, weights) {
  const digits = [...text.replace(/\s/g, "")].map((c) => (/^\d$/.test(c) ? Number(c) : NaN));
  if (digits.length !== weights.length || digits.some(Number.isNaN)) return null;
  return digits.reduce((sum, d, i) => sum + d * weights[i], 0) % 11 === 0 ? digits : null;
}
export const isValidCvr = (text) => weightedDigits(text, [2, 7, 6, 5, 4, 3, 2, 1])?.[0] > 0;
export const isValidOrgnr = (text) => [8, 9].includes(weightedDigits(text, [3, 2, 7, 6, 5, 4, 3, 2, 1])?.[0]);

export function validateOrganisation(org) {
  const out = [];
  const dk = org.country === "DK";
  if (!org.name.trim()) out.push({ path: "/name", code: "organisation.name_missing", severity: "error" });
  if (!(org.business_id ?? "").trim()) out.push({ path: "/business_id", code: dk ? "organisation.cvr_missing" : "organisation.orgnr_missing", severity: "warning" });
  else if (!(dk ? isValidCvr : isValidOrgnr)(org.business_id)) out.push({ path: "/business_id", code: dk ? "organisation.cvr_invalid" : "organisation.orgnr_invalid", severity: "error" });
  return out;
}

/** What `save_data_category` / `save_subject_category` / `save_recipient` refuse. */
export function validateCatalogEntry(entity, item) {
  const out = [];
  const missing = !item.id.trim() ? { path: "/id", code: "catalog.id_missing", severity: "error" } : !item.name.trim() ? { path: "/name", code: "catalog.name_missing", severity: "error" } : null;
  if (entity === "data-category") {
    if (item.kind === "special" && !item.special_category) out.push({ path: "/special_category", code: "data_category.special_category_missing", severity: "error" });
    if (item.kind !== "special" && item.special_category) out.push({ path: "/special_category", code: "data_category.special_category_not_special", severity: "error" });
  }
  if (missing) return entity === "data-category" ? [...out, missing] : [missing];
  if (entity === "recipient" && item.country && !/^[A-Z]{2}$/.test(item.country)) out.push({ path: "/country", code: "recipient.country_invalid", severity: "error", params: { country: item.country } });
  return out;
}

/** Whether an activity links to the entry (the store's link tables refuse the delete then). */
export function catalogEntryUsed(activities, entity, id) {
  return activities.some((a) => {
    const flows = a.data_flows ?? [];
    if (entity === "data-category") return flows.some((f) => f.data_category === id) || (a.retention ?? []).some((r) => (r.data_categories ?? []).includes(id));
    if (entity === "subject-category") return flows.some((f) => f.subject_category === id);
    return flows.some((f) => (f.recipients ?? []).includes(id)) || (a.transfers ?? []).some((t) => t.recipient === id);
  });
}

// --- The breach log and the register's deadlines: a subset of ropa-core's breach rules ------
// (validation::validate_breach) and of register_deadlines::open_deadlines, enough for the breach
// pages to meet real issues at real paths. Test code, not a rule source.

const HOUR = 3600 * 1000;
const BREACH_LATER_STAGE = new Set([
  "breach.nature_missing", "breach.data_categories_missing", "breach.consequences_missing", "breach.risk_missing",
  "breach.measures_missing", "breach.notice_missing", "breach.subjects_notice_missing", "breach.subjects_how_missing",
]);
const iso = (ms) => new Date(ms).toISOString().replace(".000Z", "Z");

export function validateBreach(content, b) {
  const out = [];
  const push = (path, code, severity = "error", params) => out.push({ path, code, severity, ...(params ? { params } : {}) });
  const aware = Date.parse(b.became_aware_at);
  if (!b.title.trim()) push("/title", "breach.title_missing");
  (b.data_categories ?? []).forEach((id, i) => { if (!content.data_categories.some((c) => c.id === id)) push(`/data_categories/${i}`, "breach.unknown_data_category", "error", { id }); });
  (b.activities ?? []).forEach((id, i) => { if (!content.activities.some((a) => a.id === id)) push(`/activities/${i}`, "breach.unknown_activity", "error", { id }); });
  (b.processors ?? []).forEach((p, i) => { if (!p.name.trim()) push(`/processors/${i}/name`, "breach.processor_name_missing"); });
  if (!(b.nature ?? []).length) push("/nature", "breach.nature_missing");
  if (!(b.data_categories ?? []).length) push("/data_categories", "breach.data_categories_missing");
  if (b.approx_subjects == null) push("/approx_subjects", "breach.count_missing", "warning");
  if (!(b.consequences ?? "").trim()) push("/consequences", "breach.consequences_missing");
  if (!b.risk) push("/risk", "breach.risk_missing");
  else if (!(b.risk.reasons ?? "").trim()) push("/risk/reasons", "breach.risk_reasons_missing");
  if (!(b.measures_taken ?? "").trim()) push("/measures_taken", "breach.measures_missing");
  const notices = b.notices ?? [];
  const level = b.risk?.level ?? null;
  if ((level === "risk" || level === "high-risk") && !notices.length) push("/notices", "breach.notice_missing");
  notices.forEach((n, i) => {
    if (Date.parse(n.at) < aware) push(`/notices/${i}/at`, "breach.before_awareness");
    if ((i === 0) !== (n.phase === "initial")) push(`/notices/${i}/phase`, "breach.notice_phase");
    if (!(n.case_number ?? "").trim()) push(`/notices/${i}/case_number`, "breach.case_number_missing", "warning");
  });
  if (notices.length) {
    const first = Math.min(...notices.map((n) => Date.parse(n.at)));
    if (first > aware + 72 * HOUR && !(b.late_notice_reasons ?? "").trim()) {
      push("/late_notice_reasons", "breach.notice_late_reasons_missing", "error", { hours: String(Math.floor((first - aware) / HOUR)) });
    }
  }
  const ds = b.data_subjects ?? null;
  if (!ds && level === "high-risk") push("/data_subjects", "breach.subjects_notice_missing");
  if (ds?.kind === "told" && !(ds.how ?? "").trim()) push("/data_subjects/how", "breach.subjects_how_missing");
  if (ds?.kind === "exception" && !(ds.explanation ?? "").trim()) push("/data_subjects/explanation", "breach.exception_explanation_missing");
  if (!b.closed_at) for (const i of out) if (BREACH_LATER_STAGE.has(i.code)) i.severity = "warning";
  return out;
}

/** The 72-hour deadline while it runs: open, not assessed as no risk, no notice recorded. */
function breachNoticeDeadline(b, country) {
  if (b.closed_at || b.risk?.level === "no-risk" || (b.notices ?? []).length) return null;
  return { kind: "breach_notification", due: { at: iso(Date.parse(b.became_aware_at) + 72 * HOUR) }, country };
}

const SOON = { breach_notification: 24 * HOUR, activity_review: 90 * 24 * HOUR };
function registerDeadline(deadline, record, now) {
  const expires = deadline.due.at ? Date.parse(deadline.due.at) : Date.parse(`${deadline.due.on}T22:00:00Z`);
  const left = expires - now;
  return {
    deadline, record, expires_at: iso(expires), due_local: null,
    status: left < 0 ? "overdue" : left <= SOON[deadline.kind] ? "due_soon" : "open",
    seconds_left: Math.floor(left / 1000),
  };
}

export function breachCommand(backend, cmd, a) {
  const reg = backend.reg;
  reg.breaches ??= [];
  const content = reg.content;
  const country = content.organisation.country;
  switch (cmd) {
    case "breaches":
      return reg.breaches.map((b) => {
        const issues = validateBreach(content, b);
        return {
          id: b.id, title: b.title, became_aware_at: b.became_aware_at, open: !b.closed_at, risk: b.risk?.level ?? null,
          notices: (b.notices ?? []).length, notice_deadline: breachNoticeDeadline(b, country),
          errors: issues.filter((i) => i.severity === "error").length, warnings: issues.filter((i) => i.severity === "warning").length,
        };
      });
    case "breach": {
      const found = reg.breaches.find((b) => b.id === a.id);
      if (!found) throw new AppError("record_not_found", { entity: "breach", id: a.id });
      return clone(found);
    }
    case "check_breach":
      return validateBreach(content, a.breach);
    case "save_breach": {
      const b = clone(a.breach);
      if (!b.id.trim()) {
        const year = b.became_aware_at.slice(0, 4);
        const n = Math.max(0, ...reg.breaches.map((x) => (x.id.startsWith(year + "-") ? Number(x.id.slice(5)) : 0))) + 1;
        b.id = `${year}-${String(n).padStart(3, "0")}`;
      }
      const issues = validateBreach(content, b);
      if (issues.some((i) => i.severity === "error")) throw new AppError("invalid", {}, issues);
      const i = reg.breaches.findIndex((x) => x.id === b.id);
      if (i >= 0) reg.breaches[i] = b;
      else reg.breaches.push(b);
      backend.log(reg, "breach", b.id, i >= 0 ? "update" : "create");
      return { id: b.id, issues };
    }
    case "deadlines": {
      const now = Date.now();
      const out = [];
      for (const b of reg.breaches) {
        const d = breachNoticeDeadline(b, country);
        if (d) out.push(registerDeadline(d, { kind: "breach", id: b.id, title: b.title }, now));
      }
      for (const x of content.activities.filter((x) => x.status !== "retired")) {
        const on = due(x.review);
        if (on) out.push(registerDeadline({ kind: "activity_review", due: { on }, country }, { kind: "activity", id: x.id, title: x.name }, now));
      }
      return out.sort((x, y) => Date.parse(x.expires_at) - Date.parse(y.expires_at) || x.record.id.localeCompare(y.record.id));
    }
  }
  throw new AppError("io", { detail: `unknown command ${cmd}` });
}

// --- Processors (Art. 28): a subset of ropa-core's validate_processor and processor_deadlines,
// enough for the processors screen; attach and open as src-tauri/src/commands/processors.rs do.
/** The shipped country lists (assets/data), as country_lists answers them. */
export function shippedCountryLists() {
  return {
    eea: { as_of: "2025-01-01", countries: "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO".split(" "), edited: false },
    adequacy: { as_of: "2025-07-01", countries: "AD AR CA FO GG IL IM JP JE NZ KR CH GB UY".split(" "), edited: false },
  };
}
const POINTS = [["a", "instructions"], ["b", "confidentiality"], ["c", "security"], ["d", "sub_processors"], ["e", "data_subject_rights"], ["f", "assistance"], ["g", "deletion_or_return"], ["h", "audits"]];
const KINDS = { pdf: "pdf", docx: "zip", odt: "zip", png: "png", jpg: "jpeg", jpeg: "jpeg" };

function locationRules(lists, country, mechanism, dpf, path, push) {
  if (!country?.trim()) return push(`${path}/country`, "processor.country_missing");
  if (!/^[A-Z]{2}$/.test(country)) return push(`${path}/country`, "processor.country_invalid", "error", { country });
  if (!mechanism && !lists.eea.countries.includes(country) && !lists.adequacy.countries.includes(country)) {
    push(`${path}/mechanism`, "processor.mechanism_missing", "error", { country, as_of: lists.adequacy.as_of });
  }
  if (mechanism === "eu-us-dpf" && dpf === false) push(`${path}/dpf_certified`, "processor.dpf_not_certified");
  if (mechanism === "eu-us-dpf" && (dpf ?? null) === null) push(`${path}/dpf_certified`, "processor.dpf_certification_unknown", "warning");
}

export function validateProcessor(content, p, lists = shippedCountryLists()) {
  const out = [];
  const push = (path, code, severity = "error", params) => out.push({ path, code, severity, ...(params ? { params } : {}) });
  if (!p.name.trim()) push("/name", "processor.name_missing");
  (p.activities ?? []).forEach((id, i) => { if (!content.activities.some((a) => a.id === id)) push(`/activities/${i}`, "processor.unknown_activity", "error", { id }); });
  locationRules(lists, p.country, p.mechanism ?? null, p.dpf_certified ?? null, "", push);
  const subs = (list, base) => (list ?? []).forEach((s, i) => {
    if (!s.name.trim()) push(`${base}/${i}/name`, "processor.sub_processor_name_missing");
    locationRules(lists, s.country, s.mechanism ?? null, s.dpf_certified ?? null, `${base}/${i}`, push);
    subs(s.sub_processors, `${base}/${i}/sub_processors`);
  });
  subs(p.sub_processors, "/sub_processors");
  const agreements = p.agreements ?? [];
  agreements.forEach((a, i) => {
    if (!a.version.trim()) push(`/agreements/${i}/version`, "agreement.version_missing");
    if (a.signed_on && a.expires_on && a.expires_on < a.signed_on) push(`/agreements/${i}/expires_on`, "agreement.expires_before_signed");
    if (a.current && a.signed_on) for (const [letter, field] of POINTS) if (!a.checklist?.[field]?.covered) push(`/agreements/${i}/checklist/${field}/covered`, "agreement.point_not_covered", "warning", { point: letter });
  });
  if (agreements.length && !agreements.some((a) => a.current)) push("/agreements", "agreement.current_none", "warning");
  return out;
}

function addDays(iso, n) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function processorDeadlines(content, processors, today) {
  const out = [];
  for (const p of processors) {
    const entry = (kind, due, status, activity_id) => ({ kind, processor_id: p.id, processor_name: p.name, ...(activity_id ? { activity_id } : {}), due, status });
    const current = (p.agreements ?? []).find((a) => a.current);
    if (current?.expires_on && current.expires_on <= addDays(today, 60)) out.push(entry("agreement_expiry", current.expires_on, current.expires_on < today ? "overdue" : "due_soon"));
    const last = [...(p.supervisions ?? [])].sort((x, y) => y.done_on.localeCompare(x.done_on))[0];
    const months = p.supervision_interval_months ?? 12;
    const nextDue = last ? (last.next_due ?? addMonths(last.done_on, months)) : current?.signed_on ? addMonths(current.signed_on, months) : null;
    if (nextDue && nextDue <= addDays(today, 90)) out.push(entry("supervision", nextDue, nextDue < today ? "overdue" : "due_soon"));
    if (!current?.signed_on) {
      out.push(entry("no_signed_agreement", null, "overdue"));
      for (const a of content.activities) if (a.status !== "retired" && (p.activities ?? []).includes(a.id)) out.push(entry("activity_without_agreement", null, "overdue", a.id));
    }
  }
  const rank = { agreement_expiry: 0, supervision: 1, no_signed_agreement: 2, activity_without_agreement: 3 };
  return out.sort((x, y) => (x.due ?? "").localeCompare(y.due ?? "") || rank[x.kind] - rank[y.kind] || x.processor_id.localeCompare(y.processor_id));
}

export async function processorCommand(backend, cmd, a) {
  const reg = backend.reg;
  reg.processors ??= [];
  const content = reg.content;
  const find = (id) => {
    const found = reg.processors.find((p) => p.id === id);
    if (!found) throw new AppError("record_not_found", { entity: "processor", id });
    return found;
  };
  switch (cmd) {
    case "processors":
      return clone(reg.processors);
    case "processor":
      return clone(find(a.id));
    case "check_processor":
      return validateProcessor(content, a.processor, backend.countryLists);
    case "save_processor": {
      const p = clone(a.processor);
      if (!p.id.trim()) p.id = `p-${reg.processors.length + 1}`;
      const stored = reg.processors.find((x) => x.id === p.id);
      for (const ag of p.agreements ?? []) ag.document = stored?.agreements?.find((x) => x.version === ag.version)?.document ?? null;
      for (const s of p.supervisions ?? []) {
        if (!s.id) s.id = `s-${(backend.supervisionIds = (backend.supervisionIds ?? 0) + 1)}`;
        s.report = stored?.supervisions?.find((x) => x.id === s.id)?.report ?? null;
      }
      const issues = validateProcessor(content, p, backend.countryLists);
      if (issues.some((i) => i.severity === "error")) throw new AppError("invalid", {}, issues);
      const i = reg.processors.findIndex((x) => x.id === p.id);
      if (i >= 0) reg.processors[i] = p;
      else reg.processors.push(p);
      backend.log(reg, "processor", p.id, i >= 0 ? "update" : "create");
      return { id: p.id, issues };
    }
    case "processor_deadlines":
      return processorDeadlines(content, reg.processors, TODAY);
    case "attach_agreement":
      return attachDocument(backend, a, (path, extension) => {
        const p = find(a.processorId);
        p.agreements ??= [];
        const version = a.version ?? p.agreements.find((x) => x.current)?.version ?? "1";
        let ag = p.agreements.find((x) => x.version === version);
        if (!ag) {
          for (const x of p.agreements) x.current = false;
          ag = { version, current: true, signed_on: null, expires_on: null, term: "", checklist: {} };
          p.agreements.push(ag);
        }
        ag.document = describe(path, extension);
        backend.log(reg, "agreement", `${p.id}/${version}`, "attach");
        return clone(ag.document);
      });
    case "attach_supervision_report":
      return attachDocument(backend, a, (path, extension) => {
        const s = (find(a.processorId).supervisions ?? []).find((x) => x.id === a.supervisionId);
        if (!s) throw new AppError("document.no_supervision", { id: a.supervisionId });
        s.report = describe(path, extension);
        backend.log(reg, "supervision", `${a.processorId}/${a.supervisionId}`, "attach");
        return clone(s.report);
      });
    case "open_supervision_report": {
      const s = (find(a.processorId).supervisions ?? []).find((x) => x.id === a.supervisionId);
      if (!s) throw new AppError("document.no_supervision", { id: a.supervisionId });
      if (!s.report) throw new AppError("document.no_report", { id: a.supervisionId });
      const path = `/tmp/ropa-documents-x/${s.report.sha256.slice(0, 16)}/${s.report.file_name}`;
      backend.opened.push(path);
      return { path, opened: true };
    }
    case "open_agreement": {
      const p = find(a.processorId);
      const ag = (p.agreements ?? []).find((x) => (a.version ? x.version === a.version : x.current));
      if (!ag) throw new AppError("document.no_version", { version: a.version ?? "" });
      if (!ag.document) throw new AppError("document.no_document", { version: ag.version });
      const path = `/tmp/ropa-documents-x/${ag.document.sha256.slice(0, 16)}/${ag.document.file_name}`;
      backend.opened.push(path);
      return { path, opened: true };
    }
  }
  throw new AppError("io", { detail: `unknown command ${cmd}` });
}

function describe(path, extension) {
  return { file_name: path.split("/").pop(), kind: extension === "jpg" ? "jpeg" : extension, size: 2048, sha256: "5f".repeat(32) };
}

/** The open dialog, the type check and the progress channel of attach_agreement and
 * attach_supervision_report; `store(path, extension)` keeps the document. */
async function attachDocument(backend, a, store) {
  const match = /^__CHANNEL__:(\d+)$/.exec(String(a.progress));
  if (!match) throw new AppError("io", { detail: `invalid channel value \`${a.progress}\`` });
  const channel = Number(match[1]);
  let index = 0;
  const send = async (message) => backend.channels?.send(channel, { message, index: index++ }).catch(() => {});
  try {
    void backend.reg; // locked: no dialog
    const path = backend.dialogAnswers.shift() ?? null;
    if (!path) return null;
    await send("checking");
    const extension = path.split(".").pop().toLowerCase();
    if (!KINDS[extension]) throw new AppError("document.unsupported_extension", { extension });
    const looks = backend.fileHeads[path] ?? KINDS[extension];
    if (looks !== KINDS[extension]) throw new AppError("document.wrong_type", { extension, looks_like: looks });
    await send("storing");
    return store(path, extension);
  } finally {
    await backend.channels?.send(channel, { end: true, index }).catch(() => {});
  }
}

/** set_country_list as core checks it: the date, then each code; nothing is kept on an error. */
function setCountryList(backend, list, asOf, countries) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf.trim())) throw new AppError("country_list.date_invalid", { value: asOf });
  const seen = new Set();
  for (const code of countries) {
    if (!/^[A-Z]{2}$/.test(code)) throw new AppError("country_list.invalid_code", { code });
    if (seen.has(code)) throw new AppError("country_list.duplicate_code", { code });
    seen.add(code);
  }
  backend.countryLists[list] = { as_of: asOf.trim(), countries: [...countries], edited: true };
  return clone(backend.countryLists);
}

function seedContent() {
  const content = JSON.parse(readFileSync(FIXTURE, "utf8"));
  delete content.format;
  delete content.version;
  // Make the fixture exercise the overview: one review overdue, one activity with an error.
  content.activities.find((a) => a.id === "cctv").review.next_review = "2026-05-01";
  content.activities.push({
    id: "kundeklub", name: "Kundeklub", description: "", owner: "Marketing", status: "active",
    purposes: ["At give medlemmer rabat."], role: { kind: "controller" },
    legal_bases: [{ article: "6-1-c", justification: "Krav om kvittering." }],
    special_conditions: [], national_provisions: [],
    data_flows: [{ data_category: "contact", subject_category: "customers", recipients: [] }],
    sources: [], transfers: [], retention: [{ data_categories: [], period: { years: 1 }, trigger: "last-contact" }],
    security: { measures: [] }, automated_decision: null, dpia: { triggers: [], status: "not-required" },
    review: { last_reviewed: "2026-01-10", next_review: "2026-07-01" },
  });
  return content;
}

export class FakeBackend {
  constructor() {
    this.settings = { language: null, auto_lock_minutes: 10 };
    /** The country lists in effect (country-lists.json beside the settings). */
    this.countryLists = shippedCountryLists();
    this.systemLanguage = "da";
    this.registers = new Map([[EXISTING, { passphrase: PASSPHRASE, content: seedContent(), log: [], rollback: null }]]);
    this.recent = [{ path: EXISTING, organisation: "Bager Hansen ApS", opened_at: "2026-05-28T08:15:00Z" }];
    this.dialogAnswers = [];
    this.allowed = new Set([EXISTING]);
    this.open = null; // path
    this.calls = [];
    /** What export_report was asked for: the report request ({ kind, … }) with the language
     * and `open`, one per call. */
    this.exports = [];
    /** How export_report behaves: the pages of the PDF, the milliseconds each stage takes, the
     * error to fail with ({ code, details }; pdf.* while rendering, write_file while writing),
     * whether a PDF viewer can be started, and a stage at which to wait until the test calls
     * `releaseReport()`. The path comes from `dialogAnswers`. */
    this.report = { pages: 12, delay: 0, error: null, viewer: true, holdAt: null };
    this.releaseReport = () => {};
    /** What a file's first bytes look like, by path, when not what its extension says. */
    this.fileHeads = {};
    /** The documents open_agreement extracted and opened. */
    this.opened = [];
    /** Recorded calls: the pages call_page was asked for ({ offset, limit, query }), the call
     * lists the open dialog can pick (path → { columns, rows, total? }), mapping profiles by
     * path, files written, and what was imported, withdrawn and swept. */
    this.pageRequests = [];
    this.pageDelay = 0;
    this.callFiles = {};
    this.profiles = {};
    this.savedFiles = [];
    this.imports = [];
    this.importDelay = 0;
    this.importIndexes = false;
    this.withdrawals = [];
    this.receiptsSaved = [];
    this.nonEmptyFolders = [];
    this.sweeps = 0;
    this.sweepDelay = 0;
    /** Set by the harness: `send(id, payload)` runs the page's callback for a channel. */
    this.channels = null;
    for (let i = 0; i < 3; i++) this.log(this.registers.get(EXISTING), "activity", "webshop-orders", "update");
  }

  log(reg, entity, entity_id, action) {
    const seq = reg.log.length + 1;
    reg.log.push({ seq, at: new Date(Date.UTC(2026, 4, 20 + seq, 9, seq)).toISOString().replace(".000", ""), actor: "dpo", entity, entity_id, action, mac: "ab".repeat(32) });
  }

  get reg() {
    if (!this.open) throw new AppError("locked");
    return this.registers.get(this.open);
  }

  session() {
    const reg = this.registers.get(this.open);
    return { path: this.open, file_name: this.open.split("/").pop(), organisation: clone(reg.content.organisation), rollback_warning: reg.rollback };
  }

  summary(a) {
    const content = this.reg.content;
    const issues = validateActivity(content, a);
    const next = due(a.review);
    return {
      id: a.id, name: a.name, status: a.status, role: a.role.kind, legal_bases: a.legal_bases.map((b) => b.article), next_review: next,
      special_categories: a.data_flows.some((f) => content.data_categories.find((d) => d.id === f.data_category)?.kind === "special"),
      transfers: a.transfers.length > 0, review_overdue: a.status !== "retired" && !!next && next < TODAY,
      errors: issues.filter((i) => i.severity === "error").length, warnings: issues.filter((i) => i.severity === "warning").length,
    };
  }

  async handle(cmd, args) {
    this.calls.push(cmd);
    try {
      return { ok: await this.run(cmd, args) };
    } catch (e) {
      if (e instanceof AppError) return { err: { code: e.code, details: e.details, issues: e.issues } };
      return { err: { code: "io", details: { detail: String(e) }, issues: [] } };
    }
  }

  run(cmd, a) {
    switch (cmd) {
      case "app_info":
        return { version: "0.1.0", settings: clone(this.settings), recent: clone(this.recent), system_language: this.systemLanguage, unlocked: this.open ? this.session() : null };
      case "save_settings":
        this.settings = clone(a.settings);
        return clone(this.settings);
      case "country_lists":
        return clone(this.countryLists);
      case "set_country_list":
        return setCountryList(this, a.list, a.asOf, a.countries);
      case "reset_country_list":
        this.countryLists[a.list] = shippedCountryLists()[a.list];
        return clone(this.countryLists);
      case "forget_recent":
        this.recent = this.recent.filter((r) => r.path !== a.path);
        return clone(this.recent);
      case "pick_new_register":
      case "pick_existing_register":
      case "backup": {
        const path = this.dialogAnswers.shift() ?? null;
        if (path) this.allowed.add(path);
        if (cmd === "backup" && path) this.log(this.reg, "register", "-", "backup");
        return path;
      }
      case "create_register": {
        if (!this.allowed.has(a.path)) throw new AppError("not_allowed", { path: a.path });
        if (this.registers.has(a.path)) throw new AppError("already_exists", { path: a.path });
        if ([...a.passphrase].length < 8) throw new AppError("passphrase_too_short", { min: "8" });
        if (a.passphrase !== a.repeat) throw new AppError("passphrase_mismatch");
        const reg = { passphrase: a.passphrase, content: { organisation: clone(a.organisation), data_categories: [], subject_categories: [], recipients: [], activities: [] }, log: [], rollback: null };
        this.registers.set(a.path, reg);
        this.log(reg, "register", "-", "create");
        this.open = a.path;
        this.remember(a.path);
        return this.session();
      }
      case "open_register": {
        if (!this.allowed.has(a.path) && !this.recent.some((r) => r.path === a.path)) throw new AppError("not_allowed", { path: a.path });
        const reg = this.registers.get(a.path);
        if (!reg) throw new AppError("not_found", { path: a.path });
        if (reg.passphrase !== a.passphrase) throw new AppError("wrong_passphrase");
        this.open = a.path;
        this.remember(a.path);
        return this.session();
      }
      case "lock":
        this.open = null;
        return null;
      case "session":
        return this.open ? this.session() : null;
      case "organisation":
        return clone(this.reg.content.organisation);
      case "check_organisation":
        return this.orgIssues(a.organisation);
      case "save_organisation": {
        const issues = this.orgIssues(a.organisation);
        if (issues.some((i) => i.severity === "error")) throw new AppError("invalid", {}, issues);
        this.reg.content.organisation = clone(a.organisation);
        this.log(this.reg, "organisation", "-", "update");
        return issues;
      }
      case "catalogs": {
        const c = this.reg.content;
        return clone({ data_categories: c.data_categories, subject_categories: c.subject_categories, recipients: c.recipients });
      }
      case "save_data_category": return this.saveCatalog("data_categories", "data-category", a.category);
      case "save_subject_category": return this.saveCatalog("subject_categories", "subject-category", a.category);
      case "save_recipient": return this.saveCatalog("recipients", "recipient", a.recipient);
      case "delete_catalog_entry": {
        const key = { "data-category": "data_categories", "subject-category": "subject_categories", recipient: "recipients" }[a.kind];
        if (!this.reg.content[key].some((x) => x.id === a.id)) throw new AppError("record_not_found", { entity: a.kind, id: a.id });
        if (catalogEntryUsed(this.reg.content.activities, a.kind, a.id)) throw new AppError("in_use", { entity: a.kind, id: a.id });
        this.reg.content[key] = this.reg.content[key].filter((x) => x.id !== a.id);
        this.log(this.reg, a.kind, a.id, "delete");
        return null;
      }
      case "activities":
        return this.reg.content.activities.map((x) => this.summary(x)).sort((x, y) => x.name.localeCompare(y.name));
      case "activity": {
        const found = this.reg.content.activities.find((x) => x.id === a.id);
        if (!found) throw new AppError("record_not_found", { entity: "activity", id: a.id });
        return clone(found);
      }
      case "check_activity":
        return validateActivity(this.reg.content, a.activity);
      case "save_activity": {
        const issues = validateActivity(this.reg.content, a.activity);
        if (issues.some((i) => i.severity === "error")) throw new AppError("invalid", {}, issues);
        const acts = this.reg.content.activities;
        const i = acts.findIndex((x) => x.id === a.activity.id);
        if (i >= 0) acts[i] = clone(a.activity);
        else acts.push(clone(a.activity));
        this.log(this.reg, "activity", a.activity.id, i >= 0 ? "update" : "create");
        return { id: a.activity.id, issues };
      }
      case "delete_activity":
        this.reg.content.activities = this.reg.content.activities.filter((x) => x.id !== a.id);
        this.log(this.reg, "activity", a.id, "delete");
        return null;
      case "overview": {
        const acts = this.reg.content.activities;
        const by = (f) => acts.filter(f).length;
        const activity_issues = acts
          .map((x) => ({ activity_id: x.id, activity_name: x.name, issues: validateActivity(this.reg.content, x) }))
          .filter((x) => x.issues.length);
        const reviews = acts
          .filter((x) => x.status !== "retired")
          .map((x) => ({ activity_id: x.id, activity_name: x.name, due: due(x.review), overdue: false }))
          .filter((r) => r.due && r.due <= addMonths(TODAY, 3))
          .map((r) => ({ ...r, overdue: r.due < TODAY }))
          .sort((x, y) => x.due.localeCompare(y.due));
        return {
          activities: acts.length, active: by((x) => x.status === "active"), drafts: by((x) => x.status === "draft"), retired: by((x) => x.status === "retired"),
          as_processor: by((x) => x.role.kind === "processor"), with_special_categories: by((x) => this.summary(x).special_categories), with_transfers: by((x) => x.transfers.length > 0),
          register_issues: this.orgIssues(this.reg.content.organisation).map((i) => ({ ...i, path: "/organisation" + i.path })),
          activity_issues, reviews,
        };
      }
      case "change_log":
        return clone(this.reg.log.slice(-a.limit).reverse());
      case "verify":
        return { integrity: [], cipher_integrity: [], chain: { entries: this.reg.log.length, first_bad: null, head: { seq: this.reg.log.length, mac: "ab".repeat(32) } }, rollback: this.reg.rollback };
      case "accept_current_head":
        this.reg.rollback = null;
        return null;
      case "change_passphrase":
        if (a.current !== this.reg.passphrase) throw new AppError("wrong_passphrase");
        if ([...a.newPassphrase].length < 8) throw new AppError("passphrase_too_short", { min: "8" });
        if (a.newPassphrase !== a.repeat) throw new AppError("passphrase_mismatch");
        this.reg.passphrase = a.newPassphrase;
        this.log(this.reg, "register", "-", "passphrase-change");
        return null;
      case "export_report":
        return this.exportReport(a);
      case "breaches":
      case "breach":
      case "check_breach":
      case "save_breach":
      case "deadlines":
        return breachCommand(this, cmd, a);
      case "processors":
      case "processor":
      case "check_processor":
      case "save_processor":
      case "processor_deadlines":
      case "attach_agreement":
      case "open_agreement":
      case "attach_supervision_report":
      case "open_supervision_report":
        return processorCommand(this, cmd, a);
      default:
        if (RECORDINGS_COMMANDS.includes(cmd)) return recordingsCommand(this, cmd, a);
        throw new AppError("io", { detail: `unknown command ${cmd}` });
    }
  }

  /** export_report as src-tauri/src/commands/reports.rs does it: the save dialog, then each
   * stage announced on the channel as it starts ({ message, index }, as tauri::ipc::Channel
   * sends), and `{ end, index }` when the command is over and its Channel is dropped. */
  async exportReport(a) {
    void this.reg; // locked before the dialog opens
    const match = /^__CHANNEL__:(\d+)$/.exec(String(a.progress));
    if (!match) throw new AppError("io", { detail: `invalid channel value \`${a.progress}\`` });
    const r = a.report ?? {};
    const valid = {
      register: () => Object.keys(r).length === 1,
      "processor-record": () => Object.keys(r).length === 1,
      processors: () => Object.keys(r).length === 1,
      "breach-notification": () => typeof r.breach === "string",
      "breach-log": () => [r.from, r.to].every((d) => d === null || /^\d{4}-\d{2}-\d{2}$/.test(d)),
    }[r.kind];
    if (!valid?.() || !["da", "nb", "en"].includes(a.language) || typeof a.open !== "boolean") {
      throw new AppError("io", { detail: `invalid arguments ${JSON.stringify(a)}` });
    }
    this.exports.push({ ...r, language: a.language, open: a.open });
    // Refused before the dialog, as report_suggestion does.
    if (r.kind === "breach-notification" && !(this.reg.breaches ?? []).some((b) => b.id === r.breach)) {
      throw new AppError("record_not_found", { entity: "breach", id: r.breach });
    }
    if (r.kind === "breach-log" && r.from && r.to && r.to < r.from) throw new AppError("period_reversed", { from: r.from, to: r.to });
    const id = Number(match[1]);
    let index = 0;
    const send = async (stage) => {
      await this.channels?.send(id, { message: stage, index: index++ }).catch(() => {});
    };
    const pause = async (stage) => {
      await new Promise((resolve) => setTimeout(resolve, this.report.delay));
      if (stage && stage === this.report.holdAt) await new Promise((resolve) => (this.releaseReport = resolve));
    };
    try {
      await pause(); // the person in the save dialog
      let path = this.dialogAnswers.shift() ?? null;
      if (!path) return null;
      if (!path.toLowerCase().endsWith(".pdf")) path += ".pdf";
      const error = this.report.error;
      const failAt = error ? (error.code === "write_file" ? "writing" : error.code.startsWith("pdf.") ? "rendering" : "reading") : null;
      for (const stage of ["reading", "rendering", "writing"]) {
        await send(stage);
        await pause(stage);
        if (stage === failAt) throw new AppError(error.code, error.details ?? {});
      }
      let opened = false;
      if (a.open) {
        await send("opening");
        await pause("opening");
        opened = this.report.viewer;
      }
      return { path, pages: this.report.pages, opened };
    } finally {
      await this.channels?.send(id, { end: true, index }).catch(() => {});
    }
  }

  remember(path) {
    this.recent = [{ path, organisation: this.registers.get(path).content.organisation.name, opened_at: "2026-06-01T10:00:00Z" }, ...this.recent.filter((r) => r.path !== path)];
  }

  orgIssues(org) {
    return validateOrganisation(org);
  }

  saveCatalog(key, entity, item) {
    const list = this.reg.content[key];
    const issues = validateCatalogEntry(entity, item).filter((i) => i.severity === "error");
    if (issues.length) throw new AppError("invalid", {}, issues);
    const i = list.findIndex((x) => x.id === item.id);
    if (i >= 0) list[i] = clone(item);
    else list.push(clone(item));
    this.log(this.reg, entity, item.id, i >= 0 ? "update" : "create");
    return null;
  }
}
