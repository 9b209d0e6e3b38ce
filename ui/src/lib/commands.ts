// Stand-in for the tauri-specta `commands` object in ../bindings.ts, written against the
// contract: fallible commands resolve to Result<T, AppError>. api.ts accepts both plain values
// and Results, so either source works.
import { invoke } from "@tauri-apps/api/core";
import type * as T from "./types";

async function r<D>(cmd: string, args?: Record<string, unknown>): Promise<T.Result<D, T.AppError>> {
  try {
    return { status: "ok", data: await invoke<D>(cmd, args) };
  } catch (e) {
    if (e instanceof Error) throw e;
    return { status: "error", error: e as T.AppError };
  }
}

export const commands = {
  appInfo: () => r<T.AppInfo>("app_info"),
  saveSettings: (settings: T.Settings) => r<T.Settings>("save_settings", { settings }),
  forgetRecent: (path: string) => r<T.RecentRegister[]>("forget_recent", { path }),
  pickNewRegister: (suggestedName: string) => r<string | null>("pick_new_register", { suggestedName }),
  pickExistingRegister: () => r<string | null>("pick_existing_register"),
  createRegister: (path: string, passphrase: string, repeat: string, organisation: T.Organisation) =>
    r<T.SessionInfo>("create_register", { path, passphrase, repeat, organisation }),
  openRegister: (path: string, passphrase: string) => r<T.SessionInfo>("open_register", { path, passphrase }),
  lock: () => r<null>("lock"),
  session: () => r<T.SessionInfo | null>("session"),
  organisation: () => r<T.Organisation>("organisation"),
  saveOrganisation: (organisation: T.Organisation) => r<T.Issue[]>("save_organisation", { organisation }),
  checkOrganisation: (organisation: T.Organisation) => r<T.Issue[]>("check_organisation", { organisation }),
  catalogs: () => r<T.Catalogs>("catalogs"),
  saveDataCategory: (item: T.DataCategory) => r<null>("save_data_category", { item }),
  saveSubjectCategory: (item: T.SubjectCategory) => r<null>("save_subject_category", { item }),
  saveRecipient: (item: T.Recipient) => r<null>("save_recipient", { item }),
  deleteCatalogEntry: (kind: T.CatalogKind, id: string) => r<null>("delete_catalog_entry", { kind, id }),
  activities: () => r<T.ActivitySummary[]>("activities"),
  activity: (id: string) => r<T.Activity>("activity", { id }),
  checkActivity: (activity: T.Activity) => r<T.Issue[]>("check_activity", { activity }),
  saveActivity: (activity: T.Activity) => r<T.SavedActivity>("save_activity", { activity }),
  deleteActivity: (id: string) => r<null>("delete_activity", { id }),
  overview: () => r<T.Overview>("overview"),
  changeLog: (limit: number) => r<T.Entry[]>("change_log", { limit }),
  verify: () => r<T.VerifyReport>("verify"),
  acceptCurrentHead: () => r<null>("accept_current_head"),
  changePassphrase: (current: string, newPassphrase: string, repeat: string) =>
    r<null>("change_passphrase", { current, new: newPassphrase, repeat }),
  backup: () => r<string | null>("backup"),
};
