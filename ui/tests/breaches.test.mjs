// The breach log: registering a breach, the 72-hour countdown, notices, Art. 34 and the
// overview's most urgent deadline.
import { test } from "./harness.mjs";
import { assert, eq, unlock, go, EXISTING } from "./helpers.mjs";

const HOUR = 3600 * 1000;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** A breach the organisation became aware of `hoursAgo` hours ago, seeded into the register. */
function seedBreach(backend, id, title, hoursAgo, extra = {}) {
  const reg = backend.registers.get(EXISTING);
  reg.breaches ??= [];
  reg.breaches.push({ id, title, became_aware_at: iso(Date.now() - hoursAgo * HOUR), discovery: { by: "staff" }, ...extra });
}

async function openBreach(page, id) {
  await go(page, "breaches");
  await page.locator(`[data-breach="${id}"] button.title`).click();
  await page.locator("form#breach-form").waitFor();
}

test("registering a breach lists it with a countdown to the 72 hours that moves every minute", async ({ page, backend, shot }) => {
  await page.clock.install();
  await unlock(page);
  await go(page, "breaches");
  await page.getByText("Der er ikke registreret nogen brud.").waitFor();
  await page.locator('[data-action="new-breach"]').click();
  await page.locator("#new-breach-title").fill("Bærbar computer stjålet");
  const aware = await page.locator("#new-breach-aware").inputValue();
  assert(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(aware), `awareness defaults to now: ${aware}`);
  // An hour earlier than now, typed on the organisation's wall clock.
  const [date, time] = aware.split("T");
  const earlier = new Date(`${date}T${time}:00Z`);
  earlier.setUTCHours(earlier.getUTCHours() - 1);
  await page.locator("#new-breach-aware").fill(earlier.toISOString().slice(0, 16));
  await page.getByRole("button", { name: "Registrér", exact: true }).click();
  const row = page.locator("[data-breach]").first();
  await row.waitFor();
  const reg = backend.registers.get(EXISTING);
  eq(reg.breaches.length, 1, "saved");
  eq(reg.breaches[0].title, "Bærbar computer stjålet", "title");
  const awareMs = Date.parse(reg.breaches[0].became_aware_at);
  assert(Math.abs(Date.now() - HOUR - awareMs) < 3 * 60 * 1000, `awareness an hour ago in UTC: ${reg.breaches[0].became_aware_at}`);
  const countdown = row.locator("[data-countdown]");
  const before = await countdown.locator(".left").textContent();
  assert(/^2 dage 2\d t \d+ min tilbage$/.test(before), `time left: ${before}`);
  assert((await countdown.locator(".due").textContent()).startsWith("Frist: "), "due time shown");
  eq(await row.locator("[data-status]").textContent(), "Ikke anmeldt", "status badge");
  await shot("30-breaches");
  await page.clock.runFor(3 * 60 * 1000);
  const after = await countdown.locator(".left").textContent();
  assert(after !== before, `the countdown moved: ${before} → ${after}`);
});

test("an overdue notice deadline is shown in red with the time past", async ({ page }) => {
  await unlock(page);
  await go(page, "breaches");
  const countdown = page.locator('[data-breach="2026-001"] [data-countdown]');
  eq(await countdown.getAttribute("data-countdown"), "overdue", "overdue class");
  assert((await countdown.locator(".left").textContent()).startsWith("Overskredet med 8 t"), "time past the limit");
}, { setup: (b) => seedBreach(b, "2026-001", "Fejlsendt e-mail", 80) });

test("recording a notice stops the countdown", async ({ page, backend, shot }) => {
  await unlock(page);
  await openBreach(page, "2026-001");
  await page.locator(".side [data-countdown]").waitFor();
  await shot("31-breach-editor");
  await page.locator('[data-action="add-notice"]').click();
  await page.locator("#f-notices-0-case_number").fill("2026-431-0042");
  await page.keyboard.press("Control+s");
  await page.locator("[data-countdown-stopped]").waitFor();
  eq(await page.locator(".side [data-countdown]").count(), 0, "no countdown in the editor");
  eq(backend.registers.get(EXISTING).breaches[0].notices[0].case_number, "2026-431-0042", "notice saved");
  assert(await page.locator('.timeline [data-event="notified"]').isVisible(), "timeline shows the notice");
  await page.locator("#sec-notices").scrollIntoViewIfNeeded();
  await shot("31-breach-notified");
  await go(page, "breaches");
  await page.locator('[data-breach="2026-001"] [data-status="ok"]').waitFor();
  eq(await page.locator('[data-breach="2026-001"] [data-countdown]').count(), 0, "no countdown in the list");
}, { setup: (b) => seedBreach(b, "2026-001", "Fejlsendt e-mail", 5) });

