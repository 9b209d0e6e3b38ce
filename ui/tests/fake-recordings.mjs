// The recorded-calls commands of the fake backend (src-tauri/src/commands/recordings.rs): a
// small subset of ropa-core's rules (the policy checks, the due day, the consent flag), enough
// for the recordings pages to meet real answers. Test code, not a rule source.
import { AppError, TODAY } from "./fake-backend.mjs";

const clone = (v) => structuredClone(v);

/** The recordings part of a register, created on first use. */
export function recordingsOf(reg) {
  reg.recordings ??= { policies: [], calls: [], synthetic: null, audioFolder: null, receipts: [] };
  return reg.recordings;
}

/** Call number `i` of a synthetic list of `total` (one a minute from 1 January 2025). */
export function syntheticCall(i) {
  const start = new Date(Date.UTC(2025, 0, 1, 8, 0) + i * 60_000).toISOString().replace(".000Z", "Z");
  const phone = `+4533${String(100000 + (i % 900000)).padStart(6, "0")}`;
  return {
    call_id: `S-${String(i + 1).padStart(7, "0")}`, start, direction: i % 3 ? "inbound" : "outbound", phone,
    customer_ref: i % 2 ? `K-${i % 1000}` : null, policy_id: i % 3 ? "kundeservice" : "salg",
    consent_method: i % 3 ? "keypress" : null, delete_by: "2026-09-01", deleted: null, flag: null, has_recording: true,
  };
}

const PHONE = /^\+?[\d\s]{8,}$/;
function normalisePhone(text) {
  const digits = text.replace(/\s/g, "");
  if (!PHONE.test(text.trim())) return null;
  if (digits.startsWith("+")) return digits;
  if (digits.startsWith("00")) return "+" + digits.slice(2);
  return digits.length === 8 ? "+45" + digits : null;
}

function matches(c, q) {
  if (q.search) {
    const phone = normalisePhone(q.search);
    if (!(c.customer_ref === q.search || (phone && c.phone === phone))) return false;
  }
  if (q.status === "kept" && c.deleted) return false;
  if (q.status === "deleted" && !c.deleted) return false;
  if (q.due && (c.deleted || c.delete_by > TODAY)) return false;
  if (q.flagged && (c.deleted || !c.flag)) return false;
  return true;
}

function checkPolicy(reg, r, p) {
  const out = [];
  const push = (path, code, params) => out.push({ path, code, severity: "error", ...(params ? { params } : {}) });
  if (!p.id.trim()) push("/id", "recording_policy.id_missing");
  else if (r.policies.some((x) => x.id === p.id.trim())) push("/id", "recording_policy.id_duplicate", { id: p.id.trim() });
  if (!p.name.trim()) push("/name", "recording_policy.name_missing");
  if (p.retention_months === 0) push("/retention_months", "recording_policy.months_zero");
  else if (p.retention_months > 120) push("/retention_months", "recording_policy.months_too_long", { max: "120" });
  if ((p.purpose === "quality" || p.purpose === "training") && p.basis !== "consent") push("/basis", "recording_policy.consent_needed", { purpose: p.purpose });
  if (p.processor_id && !(reg.processors ?? []).some((x) => x.id === p.processor_id)) push("/processor_id", "recording_policy.unknown_processor", { id: p.processor_id });
  return out;
}

const REQUIRED = ["call_id", "start", "direction", "phone"];

function channelOf(value) {
  const match = /^__CHANNEL__:(\d+)$/.exec(String(value));
  if (!match) throw new AppError("io", { detail: `invalid channel value \`${value}\`` });
  return Number(match[1]);
}

