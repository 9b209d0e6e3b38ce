// Leaving an editor with unsaved changes. A page with an editor registers a guard while it is
// mounted (`useLeaveGuard`); navigation and locking go through `guarded`, which runs the step
// at once when nothing is unsaved and otherwise asks: save, discard or keep editing. The
// question is shown by `LeaveDialog` in the shell. Auto-lock does not ask: it drops the
// question (`dropLeave`) and the changes with it.
import { onDestroy } from "svelte";

export type LeaveGuard = {
  /** Whether leaving now would lose changes. */
  dirty: () => boolean;
  /** Saves the changes; true when saved, false when refused (the page shows why). */
  save?: () => Promise<boolean>;
};

/** What the step is: leaving the page, closing the editor, or locking the register. */
export type LeaveReason = "leave" | "close" | "lock";

const guards = new Set<LeaveGuard>();
let pending: { guard: LeaveGuard; proceed: () => void } | null = null;

/** The open question, for the dialog. */
export const leave = $state({ open: false, reason: "leave" as LeaveReason, canSave: false });

/** Registers a guard for as long as the calling component is mounted. */
export function useLeaveGuard(guard: LeaveGuard) {
  guards.add(guard);
  onDestroy(() => guards.delete(guard));
}

/** Runs `proceed` now, or after the person has chosen to save or discard unsaved changes. */
export function guarded(proceed: () => void, reason: LeaveReason = "leave") {
  if (pending) return; // one question at a time
  const guard = [...guards].find((g) => g.dirty());
  if (!guard) {
    proceed();
    return;
  }
  pending = { guard, proceed };
  leave.reason = reason;
  leave.canSave = guard.save !== undefined;
  leave.open = true;
}

function take() {
  const p = pending;
  pending = null;
  leave.open = false;
  return p;
}

/** Keep editing: nothing happens, everything stays as typed. */
export function stay() {
  take();
}

/** Go on and lose the changes. */
export function discard() {
  take()?.proceed();
}

/** Save, and go on only if the save went through; a refused save stays on the page. */
export async function saveAndProceed() {
  const p = take();
  if (!p?.guard.save) return;
  if (await p.guard.save()) p.proceed();
}

/** Forgets an open question without going on (the register was locked meanwhile). */
export function dropLeave() {
  pending = null;
  leave.open = false;
}