test("a late notice without reasons is refused with the issue at the reasons field", async ({ page, backend }) => {
  await unlock(page);
  await openBreach(page, "2026-001");
  await page.locator('[data-action="add-notice"]').click();
  await page.locator("#f-notices-0-case_number").fill("2026-431-0043");
  await page.keyboard.press("Control+s");
  await page.getByRole("alert").filter({ hasText: "Intet blev gemt" }).waitFor();
  const issue = page.locator('#f-late_notice_reasons-issues [data-code="breach.notice_late_reasons_missing"]');
  await issue.waitFor();
  assert(/\b(99|100) timer efter\b/.test(await issue.textContent()), "hours in the message");
  eq(await page.evaluate(() => document.activeElement?.id), "f-late_notice_reasons", "focus on the reasons");
  eq(backend.registers.get(EXISTING).breaches[0].notices ?? [], [], "not saved");
  await page.locator("#f-late_notice_reasons").fill("Opdaget i en weekend; den ansvarlige var først tilbage mandag.");
  await issue.waitFor({ state: "detached" });
  await page.keyboard.press("Control+s");
  await page.locator("[data-countdown-stopped]").waitFor();
}, { setup: (b) => seedBreach(b, "2026-001", "Fejlsendt e-mail", 100) });

test("high risk without a data-subject notice or exception shows the Art. 34 warning", async ({ page, shot }) => {
  await unlock(page);
  await openBreach(page, "2026-001");
  const warning = page.locator('#f-data_subjects-issues [data-code="breach.subjects_notice_missing"]');
  eq(await warning.count(), 0, "no warning before the decision");
  await page.locator("#risk-high-risk").check();
  await warning.waitFor();
  assert((await warning.getAttribute("class")).split(" ").includes("warning"), "a warning while the breach is open");
  await page.locator("#f-data_subjects").scrollIntoViewIfNeeded();
  await shot("32-breach-high-risk");
  await page.locator("#subj-exception").check();
  await warning.waitFor({ state: "detached" });
  await page.locator('#f-data_subjects-explanation-issues [data-code="breach.exception_explanation_missing"]').waitFor();
}, { setup: (b) => seedBreach(b, "2026-001", "Fejlsendt e-mail", 2) });

test("the overview shows the most urgent deadline first and links to its record", async ({ page, shot }) => {
  await unlock(page);
  const first = page.locator(".deadlines .urgent");
  await first.waitFor();
  await shot("33-overview-deadline");
  eq(await first.getAttribute("data-deadline"), "breach:2026-002", "the breach due in an hour comes first");
  assert((await first.locator(".left").textContent()).endsWith("min tilbage"), "its countdown");
  const rest = await page.locator(".deadlines .more [data-deadline]").evaluateAll((els) => els.map((e) => e.getAttribute("data-deadline")));
  eq(rest[0], "breach:2026-001", "then the breach due in two days");
  assert(rest.slice(1).every((d) => d.startsWith("activity:")), "then the reviews");
  await first.locator("button.record").click();
  await page.locator("form#breach-form").waitFor();
  eq(await page.locator("#f-title").inputValue(), "Adgangskoder lækket", "the breach opened");
}, {
  setup: (b) => {
    for (const a of b.registers.get(EXISTING).content.activities) a.review = { last_reviewed: null, next_review: "2099-01-01" };
    seedBreach(b, "2026-001", "Fejlsendt e-mail", 20);
    seedBreach(b, "2026-002", "Adgangskoder lækket", 71);
    seedBreach(b, "2026-003", "Anmeldt brud", 1, { notices: [{ at: iso(Date.now()), phase: "initial", case_number: "1" }] });
  },
});

