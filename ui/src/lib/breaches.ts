// The breach log in the UI: times in the organisation's zone, the time left until a deadline,
// and breaches with their serde defaults filled in. No rule lives here: which deadlines run and
// what is missing come from core (`deadlines`, `breaches`, `check_breach`); the timeline is
// read off the facts in the same order as ropa-core's `Breach::timeline`.
import type * as B from "../bindings";
import { locale, t } from "./i18n.svelte";

/** The organisation's time zone: Europe/Copenhagen or Europe/Oslo. */
export function zoneOf(country: B.Country | string | undefined): string {
  return country === "NO" ? "Europe/Oslo" : "Europe/Copenhagen";
}

/** An instant as a date and time on the organisation's wall clock. */
export function formatInZone(iso: string, zone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), { dateStyle: "full", timeStyle: "short", timeZone: zone }).format(d);
}

export function formatShortInZone(iso: string, zone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short", timeZone: zone }).format(d);
}

/** The wall-clock parts of an instant in `zone`. */
function parts(ms: number, zone: string) {
  const f = new Intl.DateTimeFormat("en-GB", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return { y: +p.year, mo: +p.month, d: +p.day, h: +p.hour, mi: +p.minute, s: +p.second };
}

/** `YYYY-MM-DDTHH:MM` for a datetime-local input, on the organisation's wall clock. */
export function toLocalInput(iso: string | null | undefined, zone: string): string {
  if (!iso) return "";
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return "";
  const p = parts(ms, zone);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${p.y}-${two(p.mo)}-${two(p.d)}T${two(p.h)}:${two(p.mi)}`;
}

/** A datetime-local value read on the organisation's wall clock, as a UTC instant (RFC 3339);
 * null when empty or not a time. */
export function fromLocalInput(value: string, zone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!m) return null;
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  // The zone's offset at the guessed instant, twice (the second pass settles a DST change).
  let guess = wall;
  for (let i = 0; i < 2; i++) {
    const p = parts(guess, zone);
    const offset = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s) - guess;
    guess = wall - offset;
  }
  return new Date(guess).toISOString().replace(".000Z", "Z");
}

/** The current instant as RFC 3339 without milliseconds. */
export function nowIso(): string {
  return new Date(Math.floor(Date.now() / 60000) * 60000).toISOString().replace(".000Z", "Z");
}

/** "2 d 5 t 3 min": a duration in days, hours and minutes (whole minutes, rounded down). */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(Math.abs(ms) / 60000));
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const minutes = total % 60;
  const out: string[] = [];
  if (days) out.push(t("ui.breaches.days", { count: days }));
  if (days || hours) out.push(t("ui.breaches.hours", { count: hours }));
  out.push(t("ui.breaches.minutes", { count: minutes }));
  return out.join(" ");
}

/** When a deadline runs out, as an instant: the due instant, or the RegisterDeadline's expiry. */
export function dueInstant(deadline: B.Deadline | null | undefined): string | null {
  return deadline && "at" in deadline.due && deadline.due.at ? deadline.due.at : null;
}

/** A breach as the form edits it: every serde default filled in. */
export type FullBreach = Required<Omit<B.Breach, "contact" | "discovery">> & { contact: Required<B.Contact>; discovery: Required<B.Discovery> };

export function completeBreach(w: B.Breach): FullBreach {
  return {
    id: w.id,
    title: w.title,
    description: w.description ?? "",
    happened_from: w.happened_from ?? null,
    happened_to: w.happened_to ?? null,
    became_aware_at: w.became_aware_at,
    discovery: {
      by: w.discovery.by,
      how: w.discovery.how ?? "",
      reported_at: w.discovery.reported_at ?? null,
      acknowledged_at: w.discovery.acknowledged_at ?? null,
      feedback_at: w.discovery.feedback_at ?? null,
    },
    nature: w.nature ?? [],
    main_cause: w.main_cause ?? null,
    cause: w.cause ?? "",
    data_categories: w.data_categories ?? [],
    subject_categories: w.subject_categories ?? [],
    approx_subjects: w.approx_subjects ?? null,
    approx_records: w.approx_records ?? null,
    consequences: w.consequences ?? "",
    risk: w.risk ? { level: w.risk.level, reasons: w.risk.reasons ?? "", assessed_at: w.risk.assessed_at } : null,
    measures_taken: w.measures_taken ?? "",
    measures_proposed: w.measures_proposed ?? "",
    contact: { name: w.contact?.name ?? "", email: w.contact?.email ?? "", phone: w.contact?.phone ?? "" },
    processors: w.processors ?? [],
    activities: w.activities ?? [],
    data_location: w.data_location ?? "",
    relation_to_subjects: w.relation_to_subjects ?? "",
    notices: (w.notices ?? []).map((n) => ({ at: n.at, phase: n.phase, case_number: n.case_number ?? "", new_information: n.new_information ?? "" })),
    late_notice_reasons: w.late_notice_reasons ?? "",
    data_subjects: w.data_subjects ?? null,
    closed_at: w.closed_at ?? null,
  };
}

/** A new open breach with its title, the moment of awareness and its finder (core's `Breach::new`). */
export function newBreach(title: string, becameAwareAt: string, by: B.BreachFinder): B.Breach {
  return { id: "", title, became_aware_at: becameAwareAt, discovery: { by } };
}

export type TimelineItem = { id: string; at: string; detail: string };

/** The timeline read off the facts, in the order of core's `Breach::timeline`: events sorted by
 * time, same-instant events in the order of a breach's life. */
export function timeline(b: FullBreach): TimelineItem[] {
  const out: TimelineItem[] = [];
  if (b.discovery.reported_at) out.push({ id: "reported", at: b.discovery.reported_at, detail: "" });
  out.push({ id: "found", at: b.became_aware_at, detail: "" });
  if (b.risk) out.push({ id: "assessed", at: b.risk.assessed_at, detail: t("vocab.risk_level." + b.risk.level) });
  for (const n of b.notices) {
    out.push(n.phase === "initial" ? { id: "notified", at: n.at, detail: n.case_number ?? "" } : { id: "supplemented", at: n.at, detail: [n.case_number, n.new_information].filter(Boolean).join(": ") });
  }
  if (b.data_subjects?.kind === "told") out.push({ id: "subjects_told", at: b.data_subjects.at, detail: b.data_subjects.how ?? "" });
  if (b.discovery.acknowledged_at) out.push({ id: "reporter_acknowledged", at: b.discovery.acknowledged_at, detail: "" });
  if (b.discovery.feedback_at) out.push({ id: "reporter_answered", at: b.discovery.feedback_at, detail: "" });
  if (b.closed_at) out.push({ id: "closed", at: b.closed_at, detail: "" });
  return out
    .map((e, i) => ({ e, i, ms: Date.parse(e.at) }))
    .sort((x, y) => x.ms - y.ms || x.i - y.i)
    .map((x) => x.e);
}
