// Application state. Nothing secret lives here: passphrases stay in the inputs of the screen
// that asks for them and are cleared as soon as they are sent.
import { call, setLockedHandler } from "./api";
import { setLanguage } from "./i18n.svelte";
import { dropLeave, guarded, type LeaveReason } from "./guard.svelte";
import type { AppInfo, Language, RecentRegister, SessionInfo, Settings } from "./types";

/** Settings with the serde defaults filled in (the wire type leaves them optional). */
export type FullSettings = { language: Language | null; auto_lock_minutes: number };
export function fullSettings(s: Settings): FullSettings {
  return { language: s.language ?? null, auto_lock_minutes: s.auto_lock_minutes ?? 10 };
}

export type Page = "overview" | "activities" | "activity" | "breaches" | "breach" | "processors" | "processor" | "recordings" | "organisation" | "catalogs" | "reports" | "safety" | "settings";
export type Screen = "loading" | "start" | "unlock" | "main";

export const app = $state({
  screen: "loading" as Screen,
  version: "",
  systemLanguage: "da" as Language,
  settings: { language: null, auto_lock_minutes: 10 } as FullSettings,
  recent: [] as RecentRegister[],
  session: null as SessionInfo | null,
  /** The register the unlock screen asks for. */
  unlockPath: null as string | null,
  /** Why the unlock screen is shown (after auto-lock, say). */
  unlockReason: null as "idle" | "locked" | null,
  page: "overview" as Page,
  /** The record the editor page shows: the activity's id, or the breach's on page "breach", or the processor's on page "processor". */
  activityId: null as string | null,
  /** A JSON pointer to focus when the activity editor opens. */
  focusPath: null as string | null,
  /** Increases on every navigation, so screens reload even when the page stays the same. */
  visit: 0,
  notice: null as { kind: "ok" | "error"; text: string } | null,
});

/** What pages keep about the open register outside their components, to be forgotten when it
 * closes or another opens. */
const registerChange: (() => void)[] = [];
export function onRegisterChange(forget: () => void) {
  registerChange.push(forget);
}

export function applyLanguage() {
  setLanguage(app.settings.language ?? app.systemLanguage);
}

export async function boot() {
  setLockedHandler(() => toUnlock("locked"));
  const info: AppInfo = await call("appInfo");
  performance.mark("ropa:app-info");
  app.version = info.version;
  app.systemLanguage = info.system_language;
  app.settings = fullSettings(info.settings);
  app.recent = info.recent;
  applyLanguage();
  if (info.unlocked) enter(info.unlocked);
  else app.screen = "start";
}

export function enter(session: SessionInfo) {
  for (const forget of registerChange) forget();
  app.session = session;
  app.unlockPath = session.path;
  app.unlockReason = null;
  app.page = "overview";
  app.activityId = null;
  app.focusPath = null;
  app.visit++;
  app.screen = "main";
}

/** Goes to a page; unsaved changes on the page being left are asked about first. */
export function navigate(page: Page, activityId: string | null = null, focusPath: string | null = null, reason: LeaveReason = "leave") {
  guarded(() => navigateNow(page, activityId, focusPath), reason);
}

/** Goes to a page without asking (after the record being edited was deleted, say). */
export function navigateNow(page: Page, activityId: string | null = null, focusPath: string | null = null) {
  app.page = page;
  app.activityId = activityId;
  app.focusPath = focusPath;
  app.notice = null;
  app.visit++;
}

/** Forgets everything about the open register and shows the unlock screen. */
export function toUnlock(reason: "idle" | "locked" | null) {
  if (app.screen !== "main" && app.screen !== "unlock") return;
  dropLeave();
  for (const forget of registerChange) forget();
  app.unlockPath = app.session?.path ?? app.unlockPath;
  app.session = null;
  app.page = "overview";
  app.activityId = null;
  app.focusPath = null;
  app.notice = null;
  app.unlockReason = reason;
  app.screen = "unlock";
}

/** The lock button and Ctrl+L: unsaved changes are asked about first. */
export function requestLock() {
  guarded(() => void lockNow(), "lock");
}

/** Locks at once. Auto-lock comes here directly: security first, unsaved changes are lost. */
export async function lockNow(reason: "idle" | null = null) {
  dropLeave();
  try {
    await call("lock");
  } finally {
    toUnlock(reason);
  }
}

export async function refreshRecent() {
  const info = await call("appInfo");
  app.recent = info.recent;
}

export function toStart() {
  for (const forget of registerChange) forget();
  app.session = null;
  app.unlockReason = null;
  app.screen = "start";
  void refreshRecent().catch(() => {});
}
