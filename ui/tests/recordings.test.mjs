// Recorded calls: the list a page at a time (a million calls, only the pages in view asked
// for), search and filters, the overview's links, the policy editor, the import wizard, the
// sweep, and a withdrawal with its receipt.
import { test } from "./harness.mjs";
import { assert, eq, unlock, go, EXISTING, PASSPHRASE } from "./helpers.mjs";
import { recordingsOf } from "./fake-recordings.mjs";

const rec = (backend) => recordingsOf(backend.registers.get(EXISTING));

/** A few calls of two customers: one due for deletion, one flagged, one deleted. */
function seedCalls(backend) {
  const r = rec(backend);
  r.policies.push(
    { id: "kundeservice", name: "Kundeservice (indgående)", purpose: "quality", basis: "consent", direction: "inbound", retention_months: 16, processor_id: null },
    { id: "salg", name: "Salg (udgående)", purpose: "documentation", basis: "legitimate_interest", direction: "outbound", retention_months: 6, processor_id: null },
  );
  const call = (call_id, start, extra = {}) => ({ call_id, start, direction: "inbound", phone: "+4533123456", customer_ref: "K-17", policy_id: "kundeservice", consent_method: "keypress", delete_by: "2027-05-01", deleted: null, flag: null, has_recording: true, ...extra });
  r.calls.push(
    call("A-1", "2025-01-15T09:15:00Z", { delete_by: "2026-05-15" }),
    call("A-2", "2026-02-01T10:00:00Z", { consent_method: null, flag: "recordings.flag.no_consent" }),
    call("B-1", "2026-03-01T12:00:00Z", { direction: "outbound", phone: "+4520123456", customer_ref: "K-20", policy_id: "salg", consent_method: null, delete_by: "2026-09-01" }),
    call("Z-9", "2024-01-01T08:00:00Z", { phone: "", customer_ref: null, deleted: { at: "2025-05-01T02:00:00Z", reason: "retention_expired" } }),
  );
}

async function openRecordings(page) {
  await go(page, "recordings");
  await page.locator('[role="tablist"]').waitFor();
}
const rowIds = (page) => page.locator(".scroller [data-call]").evaluateAll((els) => els.map((e) => e.getAttribute("data-call")));

test("the list of a million calls asks only for the pages in view", async ({ page, backend }) => {
  await unlock(page);
  await openRecordings(page);
  await page.locator('[data-call="S-0000001"]').waitFor();
  eq(await page.locator("[data-total]").getAttribute("data-total"), "1000000", "the total");
  eq(backend.pageRequests.map((r) => [r.offset, r.limit]), [[0, 100]], "one page to start with");
  const rendered = await page.locator(".scroller [role=row]").count();
  assert(rendered < 40, `only the rows in view exist (${rendered})`);
  // Halfway down: the pages there, and nothing between.
  await page.locator(".scroller").evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
  await page.locator('.scroller [data-call^="S-05"], .scroller [data-call^="S-049"]').first().waitFor();
  const offsets = backend.pageRequests.map((r) => r.offset);
  assert(offsets.length <= 3, `a few pages asked for: ${offsets}`);
  assert(offsets.slice(1).every((o) => Math.abs(o - 500_000) < 1_000), `pages near the middle: ${offsets}`);
  const first = Number(await page.locator(".scroller [data-index]").first().getAttribute("data-index"));
  const ids = await rowIds(page);
  eq(ids[0], `S-${String(first + 1).padStart(7, "0")}`, "the row shown is the call at its position");
  // To the very end: the last call is reachable.
  await page.locator(".scroller").evaluate((el) => (el.scrollTop = el.scrollHeight));
  await page.locator('[data-call="S-1000000"]').waitFor();
  assert(backend.pageRequests.length <= 5, `still only the pages in view: ${backend.pageRequests.map((r) => r.offset)}`);
}, { setup: (b) => (rec(b).synthetic = { total: 1_000_000 }) });

