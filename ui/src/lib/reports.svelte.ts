// Exporting a report as PDF: one export at a time, whichever page starts it (the reports page
// or the breach form). The backend asks where to save, renders, writes and opens the file
// (`export_report`), announcing each stage on a channel; the state lives here rather than in a
// page so that whoever leaves and comes back while it runs sees its progress, and cannot start
// a second one. Each place an export can start from is a "card", named by a string; its
// progress and result are shown by `ReportOutcome` for that card.
import { tick } from "svelte";
import { Channel } from "@tauri-apps/api/core";
import { appError, call } from "./api";
import type { AppError, Language, ReportRequest, ReportStage, SavedReport } from "../bindings";

type Running = { id: number; card: string; open: boolean; stage: ReportStage | null; button: HTMLElement | null };
type Outcome = { card: string; saved: SavedReport; askedOpen: boolean } | { card: string; error: AppError };

export const exporting = $state<{ running: Running | null; outcome: Outcome | null }>({ running: null, outcome: null });
let lastId = 0;

/** Forgets the result of an earlier export (a page calls this when it is opened), unless an
 * export is still running: its result belongs to whoever waits for it. */
export function forgetOutcome() {
  if (!exporting.running) exporting.outcome = null;
}

/** Brings a card's progress or result into view: it appears below the card's button. */
async function reveal(card: string) {
  await tick();
  document.querySelector(`[data-report="${CSS.escape(card)}"] .outcome`)?.scrollIntoView({ block: "nearest" });
}

/** Exports `report` from `card`; `button` gets the focus back when it is done. Does nothing
 * while another export runs. */
export async function exportReport(card: string, report: ReportRequest, language: Language, open: boolean, button: HTMLElement | null) {
  if (exporting.running) return;
  const id = ++lastId;
  exporting.outcome = null;
  exporting.running = { id, card, open, stage: null, button };
  void reveal(card);
  const progress = new Channel<ReportStage>();
  progress.onmessage = (stage) => {
    if (exporting.running?.id === id) exporting.running.stage = stage;
  };
  try {
    const saved = await call("exportReport", report, language, open, progress);
    if (saved) exporting.outcome = { card, saved, askedOpen: open };
  } catch (err) {
    exporting.outcome = { card, error: appError(err) };
  } finally {
    const held = exporting.running?.id === id ? exporting.running.button : null;
    if (exporting.running?.id === id) exporting.running = null;
    // A disabled button loses the focus; give it back so the keyboard stays where it was.
    await tick();
    if (held?.isConnected && (document.activeElement === null || document.activeElement === document.body)) held.focus({ preventScroll: true });
    await reveal(card);
  }
}
