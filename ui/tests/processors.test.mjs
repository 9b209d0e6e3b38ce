// Processors (Art. 28): the list's status badges, the editor with its issues at the fields and
// the sub-processor tree, the Art. 28(3) checklist, the signed document and the overview.
import { test } from "./harness.mjs";
import { assert, eq, unlock, go, EXISTING } from "./helpers.mjs";

const stored = (backend) => backend.registers.get(EXISTING).processors ?? [];
const COVERED = Object.fromEntries(["instructions", "confidentiality", "security", "sub_processors", "data_subject_rights", "assistance", "deletion_or_return", "audits"].map((f) => [f, { covered: true, note: "" }]));

function seed(backend, processor) {
  const reg = backend.registers.get(EXISTING);
  reg.processors ??= [];
  reg.processors.push({ services: [], activities: [], data_categories: [], sub_processors: [], agreements: [], supervisions: [], ...processor });
}
const signed = (extra = {}) => ({ version: "1", current: true, signed_on: "2026-03-01", expires_on: null, term: "", checklist: COVERED, ...extra });

async function openProcessor(page, id) {
  await go(page, "processors");
  await page.locator(`[data-processor="${id}"] button.title`).click();
  await page.locator("form#processor-form").waitFor();
}

test("the list shows each processor's status from its deadlines", async ({ page, shot }) => {
  await unlock(page);
  await go(page, "processors");
  await page.locator("[data-processor]").first().waitFor();
  const status = (id) => page.locator(`[data-processor="${id}"] [data-status]`).evaluateAll((els) => els.map((e) => e.getAttribute("data-status")));
  eq(await status("ok"), ["ok"], "signed, supervised: in order");
  eq(await status("none"), ["no_signed_agreement"], "no agreement");
  eq(await status("expiring"), ["agreement_expiry"], "ends within 60 days");
  eq(await status("late"), ["supervision"], "supervision overdue");
  eq(await status("partial"), ["checklist"], "a signed agreement missing points of Art. 28(3)");
  eq(await page.locator('[data-processor="partial"] [data-status]').textContent(), "Aftalen dækker 7 af 8 punkter i art. 28, stk. 3", "how many");
  assert((await page.locator('[data-processor="none"] [data-status]').getAttribute("class")).split(" ").includes("error"), "a gap is red");
  eq(await page.locator('[data-processor="expiring"] [data-status]').textContent(), "Aftalen udløber 15. jul. 2026", "the expiry date");
  eq(await page.locator('[data-processor="late"] [data-status]').textContent(), "Tilsyn overskredet siden 1. jan. 2026", "the supervision date");
  await shot("40-processors");
}, {
  setup: (b) => {
    seed(b, { id: "ok", name: "Azure Hosting", country: "IE", agreements: [signed()], supervisions: [{ method: "isae3402", done_on: "2026-04-01", findings: "" }] });
    seed(b, { id: "none", name: "Bogholderen ApS", country: "DK" });
    seed(b, { id: "expiring", name: "Cloudmail AB", country: "SE", agreements: [signed({ expires_on: "2026-07-15" })], supervisions: [{ method: "questionnaire", done_on: "2026-05-01", findings: "" }] });
    seed(b, { id: "partial", name: "Print & Post ApS", country: "DK", agreements: [signed({ checklist: { ...COVERED, audits: { covered: false, note: "" } } })], supervisions: [{ method: "questionnaire", done_on: "2026-05-01", findings: "" }] });
    seed(b, { id: "late", name: "Datacenter Nord AS", country: "NO", agreements: [signed({ signed_on: "2024-01-01" })], supervisions: [{ method: "on-site", done_on: "2025-01-01", findings: "" }] });
  },
});