test("at the window's first width, every heading and cell of the list reads in full", async ({ page, shot }) => {
  await unlock(page);
  await openRecordings(page);
  await page.locator('[data-call="A-1"]').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-call="B-1"] [role=cell]:nth-child(4)')?.textContent === "Salg (udgående)");
  const cut = await page.locator(".table").evaluate((table) =>
    [...table.querySelectorAll("[role=columnheader]:not(.sr-only), [role=cell]")]
      .filter((el) => {
        // The text as laid out: wider than its cell when a word does not fit, even where the
        // cell clips it to two lines or an ellipsis.
        const range = document.createRange();
        range.selectNodeContents(el);
        const text = range.getBoundingClientRect();
        const cell = el.getBoundingClientRect();
        return el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1 || text.width > cell.width + 0.05;
      })
      .map((el) => el.textContent.trim()),
  );
  await shot("50b-recordings-1100");
  eq(cut, [], "nothing cut");
}, { setup: seedCalls, viewport: { width: 1100, height: 750 } });

test("search and filters select the calls; the overview links to what is due and flagged", async ({ page, backend, shot }) => {
  await unlock(page);
  await page.locator("[data-recordings]").waitFor();
  eq(await page.locator('[data-link="due"]').textContent(), "1 optagelse skal slettes i dag", "due on the overview");
  eq(await page.locator('[data-link="flagged"]').textContent(), "1 opkald mangler det samtykke, politikken kræver", "flagged on the overview");
  await openRecordings(page);
  await page.locator('[data-call="A-1"]').waitFor();
  eq(await rowIds(page), ["Z-9", "A-1", "A-2", "B-1"], "oldest first");
  eq(await page.locator('[data-call="A-1"] [role=cell]').nth(0).textContent(), "15.01.2025 10.15", "start on the organisation's clock");
  eq(await page.locator('[data-call="A-1"] [data-phone]').textContent(), "+45 33 12 34 56", "the phone number");
  eq(await page.locator('[data-call="A-1"] [data-customer]').textContent(), "K-17", "the customer reference");
  await page.waitForFunction(() => document.querySelector('[data-call="B-1"] [role=cell]:nth-child(4)')?.textContent === "Salg (udgående)");
  eq(await page.locator('[data-call="A-1"] [role=cell]').nth(3).getAttribute("title"), "Kundeservice (indgående) (kundeservice)", "the policy by name, its id on hover");
  eq(await page.locator('[data-call="A-2"] [data-flag]').textContent(), "Intet samtykke", "the flag");
  eq(await page.locator('[data-call="Z-9"] [role=cell]').nth(5).textContent(), "slettet 01.05.2025", "the deletion");
  eq(await page.locator('[data-call="B-1"] [data-direction]').textContent(), "ud", "the direction under the call id");
  eq((await page.locator('[data-call="Z-9"] [data-reason]').textContent()).trim(), "opbevaringstiden udløb", "why");
  await shot("50-recordings");
  await page.locator("#calls-search").fill("20 12 34 56");
  await page.locator("#calls-search").press("Enter");
  await page.waitForFunction(() => document.querySelectorAll(".scroller [data-call]").length === 1);
  eq(await rowIds(page), ["B-1"], "found by phone number in another form");
  eq(backend.pageRequests.at(-1).query.search, "20 12 34 56", "the search goes to core");
  await page.locator("#calls-search").fill("K-17");
  await page.locator("#calls-search").press("Enter");
  await page.waitForFunction(() => document.querySelectorAll(".scroller [data-call]").length === 2);
  await page.locator("#calls-search").fill("");
  await page.locator("#calls-search").press("Enter");
  await page.locator("#calls-status").selectOption("deleted");
  await page.waitForFunction(() => document.querySelectorAll(".scroller [data-call]").length === 1);
  eq(await rowIds(page), ["Z-9"], "deleted only");
  await page.locator("#calls-status").selectOption("all");
  await page.locator("#calls-due").check();
  await page.waitForFunction(() => document.querySelectorAll(".scroller [data-call]").length === 1);
  eq(await rowIds(page), ["A-1"], "due today");
  await page.locator("#calls-search").fill("K-99");
  await page.locator("#calls-search").press("Enter");
  await page.getByText("Ingen opkald passer til søgningen og filtrene.").waitFor();
  // From the overview: the flagged calls.
  await go(page, "overview");
  await page.locator('[data-link="flagged"]').click();
  await page.waitForFunction(() => document.querySelectorAll(".scroller [data-call]").length === 1);
  eq(await rowIds(page), ["A-2"], "flagged only");
  assert(await page.locator("#calls-flagged").isChecked(), "the filter is shown");
  eq(await page.locator("#calls-search").inputValue(), "", "no search");
  // A search survives leaving the page, but not a lock.
  await page.locator("#calls-search").fill("K-17");
  await page.locator("#calls-search").press("Enter");
  await page.waitForFunction(() => document.querySelectorAll(".scroller [data-call]").length === 1);
  await go(page, "overview");
  await openRecordings(page);
  eq(await page.locator("#calls-search").inputValue(), "K-17", "kept while the register is open");
  await page.locator("button.lock").click();
  await page.locator("#unlock-pass").fill(PASSPHRASE);
  await page.locator("#unlock-pass").press("Enter");
  await openRecordings(page);
  await page.locator('[data-call="A-1"]').waitFor();
  eq(await page.locator("#calls-search").inputValue(), "", "forgotten on lock");
  assert(!(await page.locator("#calls-flagged").isChecked()), "no filter after a lock");
}, { setup: seedCalls });