test("the breach form exports the notification as PDF in the chosen language and form", async ({ page, backend, shot }) => {
  backend.dialogAnswers.push("/home/dpo/Avviksmelding 2026-001.pdf");
  await unlock(page);
  await openBreach(page, "2026-001");
  const card = page.locator('[data-report="breach:2026-001"]');
  await card.getByRole("heading", { name: "Anmeldelse som PDF" }).waitFor();
  eq(await page.getByLabel("Sprog og blanket").inputValue(), "da", "the organisation's language first");
  await page.getByLabel("Sprog og blanket").selectOption("nb");
  eq(await page.locator("#export-language option:checked").innerText(), "Norsk (Altinn)", "the form named with the language");
  // By keyboard: from the language to the button.
  await page.getByLabel("Sprog og blanket").focus();
  await page.keyboard.press("Tab");
  eq(await page.evaluate(() => document.activeElement?.getAttribute("data-action")), "export-notification", "the button is next");
  eq(await page.locator('[data-action="export-notification"]').innerText(), "Gem anmeldelsen som PDF…", "named");
  await page.keyboard.press("Enter");
  await card.getByTestId("report-saved").filter({ hasText: "Gemt: /home/dpo/Avviksmelding 2026-001.pdf (12 sider)" }).waitFor();
  eq(backend.exports, [{ kind: "breach-notification", breach: "2026-001", language: "nb", open: true }], "what the backend was asked for");
  eq(await page.evaluate(() => document.activeElement?.getAttribute("data-action")), "export-notification", "the focus stays on the button");
  await shot("34-breach-export");
}, { setup: (b) => seedBreach(b, "2026-001", "Fejlsendt e-mail", 5) });

test("with unsaved changes the notification export saves first, and a refused save exports nothing", async ({ page, backend }) => {
  await unlock(page);
  await openBreach(page, "2026-001");
  eq(await page.getByTestId("export-unsaved").count(), 0, "no note while saved");
  await page.locator("#f-consequences").fill("Kunderne kan blive udsat for phishing.");
  await page.getByTestId("export-unsaved").waitFor();
  const button = page.locator('[data-action="export-notification"]');
  eq(await button.innerText(), "Gem og eksportér som PDF…", "the button says it saves first");
  backend.dialogAnswers.push("/home/dpo/Anmeldelse.pdf");
  await button.click();
  await page.locator('[data-report="breach:2026-001"]').getByTestId("report-saved").waitFor();
  eq(backend.registers.get(EXISTING).breaches[0].consequences, "Kunderne kan blive udsat for phishing.", "saved before the export");
  eq(backend.exports.length, 1, "then exported");
  eq(await page.getByTestId("export-unsaved").count(), 0, "no unsaved note after it");

  // A change core refuses (no title): the save's errors at the fields, no export.
  await page.locator("#f-title").fill("");
  await button.click();
  await page.getByRole("alert").filter({ hasText: "Intet blev gemt" }).waitFor();
  eq(await page.evaluate(() => document.activeElement?.id), "f-title", "the focus on the field to fix");
  eq(backend.exports.length, 1, "nothing exported");
}, { setup: (b) => seedBreach(b, "2026-001", "Fejlsendt e-mail", 5) });

test("a breach that is gone from the register gives a clear message instead of a PDF", async ({ page, backend }) => {
  await unlock(page);
  await openBreach(page, "2026-001");
  // Another window (or an import) replaced the register's breaches meanwhile.
  backend.registers.get(EXISTING).breaches = [];
  await page.locator('[data-action="export-notification"]').click();
  const error = page.locator('[data-report="breach:2026-001"]').getByRole("alert");
  await error.waitFor();
  eq(await error.innerText(), "Der er ingen brud på persondatasikkerheden med id 2026-001.", "error.record_not_found with the id");
}, { setup: (b) => seedBreach(b, "2026-001", "Fejlsendt e-mail", 5) });

