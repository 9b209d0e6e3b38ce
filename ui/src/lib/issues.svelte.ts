// Validation issues at their fields. Issue paths are JSON pointers (relative to the value
// checked); every field that can carry an issue renders an IssueSlot for its own pointer, and
// each issue goes to the slot with the longest pointer that is a prefix of its path (an issue
// at `/data_flows/3/data_category` lands in the matrix's `/data_flows` slot). Issues with no
// slot at all go to the root slot `""`.
import { getContext, onDestroy, setContext, tick, untrack } from "svelte";
import { errorText, t } from "./i18n.svelte";
import type { AppError, Issue } from "./types";

/** What an editor says under its head after a save. */
export type SaveNotice = { kind: "ok" | "warning" | "error"; text: string };

/** The DOM id of the field (or group) a JSON pointer names. */
export function fid(path: string): string {
  return "f" + path.replaceAll("/", "-").replaceAll("~", "_");
}

export function isPrefix(prefix: string, path: string): boolean {
  return prefix === "" || path === prefix || path.startsWith(prefix + "/");
}

export class IssueBoard {
  issues = $state<Issue[]>([]);
  slots = $state<Record<string, number>>({});

  /** After a save: the warnings that did not block it go on the board; the notice says so. */
  saved(warnings: Issue[]): SaveNotice {
    this.issues = warnings;
    return warnings.length
      ? { kind: "warning", text: t("ui.editor.saved_with_warnings", { count: warnings.length }) }
      : { kind: "ok", text: t("ui.editor.saved") };
  }

  /** After a refused save: core's issues go to their fields and the first error takes the
   * focus; any other error is said in words. */
  async refused(error: AppError): Promise<SaveNotice> {
    if (error.code !== "invalid") return { kind: "error", text: errorText(error) };
    this.issues = error.issues;
    const errors = error.issues.filter((i) => i.severity === "error");
    await tick();
    if (errors[0]) this.focus(errors[0].path);
    return { kind: "error", text: t("ui.editor.not_saved", { count: errors.length }) };
  }

  assigned = $derived.by(() => {
    const map = new Map<string, Issue[]>();
    const paths = Object.keys(this.slots).filter((p) => this.slots[p] > 0);
    for (const issue of this.issues) {
      const slot = slotFor(issue.path, paths);
      const list = map.get(slot) ?? [];
      list.push(issue);
      map.set(slot, list);
    }
    return map;
  });

  errors = $derived(this.issues.filter((i) => i.severity === "error").length);
  warnings = $derived(this.issues.filter((i) => i.severity === "warning").length);

  register(path: string) {
    untrack(() => (this.slots[path] = (this.slots[path] ?? 0) + 1));
  }
  unregister(path: string) {
    untrack(() => (this.slots[path] = (this.slots[path] ?? 1) - 1));
  }
  at(path: string): Issue[] {
    return this.assigned.get(path) ?? [];
  }
  /** Worst severity of the issues at or under `path`. */
  severityUnder(path: string): "error" | "warning" | null {
    let worst: "error" | "warning" | null = null;
    for (const i of this.issues) {
      if (isPrefix(path, i.path)) {
        if (i.severity === "error") return "error";
        worst = "warning";
      }
    }
    return worst;
  }
  /** The slot path an issue is shown at. */
  slotOf(path: string): string {
    return slotFor(path, Object.keys(this.slots).filter((p) => this.slots[p] > 0));
  }

  /** Scrolls to and focuses the field an issue at `path` is shown at (or its group's first
   *  control). */
  focus(path: string) {
    let el = document.getElementById(fid(this.slotOf(path))) ?? document.getElementById(fid(path));
    if (!el) return;
    if (!(el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement)) {
      el = el.querySelector<HTMLElement>("input, select, textarea, button") ?? el;
    }
    el.scrollIntoView({ block: "center" });
    el.focus({ preventScroll: true });
  }
}

export function slotFor(path: string, slots: string[]): string {
  let best = "";
  for (const s of slots) if (isPrefix(s, path) && s.length > best.length) best = s;
  return best;
}

const KEY = Symbol("issues");
export function provideIssues(board: IssueBoard) {
  setContext(KEY, board);
}
export function useIssues(): IssueBoard | undefined {
  return getContext<IssueBoard | undefined>(KEY);
}

/** Live validation for an editor: a moment after each edit that leaves the record different
 *  from what was saved, core checks it (`check`) and its issues replace the board's. Call while
 *  the component is set up. `cancel` drops a pending or running check (before a save, whose
 *  answer then owns the board). */
export function useLiveCheck(board: IssueBoard, snapshot: () => string, saved: () => string, check: (text: string) => Promise<Issue[]>, delay = 350) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let generation = 0;
  $effect(() => {
    const text = snapshot();
    if (!text || text === saved()) return;
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const mine = ++generation;
      try {
        const issues = await check(text);
        if (mine === generation) board.issues = issues;
      } catch {
        /* a `locked` error is handled globally; others leave the last issues standing */
      }
    }, delay);
  });
  onDestroy(() => clearTimeout(timer));
  return {
    cancel() {
      clearTimeout(timer);
      generation++;
    },
  };
}


/** A record editor's keys: Ctrl/Cmd+S saves, Esc closes (unless a dialog has it). */
export function editorKeys(save: () => unknown, close: () => void) {
  return (e: KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "s") {
      e.preventDefault();
      void save();
    } else if (e.key === "Escape" && !e.defaultPrevented && !(e.target as Element | null)?.closest?.("dialog") && !document.querySelector("dialog[open]")) {
      e.preventDefault();
      close();
    }
  };
}