test("a new recording policy: a preset, issues at their fields, Enter adds it", async ({ page, backend, shot }) => {
  await unlock(page);
  await openRecordings(page);
  await page.locator('[data-tab="policies"]').click();
  await page.locator('[data-policy="kundeservice"]').waitFor();
  await page.locator('[data-action="new-policy"]').click();
  const form = page.locator("form#policy-form");
  await form.waitFor();
  // The inbound preset, numbered as "kundeservice" is taken.
  eq(await page.locator("#f-id").inputValue(), "kundeservice-2", "a free id");
  eq(await page.locator("#f-retention_months").inputValue(), "16", "16 months inbound");
  await page.locator('[data-preset="outbound"]').click();
  eq(await page.locator("#f-retention_months").inputValue(), "6", "6 months outbound");
  eq(await page.locator("#f-basis").inputValue(), "legitimate_interest", "documentation on legitimate interest");
  // Quality on legitimate interest: core says consent is needed, at the basis.
  await page.locator("#f-purpose").selectOption("quality");
  await page.locator('[data-path="/basis"][data-code="recording_policy.consent_needed"]').waitFor();
  eq(await page.locator("#f-basis").getAttribute("aria-invalid"), "true", "the basis is marked");
  await page.locator("#f-id").fill("kundeservice");
  await page.locator('[data-path="/id"][data-code="recording_policy.id_duplicate"]').waitFor();
  await shot("51-recording-policy");
  await page.locator("#f-name").press("Enter");
  await page.getByRole("alert").filter({ hasText: "Intet blev gemt" }).waitFor();
  eq(rec(backend).policies.length, 2, "nothing added");
  await page.locator("#f-id").fill("salg-tlf");
  await page.locator("#f-purpose").selectOption("documentation");
  await page.locator("#f-processor_id").selectOption({ index: 0 });
  await page.locator("#f-name").fill("Telefonsalg");
  await page.locator("#f-name").press("Enter");
  await page.locator('[data-policy="salg-tlf"]').waitFor();
  eq(rec(backend).policies.at(-1), { id: "salg-tlf", name: "Telefonsalg", purpose: "documentation", basis: "legitimate_interest", direction: "outbound", retention_months: 6, processor_id: null }, "added");
  assert(!(await form.isVisible()), "the dialog closed");
  // Esc closes without adding.
  await page.locator('[data-action="new-policy"]').click();
  await form.waitFor();
  await page.keyboard.press("Escape");
  await form.waitFor({ state: "hidden" });
  eq(rec(backend).policies.length, 3, "Esc adds nothing");
}, { setup: seedCalls });

const CALL_LIST = "/home/dpo/opkald.csv";
function seedCallList(backend) {
  seedCalls(backend);
  const call = (line, call_id, start, phone, extra = {}) => ({ line, call: { call_id, start, direction: "inbound", phone, customer_ref: "K-30", policy: null, consent_method: "keypress", recording_ref: `${call_id}.wav`, ...extra }, error: null });
  backend.callFiles[CALL_LIST] = {
    columns: ["Opkalds-ID", "Starttidspunkt", "Retning", "Telefonnummer", "Kundenr", "Samtykke", "Lydfil"],
    encoding: "windows-1252",
    rows: [
      call(2, "N-1", "2026-05-02T07:15:00Z", "+4540123456"),
      call(3, "N-2", "2026-05-03T08:00:00Z", "+4540123456", { consent_method: null }),
      { line: 4, call: null, error: { line: 4, field: "phone", code: "import.row.phone", detail: null } },
      call(5, "A-1", "2025-01-15T09:15:00Z", "+4533123456"),
    ],
  };
}