test("a new processor: issues at their fields, the sub-processor tree, Enter saves and Esc closes", async ({ page, backend, shot }) => {
  await unlock(page);
  await go(page, "processors");
  await page.locator('[data-action="new-processor"]').click();
  await page.locator("#new-processor-name").fill("Mailservice Inc.");
  await page.locator("#new-processor-country").fill("US");
  await page.locator("#new-processor-name").press("Enter");
  // Outside the EEA without a mechanism core refuses; the modal says why and saves nothing.
  await page.getByRole("alert").filter({ hasText: "uden for EØS" }).waitFor();
  eq(stored(backend).length, 0, "nothing saved");
  await page.locator("#new-processor-country").fill("DK");
  await page.locator("#new-processor-name").press("Enter");
  await page.locator("form#processor-form").waitFor();
  eq(stored(backend).length, 1, "created");

  // The country moves outside the EEA: the mechanism question appears and its issue stands there.
  await page.locator("#f-country").fill("us");
  eq(await page.locator("#f-country").inputValue(), "US", "upper-cased");
  await page.locator('#f-mechanism-issues [data-code="processor.mechanism_missing"]').waitFor();
  await page.locator("#f-name").press("Enter");
  await page.getByRole("alert").filter({ hasText: "Intet blev gemt" }).waitFor();
  eq(await page.evaluate(() => document.activeElement?.id), "f-mechanism", "focus on the mechanism");
  eq(stored(backend)[0].country, "DK", "not saved");
  await page.locator("#f-mechanism").selectOption("eu-us-dpf");
  await page.locator('#f-dpf_certified-issues [data-code="processor.dpf_certification_unknown"]').waitFor();
  await page.locator("#f-dpf_certified").selectOption("yes");
  await page.locator('#f-dpf_certified-issues [data-code]').waitFor({ state: "detached" });

  // Sub-processors: a tree, each level added under its parent.
  await page.locator('[data-add-sub="/sub_processors"]').click();
  eq(await page.evaluate(() => document.activeElement?.id), "f-sub_processors-0-name", "focus on the new name");
  await page.locator("#f-sub_processors-0-country").fill("IE");
  await page.locator('#f-sub_processors-0-name-issues [data-code="processor.sub_processor_name_missing"]').waitFor();
  await page.locator("#f-sub_processors-0-name").fill("AWS EMEA SARL");
  await page.locator('[data-add-sub="/sub_processors/0/sub_processors"]').click();
  await page.locator("#f-sub_processors-0-sub_processors-0-name").fill("Equinix Ireland");
  await page.locator("#f-sub_processors-0-sub_processors-0-country").fill("IE");
  eq(await page.locator('[data-sub="/sub_processors/0/sub_processors/0"]').evaluate((el) => el.closest("ul")?.getAttribute("data-depth")), "2", "indented one level");
  await page.locator('[data-add-sub="/sub_processors"]').click();
  await page.locator("#f-sub_processors-1-name").fill("Fjernes igen");
  await page.getByRole("button", { name: "Fjern underdatabehandleren Fjernes igen" }).click();
  eq(await page.locator("#f-sub_processors-1-name").count(), 0, "removed");
  await page.locator("#f-services").fill("E-mail, Nyhedsbreve");
  await page.locator("#f-name").press("Enter");
  await page.getByRole("status").filter({ hasText: "Gemt" }).waitFor();
  const p = stored(backend)[0];
  eq([p.country, p.mechanism, p.dpf_certified], ["US", "eu-us-dpf", true], "transfer saved");
  eq(p.services, ["E-mail", "Nyhedsbreve"], "services");
  eq(p.sub_processors.map((s) => [s.name, s.sub_processors.map((x) => x.name)]), [["AWS EMEA SARL", ["Equinix Ireland"]]], "the tree");
  await shot("41-processor-editor");

  // Esc with unsaved changes asks first; keep editing leaves everything as typed.
  await page.locator("#f-contact-name").fill("Support");
  await page.locator("#f-contact-name").press("Escape");
  const dialog = page.getByRole("dialog", { name: "Luk uden at gemme?" });
  await dialog.waitFor();
  await dialog.getByRole("button", { name: "Fortsæt redigering", exact: true }).click();
  eq(await page.locator("#f-contact-name").inputValue(), "Support", "kept");
  await page.keyboard.press("Control+s");
  await page.getByRole("status").filter({ hasText: "Gemt" }).waitFor();
  await page.locator("#f-name").press("Escape");
  await page.locator('[data-processor="p-1"]').waitFor();
});