test("the activities and processors involved: picked from the register and typed, by keyboard, with core's issues at the field", async ({ page, backend, shot }) => {
  await unlock(page);
  await openBreach(page, "2026-001");
  const group = page.getByRole("group", { name: "Berørte behandlingsaktiviteter" });
  await group.waitFor();
  const names = await group.locator("label.check").allInnerTexts();
  assert(names.includes("Webshop: ordrer og levering") && names.includes("Kundeklub"), `the register's activities: ${names}`);
  await group.getByLabel("Kundeklub").check();
  // An id the register does not have (an old import): shown by its id, with core's error at the group.
  eq(await group.getByLabel("slettet-aktivitet").isChecked(), true, "the unknown id is offered, ticked");
  await page.locator('#f-activities-issues [data-code="breach.unknown_activity"]').waitFor();
  // Unticked, it is gone: there is nothing to tick it again for.
  await group.getByLabel("slettet-aktivitet").click();
  await group.getByLabel("slettet-aktivitet").waitFor({ state: "detached" });
  await page.locator('#f-activities-issues [data-code="breach.unknown_activity"]').waitFor({ state: "detached" });

  // Processors: add one by keyboard, leave the name empty → core's error at that name.
  const add = page.locator('[data-action="add-processor"]');
  await add.focus();
  await page.keyboard.press("Enter");
  eq(await page.evaluate(() => document.activeElement?.id), "f-processors-0-name", "the new name field has the focus");
  eq(await page.getByLabel("Databehandler 1", { exact: true }).count(), 1, "labelled");
  await page.locator('#f-processors-0-name-issues [data-code="breach.processor_name_missing"]').waitFor();
  await page.keyboard.type("Webhotellet A/S");
  await page.locator('#f-processors-0-name-issues [data-code="breach.processor_name_missing"]').waitFor({ state: "detached" });
  await add.click();
  await page.keyboard.type("Mailudbyderen ApS");
  await page.locator("#f-processors").scrollIntoViewIfNeeded();
  await shot("35-breach-activities-processors");
  await page.getByRole("button", { name: "Fjern databehandler 1" }).click();
  eq(await page.evaluate(() => document.activeElement?.id), "f-processors-0-name", "the focus moves to the next name");
  eq(await page.locator("#f-processors-0-name").inputValue(), "Mailudbyderen ApS", "the other stays");
  await page.keyboard.press("Control+s");
  await page.getByText("Gemt", { exact: false }).first().waitFor();
  const saved = backend.registers.get(EXISTING).breaches[0];
  eq(saved.activities, ["kundeklub"], "activities saved by id");
  eq(saved.processors, [{ name: "Mailudbyderen ApS", id: null }], "processors saved by name, no id");
}, { setup: (b) => seedBreach(b, "2026-001", "Fejlsendt e-mail", 5, { activities: ["slettet-aktivitet"] }) });

test("the main cause is chosen from the closed list, labelled, and saved by its id", async ({ page, backend }) => {
  await unlock(page);
  await openBreach(page, "2026-001");
  const select = page.getByLabel("Hovedårsag");
  eq(await select.inputValue(), "\u0000", "not chosen yet");
  eq(await select.locator("option:checked").innerText(), "Ikke angivet", "shown as not stated");
  const options = await select.locator("option").allInnerTexts();
  eq(options.length, 11, "not stated and the ten causes");
  assert(options.includes("Post eller e-mail sendt til forkert modtager") && options.includes("Egne medarbejderes uberettigede opslag"), `Danish labels: ${options}`);
  // By keyboard: focus and choose.
  await select.focus();
  await select.selectOption("lost-or-stolen");
  await page.keyboard.press("Control+s");
  await page.getByText("Gemt", { exact: false }).first().waitFor();
  eq(backend.registers.get(EXISTING).breaches[0].main_cause, "lost-or-stolen", "saved by id");
  await select.selectOption({ label: "Ikke angivet" });
  await page.keyboard.press("Control+s");
  await page.waitForFunction(() => !document.querySelector(".status .badge:not(.ok):not(.warning):not(.error)"));
  eq(backend.registers.get(EXISTING).breaches[0].main_cause, null, "back to not stated");
}, { setup: (b) => seedBreach(b, "2026-001", "Bærbar glemt i toget", 5) });