/** Unlocks, opens the import tab and picks the call list through the open dialog. */
async function pickCallList(page, backend) {
  await unlock(page);
  await openRecordings(page);
  await page.locator('[data-tab="import"]').click();
  backend.dialogAnswers.push(CALL_LIST);
  await page.locator('[data-action="pick-file"]').click();
}

test("the import wizard: the file, the columns, the first rows as read, the import and its summary", async ({ page, backend, shot }) => {
  await pickCallList(page, backend);
  await page.locator("[data-sniffed]").waitFor();
  eq(await page.locator("[data-sniffed]").textContent(), "Windows-1252, adskilt med ;, 7 kolonner", "how the file is read");
  // The columns are guessed from their names.
  eq(await page.locator("#map-call_id").inputValue(), "Opkalds-ID", "call id");
  eq(await page.locator("#map-recording_ref").inputValue(), "Lydfil", "audio");
  eq(await page.locator("#map-agent").inputValue(), "", "no agent column");
  await page.locator('tr[data-line="2"]').waitFor();
  eq(await page.locator('tr[data-line="2"] td').nth(2).textContent(), "02.05.2026 09.15", "the time on the organisation's clock");
  eq(await page.locator('tr[data-line="4"] .row-error').textContent(), "Linje 4: Telefonnummer er ikke et gyldigt telefonnummer.", "the row's error");
  // Without a required column there is nothing to preview.
  await page.locator("#map-phone").selectOption("");
  await page.getByText("Vælg kolonnerne for opkalds-id").waitFor();
  assert(await page.locator('[data-action="import"]').isDisabled(), "no import without the phone column");
  await page.locator("#map-phone").selectOption("Telefonnummer");
  await page.locator('tr[data-line="2"]').waitFor();
  // The profile: saved through the save dialog, loaded again.
  backend.dialogAnswers.push("/home/dpo/telefonsystem");
  await page.locator('[data-action="save-profile"]').click();
  await page.getByText("Profilen er gemt i /home/dpo/telefonsystem.toml.").waitFor();
  eq(backend.profiles["/home/dpo/telefonsystem.toml"].columns.phone, "Telefonnummer", "the profile");
  await page.locator("#map-customer_ref").selectOption("");
  backend.dialogAnswers.push("/home/dpo/telefonsystem.toml");
  await page.locator('[data-action="load-profile"]').click();
  await page.getByText("Profilen er hentet.").waitFor();
  eq(await page.locator("#map-customer_ref").inputValue(), "Kundenr", "loaded again");
  // The import: the default policy, progress, the summary.
  await page.locator("#imp-policy").selectOption("kundeservice");
  backend.importDelay = 150;
  backend.importIndexes = true;
  await page.locator('[data-action="import"]').click();
  await page.locator("[data-progress]").waitFor();
  // The last step of a large import, shown for as long as it lasts.
  const indexing = await page.waitForFunction(() => document.querySelector("[data-indexing]")?.textContent ?? null, null, { polling: 20 });
  eq(await indexing.jsonValue(), "Alle rækker er læst. Søgeindeksene bygges – det tager et øjeblik ved store filer.", "indexing");
  await page.locator("[data-summary]").waitFor();
  eq(await page.locator('[data-summary] [data-count="imported"]').textContent(), "2 opkald importeret", "imported");
  eq(await page.locator('[data-summary] [data-count="already"]').textContent(), "1 fandtes i forvejen", "already there");
  eq(await page.locator('[data-summary] [data-count="rejected"]').textContent(), "1 række afvist", "rejected");
  eq(await page.locator("[data-rejected]").textContent(), "Linje 4: Telefonnummer er ikke et gyldigt telefonnummer.", "why");
  eq(backend.imports[0].default_policy, "kundeservice", "the default policy");
  eq(backend.imports[0].strict, false, "not strict");
  await shot("52-recordings-import");
  backend.dialogAnswers.push("/home/dpo/afviste");
  await page.locator('[data-action="save-rejected"]').click();
  await page.locator("[data-saved-rejected]").waitFor();
  eq(backend.savedFiles, ["/home/dpo/afviste.csv"], "the rejected rows saved");
  // A profile naming a column the file lacks: said at the preview, in the screen's words.
  backend.profiles["/home/dpo/andet.toml"] = { columns: { call_id: "Opkalds-ID", start: "Starttidspunkt", direction: "Retning", phone: "Telefonnummer", agent: "Medarbejder" }, words: { inbound: [], outbound: [], keypress: [], oral: [], no_consent: [] } };
  backend.dialogAnswers.push("/home/dpo/andet.toml");
  await page.locator('[data-action="load-profile"]').click();
  await page.locator("[data-preview-error]").waitFor();
  eq(await page.locator("[data-preview-error]").textContent(), 'Filen har ingen kolonne med navnet "Medarbejder" (til Medarbejder).', "the missing column");
  assert(await page.locator('[data-action="import"]').isDisabled(), "no import with a column missing");
  await page.locator("#map-agent").selectOption("");
  await page.locator('tr[data-line="2"]').waitFor();
  // Strict: the first bad row stops it, nothing kept.
  await page.locator("#imp-strict").check();
  await page.locator('[data-action="import"]').click();
  await page.locator("[data-import-error]").waitFor();
  assert((await page.locator("[data-import-error]").textContent()).includes("intet fra filen er gemt"), "strict says nothing was kept");
  await page.locator('[data-tab="calls"]').click();
  await page.locator('[data-call="N-1"]').waitFor();
}, { setup: seedCallList, fullPage: true });

