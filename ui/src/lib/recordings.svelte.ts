// Recorded calls: which view of the recordings page is shown and which calls its list selects.
// Kept here rather than in the page so that the overview's links ("due for deletion",
// "flagged") and a call row's actions can open the page on a filter or a form.
import { app, navigate, onRegisterChange } from "./app.svelte";
import { zoneOf } from "./breaches";
import { locale, t } from "./i18n.svelte";
import type { CallListQuery, CallRowView } from "../bindings";

export type RecordingsTab = "calls" | "policies" | "import" | "sweep" | "requests";
export const TABS: RecordingsTab[] = ["calls", "policies", "import", "sweep", "requests"];

export const recordingsUi = $state({
  tab: "calls" as RecordingsTab,
  query: { search: "", status: "all", due: false, flagged: false } as CallListQuery,
  /** The phone number or reference the requests form starts with. */
  subject: "",
});

/** Forgets the view, the list's query and the person of the requests view: a register opened
 * (or the same one unlocked again) starts afresh, showing no search or person from before. */
function resetRecordingsUi() {
  recordingsUi.tab = "calls";
  recordingsUi.query = { search: "", status: "all", due: false, flagged: false };
  recordingsUi.subject = "";
}
onRegisterChange(resetRecordingsUi);

/** Opens the recordings page on its list with `filter` (the overview's links). */
export function openCalls(filter: Partial<CallListQuery> = {}) {
  recordingsUi.query = { search: "", status: "all", due: false, flagged: false, ...filter };
  recordingsUi.tab = "calls";
  navigate("recordings");
}

/** Opens the requests view for a person, by phone number or customer reference. */
export function openRequests(subject: string) {
  recordingsUi.subject = subject;
  recordingsUi.tab = "requests";
  navigate("recordings");
}

/** The organisation's time zone: calls are shown on its clock. */
export function orgZone(): string {
  return zoneOf(app.session?.organisation.country);
}

/** Short day and time formatters by language, zone and style: a list formats many rows, and a
 * formatter costs far more to make than to use. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(style: "day" | "time", zone: string): Intl.DateTimeFormat {
  const lang = locale();
  const key = `${lang}|${zone}|${style}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang, style === "day" ? { dateStyle: "short", timeZone: zone } : { timeStyle: "short", timeZone: zone });
    formatters.set(key, f);
  }
  return f;
}

/** A call's start on the organisation's clock, in the user's language: day and time. */
export function startParts(iso: string, zone = orgZone()): [string, string] {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return [iso, ""];
  return [formatter("day", zone).format(d), formatter("time", zone).format(d)];
}

/** A call's start on one line: day and time with a space (engines differ on "," between). */
export function formatStart(iso: string, zone = orgZone()): string {
  return startParts(iso, zone).join(" ").trim();
}

/** A calendar day (YYYY-MM-DD) in short numeric form, as the list's other dates. */
export function formatDay(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return formatter("day", "UTC").format(new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])));
}

/** A phone number in E.164 grouped as people read it: +45 33 12 34 56, +47 412 34 567. */
export function formatPhone(e164: string): string {
  const m = /^\+(45|47)(\d{8})$/.exec(e164);
  if (!m) return e164;
  const n = m[2];
  return m[1] === "47" && /^[49]/.test(n) ? `+47 ${n.slice(0, 3)} ${n.slice(3, 5)} ${n.slice(5)}` : `+${m[1]} ${n.slice(0, 2)} ${n.slice(2, 4)} ${n.slice(4, 6)} ${n.slice(6)}`;
}

export function consentText(c: CallRowView["consent_method"]): string {
  return c ? t(`recordings.consent.${c}`) : "–";
}

/** Rows per page fetched from the backend. */
export const PAGE = 100;
/** Pages kept in memory at most. */
export const CACHED_PAGES = 8;
