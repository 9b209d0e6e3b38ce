// The message catalog (assets/i18n, shared with the CLI and the reports) and the helpers that
// render it: `t` with `{param}` placeholders and `.one` singulars, falling back to English and
// then to the key; `issueText` renders an Issue exactly like ropa-core's `i18n::issue_text`.
import da from "../../../assets/i18n/da.json";
import nb from "../../../assets/i18n/nb.json";
import en from "../../../assets/i18n/en.json";
import type { AppError, Issue, Language } from "./types";

type Messages = Record<string, string>;

// UI keys still being written live in src/i18n/pending-<lang>.json until they are merged into
// the shared catalog; the glob is empty once they are.
const pending = import.meta.glob<Messages>("../i18n/pending-*.json", { eager: true, import: "default" });
function withPending(lang: Language, base: Messages): Messages {
  const extra = pending[`../i18n/pending-${lang}.json`];
  return extra ? { ...base, ...extra } : base;
}

const catalogs: Record<Language, Messages> = {
  da: withPending("da", da as Messages),
  nb: withPending("nb", nb as Messages),
  en: withPending("en", en as Messages),
};

export const LANGUAGES: Language[] = ["da", "nb", "en"];
const LOCALES: Record<Language, string> = { da: "da-DK", nb: "nb-NO", en: "en-GB" };

export const i18n = $state({ lang: "da" as Language });

export function setLanguage(lang: Language) {
  i18n.lang = lang;
  document.documentElement.lang = lang;
}

export function locale(): string {
  return LOCALES[i18n.lang];
}

export type Params = Partial<Record<string, string | number>>;

function fill(template: string, params: Params): string {
  let out = template;
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) out = out.replaceAll(`{${name}}`, String(value));
  }
  return out;
}

export function has(key: string): boolean {
  return key in catalogs[i18n.lang] || key in catalogs.en;
}

export function t(key: string, params: Params = {}): string {
  const messages = catalogs[i18n.lang];
  const singular = `${key}.one`;
  if (params.count !== undefined && String(params.count) === "1" && singular in messages) key = singular;
  const template = messages[key] ?? catalogs.en[key] ?? key;
  return fill(template, params);
}

/** A calendar date (YYYY-MM-DD) in the catalog's `format.date` (strftime subset). */
export function catalogDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const pattern = catalogs[i18n.lang]["format.date"] ?? "%Y-%m-%d";
  return pattern.replaceAll("%Y", m[1]).replaceAll("%m", m[2]).replaceAll("%d", m[3]);
}

/** A calendar date for display, via Intl in the user's language. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeZone: "UTC" }).format(d);
}

/** An instant (RFC 3339) in the user's language and local time zone. */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short" }).format(d);
}

export function formatNumber(n: number): string {
  return new Intl.NumberFormat(locale()).format(n);
}

/** A country's name from its ISO 3166-1 alpha-2 code. */
export function countryName(code: string | null | undefined): string {
  if (!code) return "";
  try {
    return new Intl.DisplayNames([locale()], { type: "region" }).of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** Renders `issue.<code>`: ids in words (article, provision) and dates in `format.date`. */
export function issueText(issue: Pick<Issue, "code" | "params">): string {
  const params: Params = { ...(issue.params ?? {}) };
  const messages = catalogs[i18n.lang];
  for (const [name, vocab] of [["article", "vocab.article"], ["provision", "vocab.provision"], ["purpose", "vocab.recording_purpose"]] as const) {
    const id = issue.params?.[name];
    if (id !== undefined) {
      const words = messages[`${vocab}.${id}`];
      if (words !== undefined) params[name] = words;
    }
  }
  for (const name of ["date", "as_of"]) {
    const date = issue.params?.[name];
    if (date !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(date)) params[name] = catalogDate(date);
  }
  return t(`issue.${issue.code}`, params);
}

/** Renders `error.<code>` with its details; a `invalid` error lists no issues here (they are
 * shown at their fields). */
export function errorText(error: AppError): string {
  const params: Params = { ...error.details };
  if (params.entity !== undefined) params.entity = t(`entity.${params.entity}`);
  return t(`error.${error.code}`, params);
}