test("the preview says which rows the chosen policy's direction leaves out, before the import", async ({ page, backend, shot }) => {
  const row = (line, call_id, direction, policy = null) => ({ line, call: { call_id, start: "2026-05-02T07:15:00Z", direction, phone: "+4540123456", customer_ref: null, policy, consent_method: "keypress", recording_ref: null }, error: null });
  backend.callFiles[CALL_LIST] = {
    columns: ["Opkalds-ID", "Starttidspunkt", "Retning", "Telefonnummer", "Kundenr", "Samtykke", "Lydfil"],
    encoding: "utf-8",
    rows: [row(2, "M-1", "inbound"), row(3, "M-2", "outbound"), row(4, "M-3", "outbound", "salg"), row(5, "M-4", "inbound", "salg")],
  };
  await pickCallList(page, backend);
  await page.locator('tr[data-line="2"]').waitFor();
  const lines = () => page.locator("[data-direction-warning] li").allTextContents();
  const reason = (line) => `Linje ${line}: Retning er ikke den retning, optagelsespolitikken gælder for (brug en politik for opkald i den retning).`;
  // Before a policy is chosen for rows without one, only line 5 names a policy it does not fit.
  eq(await lines(), [reason(5)], "the row naming the outbound policy");
  await page.locator("#imp-policy").selectOption("kundeservice");
  await page.locator('[data-direction-warning] li:nth-child(2)').waitFor();
  eq(await lines(), [reason(3), reason(5)], "the outbound row without a policy, under the inbound one");
  eq(await page.locator('tr[data-line="3"] [data-mismatch]').textContent(), "udgående", "the direction marked in its row");
  eq(await page.locator('tr[data-line="2"] [data-mismatch]').count(), 0, "a row that fits is not marked");
  await page.locator("#imp-policy").scrollIntoViewIfNeeded();
  await shot("52b-recordings-import-direction");
  await page.locator("#imp-policy").selectOption("salg");
  await page.waitForFunction(() => document.querySelectorAll("[data-direction-warning] li").length === 2 && document.querySelector('tr[data-line="2"] [data-mismatch]'));
  eq(await lines(), [reason(2), reason(5)], "under the outbound policy, the inbound rows");
}, { setup: seedCalls });

test("the sweep says what will happen, Esc cancels, and it reports what it did", async ({ page, backend, shot }) => {
  await unlock(page);
  await openRecordings(page);
  await page.locator('[data-tab="sweep"]').click();
  await page.locator("[data-due]").waitFor();
  eq(await page.locator("[data-due]").getAttribute("data-due"), "1", "one due");
  // The audio folder, through the folder dialog.
  backend.dialogAnswers.push("/srv/telefoni/lyd");
  await page.locator('[data-action="choose-folder"]').click();
  await page.getByText("Lydmappen er gemt i fortegnelsen.").waitFor();
  await page.locator("[data-audio-folder]").filter({ hasText: "/srv/telefoni/lyd" }).waitFor();
  await page.locator('[data-action="sweep"]').click();
  const dialog = page.locator('[data-confirm="sweep"]');
  await dialog.waitFor();
  const text = await dialog.textContent();
  assert(text.includes("1 opkald markeres som slettet"), "what is marked");
  assert(text.includes("Deres lydfiler under lydmappen /srv/telefoni/lyd slettes."), "which audio");
  assert(text.includes("Filer uden for lydmappen røres aldrig."), "nothing outside");
  await shot("53-recordings-sweep");
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });
  eq(backend.sweeps, 0, "Esc sweeps nothing");
  await page.locator('[data-action="sweep"]').click();
  await page.locator('[data-action="confirm-sweep"]').click();
  await page.locator("[data-sweep-result]").waitFor();
  eq(backend.sweeps, 1, "swept once");
  eq(await page.locator("[data-sweep-result] strong").textContent(), "1 opkald er markeret som slettet.", "marked");
  eq(await page.locator('[data-sweep-result] [data-count="deleted"]').textContent(), "1 lydfil slettet i lydmappen", "audio");
  await page.locator('[data-due="0"]').waitFor();
  assert(await page.locator('[data-action="sweep"]').isDisabled(), "nothing more to sweep");
  eq(rec(backend).calls.find((c) => c.call_id === "A-1").deleted.reason, "retention_expired", "A-1 deleted");
}, { setup: seedCalls });