test("processor agreement, the Art. 28(3) checklist: each point with a tick and a note; unticked points of a signed agreement are warned at the point", async ({ page, backend, shot }) => {
  await unlock(page);
  await openProcessor(page, "lon");
  // No agreement yet: add one, sign it.
  await page.locator('[data-action="add-agreement"]').click();
  eq(await page.evaluate(() => document.activeElement?.id), "f-agreements-0-version", "focus on the version");
  assert(await page.locator("#agreement-current-0").isChecked(), "the first version is the current one");
  await page.locator("#f-agreements-0-signed_on").fill("2026-02-01");
  await page.locator('#f-agreements-0-checklist-audits-covered-issues [data-code="agreement.point_not_covered"]').waitFor();
  eq(await page.locator('[data-code="agreement.point_not_covered"]').count(), 8, "one warning per point");
  const labels = await page.locator("[data-point]").evaluateAll((els) => els.map((e) => e.getAttribute("data-point")));
  eq(labels, ["a", "b", "c", "d", "e", "f", "g", "h"], "(a)–(h) in order");
  await page.getByLabel("a) Behandler kun efter dokumenteret instruks").check();
  await page.getByLabel("Note til litra a").fill("pkt. 4.2");
  await page.getByLabel("h) Oplysninger og revision").check();
  await page.locator('#f-agreements-0-checklist-audits-covered-issues [data-code]').waitFor({ state: "detached" });
  eq(await page.locator('[data-code="agreement.point_not_covered"]').count(), 6, "two points covered");
  assert((await page.locator("#f-agreements-0-checklist legend").textContent()).includes("2 af 8 dækket"), "the count");
  await page.locator("#f-agreements-0-checklist").scrollIntoViewIfNeeded();
  await shot("42-processor-checklist");
  await page.keyboard.press("Control+s");
  await page.getByRole("status").filter({ hasText: "Gemt med 6 advarsler" }).waitFor();
  const a = stored(backend)[0].agreements[0];
  eq([a.version, a.current, a.signed_on], ["1", true, "2026-02-01"], "the version");
  eq(a.checklist.instructions, { covered: true, note: "pkt. 4.2" }, "point (a)");
  eq(a.checklist.audits.covered, true, "point (h)");
  eq(a.checklist.security.covered, false, "point (c)");
}, { setup: (b) => seed(b, { id: "lon", name: "Lønbureauet ApS", country: "DK", activities: ["payroll"] }) });

test("processor agreement, the signed document: a file that is not what its name says is refused with core's reason, a PDF is stored and opened", async ({ page, backend }) => {
  backend.dialogAnswers.push("/home/dpo/aftale.pdf", "/home/dpo/Databehandleraftale 2026.pdf");
  backend.fileHeads["/home/dpo/aftale.pdf"] = "zip";
  await unlock(page);
  await openProcessor(page, "lon");
  await page.locator('[data-action="attach"]').click();
  const message = page.locator("[data-document-message]");
  await message.waitFor();
  eq(await message.textContent(), "Filen hedder .pdf, men indholdet ligner zip. Registret er uændret.", "core's reason");
  eq(stored(backend)[0].agreements[0].document ?? null, null, "nothing stored");
  await page.locator('[data-action="attach"]').click();
  await page.locator('[data-file="Databehandleraftale 2026.pdf"]').waitFor();
  assert((await message.textContent()).includes("er gemt i registret"), "told it is stored");
  eq(stored(backend)[0].agreements[0].document.file_name, "Databehandleraftale 2026.pdf", "stored");
  await page.locator('[data-action="open-document"]').click();
  await page.getByText("Kopien slettes, når registret låses.").waitFor();
  eq(backend.opened.length, 1, "extracted and opened");
}, { setup: (b) => seed(b, { id: "lon", name: "Lønbureauet ApS", country: "DK", agreements: [signed({ version: "2" })] }) });