export async function recordingsCommand(backend, cmd, a) {
  const reg = backend.reg;
  const r = recordingsOf(reg);
  const send = async (id, index, message) => backend.channels?.send(id, { message, index }).catch(() => {});
  const end = async (id, index) => backend.channels?.send(id, { end: true, index }).catch(() => {});
  const nextDialog = async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    return backend.dialogAnswers.shift() ?? null;
  };
  switch (cmd) {
    case "call_page": {
      backend.pageRequests.push({ offset: a.offset, limit: a.limit, query: clone(a.query) });
      if (backend.pageDelay) await new Promise((resolve) => setTimeout(resolve, backend.pageDelay));
      if (r.synthetic) {
        const total = a.query.search || a.query.status === "deleted" || a.query.due || a.query.flagged ? 0 : r.synthetic.total;
        const calls = [];
        for (let i = a.offset; i < Math.min(total, a.offset + a.limit); i++) calls.push(syntheticCall(i));
        return { total, offset: a.offset, calls };
      }
      const list = r.calls.filter((c) => matches(c, a.query)).sort((x, y) => x.start.localeCompare(y.start) || x.call_id.localeCompare(y.call_id));
      return { total: list.length, offset: a.offset, calls: clone(list.slice(a.offset, a.offset + Math.min(a.limit, 500))) };
    }
    case "recordings_status": {
      const kept = r.calls.filter((c) => !c.deleted);
      return {
        today: TODAY,
        calls: r.synthetic ? r.synthetic.total : r.calls.length,
        due: kept.filter((c) => c.delete_by <= TODAY).length,
        flagged: kept.filter((c) => c.flag).length,
        policies: r.policies.length,
        audio_folder: r.audioFolder,
      };
    }
    case "recording_policies":
      return clone(r.policies);
    case "check_recording_policy":
      return checkPolicy(reg, r, a.policy);
    case "add_recording_policy": {
      const issues = checkPolicy(reg, r, a.policy);
      if (issues.length) throw new AppError("invalid", {}, issues);
      r.policies.push({ ...clone(a.policy), id: a.policy.id.trim(), name: a.policy.name.trim() });
      backend.log(reg, "recording-policy", a.policy.id, "create");
      return [];
    }
    case "pick_call_list": {
      const path = await nextDialog();
      if (!path) return null;
      const file = backend.callFiles[path];
      if (!file) throw new AppError("read_file", { path, detail: "No such file or directory (os error 2)" });
      return { path, file_name: path.split("/").pop(), columns: file.columns, encoding: file.encoding ?? "utf-8", delimiter: file.delimiter ?? ";" };
    }
    case "preview_calls":
    case "import_calls": {
      const file = backend.callFiles[a.path];
      if (!file) throw new AppError("not_allowed");
      const columns = a.mapping.columns;
      const missing = REQUIRED.find((f) => !(columns[f] ?? "").trim());
      if (missing) throw new AppError("calls.field_unmapped", { field: missing });
      for (const [field, column] of Object.entries(columns)) {
        if (column.trim() && !file.columns.includes(column.trim())) throw new AppError("calls.column_missing", { field, column });
      }
      if (cmd === "preview_calls") return clone(file.rows.slice(0, 10));
      backend.imports.push({ path: a.path, mapping: clone(a.mapping), default_policy: a.defaultPolicy, strict: a.strict, language: a.language });
      const id = channelOf(a.progress);
      const rejected = file.rows.filter((row) => row.error).map((row) => row.error);
      if (a.strict && rejected.length) {
        await end(id, 0);
        throw new AppError("recordings.strict", { reason: `Linje ${rejected[0].line}: ${rejected[0].field} er ikke et gyldigt telefonnummer.` });
      }
      let imported = 0;
      let already = 0;
      let index = 0;
      for (const row of file.rows) {
        if (!row.call) continue;
        if (r.calls.some((c) => c.call_id === row.call.call_id)) {
          already++;
          continue;
        }
        const c = row.call;
        r.calls.push({ call_id: c.call_id, start: c.start, direction: c.direction, phone: c.phone, customer_ref: c.customer_ref, policy_id: c.policy ?? a.defaultPolicy, consent_method: c.consent_method, delete_by: "2027-06-01", deleted: null, flag: c.consent_method === "keypress" || c.consent_method === "oral" ? null : "recordings.flag.not_active", has_recording: !!c.recording_ref });
        imported++;
      }
      const total = file.total ?? file.rows.length;
      // A large file ends with the search indices being built, as the real import does.
      const steps = [Math.floor(total / 2), total].map((read) => ({ read, indexing: false }));
      if (backend.importIndexes) steps.push({ read: total, indexing: true });
      for (const { read, indexing } of steps) {
        await send(id, index++, { read, imported, already_there: already, rejected: rejected.length, indexing });
        if (backend.importDelay) await new Promise((resolve) => setTimeout(resolve, backend.importDelay));
      }
      await end(id, index);
      r.lastRejected = rejected.length > 0;
      return { imported, already_there: already, repeated_in_file: 0, rejected: rejected.length, rejected_rows: clone(rejected), rejected_file: rejected.length > 0 };
    }
    case "load_mapping_profile": {
      const path = await nextDialog();
      if (!path) return null;
      const profile = backend.profiles[path];
      if (!profile) throw new AppError("calls.profile", { path, detail: "expected `=`" });
      return clone(profile);
    }
    case "save_mapping_profile": {
      const missing = REQUIRED.find((f) => !(a.mapping.columns[f] ?? "").trim());
      if (missing) throw new AppError("calls.field_unmapped", { field: missing });
      const path = await nextDialog();
      if (!path) return null;
      const full = path.endsWith(".toml") ? path : path + ".toml";
      backend.profiles[full] = clone(a.mapping);
      return full;
    }
    case "save_rejected_calls": {
      const path = await nextDialog();
      if (!path) return null;
      if (!r.lastRejected) throw new AppError("recordings.no_rejected");
      const full = path.endsWith(".csv") ? path : path + ".csv";
      backend.savedFiles.push(full);
      return full;
    }
    case "choose_audio_folder": {
      const path = await nextDialog();
      if (!path) return null;
      r.audioFolder = path;
      return path;
    }
    case "clear_audio_folder":
      r.audioFolder = null;
      return null;
    case "sweep_recordings": {
      const id = channelOf(a.progress);
      const due = r.calls.filter((c) => !c.deleted && c.delete_by <= TODAY);
      let index = 0;
      for (const c of due) {
        c.deleted = { at: `${TODAY}T09:00:00Z`, reason: "retention_expired" };
        c.phone = "";
        c.customer_ref = null;
        if (backend.sweepDelay) await new Promise((resolve) => setTimeout(resolve, backend.sweepDelay));
      }
      await send(id, index++, due.length);
      await end(id, index);
      backend.sweeps++;
      const withAudio = due.filter((c) => c.has_recording).length;
      return { marked: due.length, audio_deleted: r.audioFolder ? withAudio : 0, audio_missing: 0, audio_external: r.audioFolder ? 0 : withAudio, failed: backend.sweepFailures ?? [] };
    }
    case "withdraw_consent": {
      const f = a.form;
      const phone = normalisePhone(f.subject);
      const mine = r.calls.filter((c) => !c.deleted && (c.customer_ref === f.subject.trim() || (phone && c.phone === phone)));
      if (!mine.length) throw new AppError("recordings.no_calls");
      const onConsent = (c) => (r.policies.find((p) => p.id === c.policy_id)?.basis ?? "consent") === "consent";
      const gone = mine.filter((c) => f.all_calls || onConsent(c));
      const kept = mine.length - gone.length;
      backend.withdrawals.push(clone(f));
      if (!gone.length) return { receipt: null, deleted: 0, audio_deleted: 0, audio_external: 0, kept_on_legitimate_interest: kept, failed: [] };
      for (const c of gone) {
        c.deleted = { at: `${TODAY}T09:00:00Z`, reason: f.all_calls ? "request" : "consent_withdrawn" };
        c.phone = "";
        c.customer_ref = null;
      }
      const id = `2026-${String(r.receipts.length + 1).padStart(4, "0")}`;
      r.receipts.push(id);
      return { receipt: id, deleted: gone.length, audio_deleted: 0, audio_external: gone.filter((c) => c.has_recording).length, kept_on_legitimate_interest: kept, failed: [] };
    }
    case "deletion_receipts":
      return [...r.receipts];
    case "save_deletion_receipt": {
      if (!r.receipts.includes(a.id)) throw new AppError("record_not_found", { entity: "deletion-receipt", id: a.id });
      const path = await nextDialog();
      if (!path) return null;
      const full = path.endsWith(".pdf") ? path : path + ".pdf";
      backend.receiptsSaved.push({ id: a.id, path: full, language: a.language, open: a.open });
      return { path: full, pages: 1, opened: a.open };
    }
    case "access_request": {
      const phone = normalisePhone(a.subject);
      const mine = r.calls.filter((c) => !c.deleted && (c.customer_ref === a.subject.trim() || (phone && c.phone === phone)));
      if (!mine.length) throw new AppError("recordings.no_calls");
      const dir = await nextDialog();
      if (!dir) return null;
      if (backend.nonEmptyFolders.includes(dir)) throw new AppError("out_dir_not_empty", { path: dir });
      const copied = r.audioFolder ? mine.filter((c) => c.has_recording).length : 0;
      return { folder: dir, pdf: `${dir}/indsigt-optagede-opkald.pdf`, calls: mine.length, copied, external: mine.filter((c) => c.has_recording).length - copied, opened: true };
    }
    default:
      throw new AppError("io", { detail: `unknown command ${cmd}` });
  }
}

export const RECORDINGS_COMMANDS = [
  "call_page", "recordings_status", "recording_policies", "check_recording_policy", "add_recording_policy",
  "pick_call_list", "preview_calls", "load_mapping_profile", "save_mapping_profile", "import_calls",
  "save_rejected_calls", "choose_audio_folder", "clear_audio_folder", "sweep_recordings", "withdraw_consent",
  "deletion_receipts", "save_deletion_receipt", "access_request",
];