test("a withdrawal from a call row: confirmed, a receipt saved as PDF, and printed again later", async ({ page, backend, shot }) => {
  await unlock(page);
  await openRecordings(page);
  await page.locator('[data-call="B-1"] [data-action="request"]').click();
  await page.locator("#req-subject").waitFor();
  eq(await page.locator("#req-subject").inputValue(), "+4520123456", "the row's phone number");
  // B-1 is recorded on legitimate interest: without the erasure request it is kept.
  await page.locator("#req-channel").selectOption("email");
  await page.locator('[data-action="withdraw"]').click();
  await page.locator('[data-confirm="withdraw"]').waitFor();
  await page.locator('[data-action="confirm-withdraw"]').click();
  await page.locator("[data-withdrawal] [data-kept]").waitFor();
  eq(rec(backend).receipts.length, 0, "no receipt");
  // Customer K-17 withdraws consent by phone: both of their calls on consent go.
  await page.locator("#req-subject").fill("K-17");
  await page.locator("#req-channel").selectOption("phone");
  await page.locator("#req-subject").press("Enter");
  await page.locator('[data-confirm="withdraw"]').waitFor();
  assert((await page.locator('[data-confirm="withdraw"]').textContent()).includes("Alle bevarede opkald for K-17, der er optaget på samtykke, slettes nu."), "what happens");
  await page.locator('[data-action="confirm-withdraw"]').click();
  await page.locator("[data-withdrawal] strong").filter({ hasText: "2026-0001" }).waitFor();
  eq(await page.locator("[data-withdrawal] strong").textContent(), "2 opkald er slettet. Kvitteringsnummer 2026-0001.", "deleted with a receipt");
  const sent = backend.withdrawals.at(-1);
  eq([sent.subject, sent.channel, sent.all_calls], ["K-17", "phone", false], "the request");
  assert(/^\d{4}-\d{2}-\d{2}T/.test(sent.withdrawn_at), "the time, now by default");
  backend.dialogAnswers.push("/home/dpo/kvittering");
  await page.locator('[data-action="save-receipt"]').click();
  await page.locator("[data-receipt-saved]").waitFor();
  eq(backend.receiptsSaved, [{ id: "2026-0001", path: "/home/dpo/kvittering.pdf", language: "da", open: true }], "saved and opened");
  await shot("54-recordings-withdrawal");
  // Earlier receipts can be printed again.
  backend.dialogAnswers.push("/home/dpo/igen.pdf");
  await page.locator('[data-receipt="2026-0001"] button').click();
  await page.waitForFunction(() => document.querySelector("[data-receipt-saved]")?.textContent?.includes("igen.pdf"));
  // An access request for a person with no calls kept says so.
  await page.locator("#req-subject").fill("K-17");
  await page.locator('[data-action="access"]').click();
  await page.locator("[data-access-error]").filter({ hasText: "ingen bevarede opkald" }).waitFor();
  // B-1's person: the extract goes into the folder chosen.
  await page.locator("#req-subject").fill("20 12 34 56");
  backend.dialogAnswers.push("/home/dpo/indsigt");
  await page.locator('[data-action="access"]').click();
  await page.locator("[data-access]").waitFor();
  eq(await page.locator("[data-access] strong").textContent(), "1 opkald er skrevet i /home/dpo/indsigt.", "the extract");
}, { setup: seedCalls });