test("supervision, the audit report: a new supervision is saved first, a report of the wrong type is refused, a PDF is stored with its supervision and opened", async ({ page, backend }) => {
  backend.dialogAnswers.push("/home/dpo/soc2.pdf", "/home/dpo/ISAE 3402 2026.pdf");
  backend.fileHeads["/home/dpo/soc2.pdf"] = "png";
  await unlock(page);
  await openProcessor(page, "lon");
  // The stored supervision keeps its id; a new one gets its id when it is saved.
  await page.locator('[data-action="add-supervision"]').click();
  await page.locator("#f-supervisions-1-findings").fill("Ingen afvigelser");
  await page.locator('[data-report="1"] [data-action="attach-report"]').click();
  const message = page.locator('[data-report="1"] [data-document-message]');
  await message.waitFor();
  eq(await message.textContent(), "Filen hedder .pdf, men indholdet ligner png. Registret er uændret.", "core's reason");
  const saved = stored(backend)[0].supervisions;
  eq(saved.length, 2, "the new supervision was saved before the dialog");
  eq(saved[0].id, "2025", "the stored id kept");
  assert(saved[1].id, "the new supervision has an id");
  eq(saved.map((s) => s.report ?? null), [null, null], "nothing stored");
  await page.locator('[data-report="1"] [data-action="attach-report"]').click();
  await page.locator('[data-report="1"] [data-file="ISAE 3402 2026.pdf"]').waitFor();
  assert((await message.textContent()).includes("er gemt i registret"), `told it is stored: ${await message.textContent()}`);
  eq(stored(backend)[0].supervisions[1].report.file_name, "ISAE 3402 2026.pdf", "stored with the new supervision");
  eq(stored(backend)[0].supervisions[0].report ?? null, null, "not with the other");
  await page.locator('[data-report="1"] [data-action="open-report"]').click();
  await page.locator('[data-report="1"]').getByText("Kopien slettes, når registret låses.").waitFor();
  eq(backend.opened.at(-1), "/tmp/ropa-documents-x/5f5f5f5f5f5f5f5f/ISAE 3402 2026.pdf", "extracted and opened");
  // A later save keeps the report with its supervision.
  await page.locator("#f-supervisions-0-findings").fill("Opfølgning aftalt");
  await page.keyboard.press("Control+s");
  await page.getByRole("status").filter({ hasText: "Gemt" }).first().waitFor();
  eq(stored(backend)[0].supervisions[1].report?.file_name, "ISAE 3402 2026.pdf", "still there");
}, {
  setup: (b) =>
    seed(b, {
      id: "lon",
      name: "Lønbureauet ApS",
      country: "DK",
      agreements: [signed()],
      supervisions: [{ id: "2025", method: "questionnaire", done_on: "2025-09-01", findings: "", next_due: null }],
    }),
});

test("the mechanism question follows the EEA list in the settings", async ({ page, backend }) => {
  backend.countryLists.eea.countries = backend.countryLists.eea.countries.filter((c) => c !== "SE");
  backend.countryLists.eea.edited = true;
  await unlock(page);
  await openProcessor(page, "se");
  await page.locator("#f-mechanism").waitFor();
}, { setup: (b) => seed(b, { id: "se", name: "Nordic DC AB", country: "SE", agreements: [signed()] }) });

test("the overview lists the processor deadlines with the others, each linking to its processor", async ({ page }) => {
  await unlock(page);
  const row = page.locator('.deadlines [data-deadline="processor:lon"][data-kind="activity_without_agreement"]');
  await row.waitFor();
  assert((await row.textContent()).includes("Lønbureauet ApS · "), "names the processor and the activity");
  await page.locator('.deadlines [data-deadline="processor:lon"][data-kind="no_signed_agreement"] button').click();
  await page.locator("form#processor-form").waitFor();
  eq(await page.locator("#f-name").inputValue(), "Lønbureauet ApS", "the processor opened");
}, { setup: (b) => seed(b, { id: "lon", name: "Lønbureauet ApS", country: "DK", activities: ["payroll"] }) });
