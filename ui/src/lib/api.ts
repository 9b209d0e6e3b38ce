// The one door to the backend. Every call resolves to the data or throws an ApiError carrying
// the backend's AppError; a `locked` error (the backend locked itself) sends the app to the
// unlock screen wherever it happens.
import { commands } from "../bindings";
import type { AppError } from "./types";

export class ApiError extends Error {
  constructor(public readonly app: AppError) {
    super(app.code);
  }
}

let onLocked: () => void = () => {};
export function setLockedHandler(handler: () => void) {
  onLocked = handler;
}

type Cmds = typeof commands;
type Data<F> = F extends (...args: never[]) => Promise<infer R> ? (R extends { status: "ok"; data: infer D } ? D : R extends { status: "error" } ? never : R) : never;

function toAppError(e: unknown): AppError {
  if (e && typeof e === "object" && "code" in e && typeof (e as AppError).code === "string") {
    const a = e as Partial<AppError>;
    return { code: a.code as string, details: a.details ?? {}, issues: a.issues ?? [] };
  }
  return { code: "io", details: { detail: String(e) }, issues: [] };
}

export async function call<K extends keyof Cmds>(name: K, ...args: Parameters<Cmds[K]>): Promise<Data<Cmds[K]>> {
  let result: unknown;
  try {
    result = await (commands[name] as (...a: unknown[]) => Promise<unknown>)(...args);
  } catch (e) {
    const err = toAppError(e);
    if (err.code === "locked") onLocked();
    throw new ApiError(err);
  }
  if (result && typeof result === "object" && "status" in result) {
    const r = result as { status: string; data?: unknown; error?: unknown };
    if (r.status === "error") {
      const err = toAppError(r.error);
      if (err.code === "locked") onLocked();
      throw new ApiError(err);
    }
    if (r.status === "ok") return r.data as Data<Cmds[K]>;
  }
  return result as Data<Cmds[K]>;
}

export function appError(e: unknown): AppError {
  return e instanceof ApiError ? e.app : toAppError(e);
}
