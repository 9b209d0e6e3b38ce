import { test } from "./harness.mjs";
import { assert, eq, unlock, go, openActivity } from "./helpers.mjs";

const focusedId = (page) => page.evaluate(() => document.activeElement?.id);

test("editor shows each issue next to the field its path points to", async ({ page, shot }) => {
  await unlock(page);
  await openActivity(page, "kundeklub");
  await page.locator('#f-legal_bases-0-law-issues [data-code="legal_basis.law_missing"]').waitFor();
  const cls = await page.locator("#f-legal_bases-0-law").getAttribute("class");
  assert(cls.includes("has-error"), "law input marked as error");
  eq(await page.locator("#f-legal_bases-0-law").getAttribute("aria-invalid"), "true", "aria-invalid");
  await page.locator("#f-legal_bases-0-law").scrollIntoViewIfNeeded();
  await shot("08-editor-issue");
});

test("editor checks as you type (debounced) and clears fixed issues", async ({ page, backend }) => {
  await unlock(page);
  await openActivity(page, "kundeklub");
  await page.locator("#f-name").fill("");
  await page.locator('#f-name-issues [data-code="activity.name_missing"]').waitFor();
  await page.locator("#f-legal_bases-0-law").fill("bogføringsloven § 10");
  await page.locator('#f-legal_bases-0-law-issues [data-code="legal_basis.law_missing"]').waitFor({ state: "detached" });
  assert(backend.calls.filter((c) => c === "check_activity").length < 12, "debounced, not one call per key");
});

test("save with Enter in a single-line input", async ({ page, backend }) => {
  await unlock(page);
  await openActivity(page, "newsletter");
  await page.locator("#f-owner").fill("Marketingchef");
  await page.locator("#f-owner").press("Enter");
  await page.locator(".notice.ok, .notice.warning").first().waitFor();
  eq(backend.registers.values().next().value.content.activities.find((a) => a.id === "newsletter").owner, "Marketingchef", "saved");
});

test("save with Ctrl+S", async ({ page, backend }) => {
  await unlock(page);
  await openActivity(page, "newsletter");
  await page.locator("#f-description").fill("Nyt indhold");
  await page.keyboard.press("Control+s");
  await page.getByText("Gemt").first().waitFor();
  eq(backend.registers.values().next().value.content.activities.find((a) => a.id === "newsletter").description, "Nyt indhold", "saved");
});

test("save refused (invalid): issues shown at the fields, focus on the first", async ({ page, backend }) => {
  await unlock(page);
  await openActivity(page, "kundeklub");
  await page.locator("#f-owner").fill("Salg");
  await page.locator("#f-owner").press("Enter");
  await page.getByRole("alert").filter({ hasText: "Intet blev gemt" }).waitFor();
  eq(await focusedId(page), "f-legal_bases-0-law", "focus on the field with the error");
  eq(backend.registers.values().next().value.content.activities.find((a) => a.id === "kundeklub").owner, "Marketing", "not saved");
});

test("Esc asks before discarding changes; Esc in the dialog keeps editing", async ({ page, backend }) => {
  await unlock(page);
  await openActivity(page, "newsletter");
  await page.locator("#f-name").fill("Ændret navn");
  await page.keyboard.press("Escape");
  await page.getByRole("heading", { name: "Luk uden at gemme?" }).waitFor();
  await page.keyboard.press("Escape");
  await page.getByRole("heading", { name: "Luk uden at gemme?" }).waitFor({ state: "hidden" });
  assert(await page.locator("form.editor").isVisible(), "still editing");
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "Kassér ændringerne" }).click();
  await page.locator("#flt-search").waitFor();
  eq(backend.registers.values().next().value.content.activities.find((a) => a.id === "newsletter").name, "Nyhedsbrev", "unchanged");
});

test("Esc without changes closes the editor", async ({ page }) => {
  await unlock(page);
  await openActivity(page, "newsletter");
  await page.locator("#f-owner").focus();
  await page.keyboard.press("Escape");
  await page.locator("#flt-search").waitFor();
});

test("matrix: toggle cells, pick recipients, save the data flows", async ({ page, backend, shot }) => {
  await unlock(page);
  await openActivity(page, "webshop-orders");
  const cell = (dc, sc) => page.locator(`td[data-cell="${dc}|${sc}"] button.cell`);
  eq(await cell("contact", "webshop-customers").getAttribute("aria-pressed"), "true", "existing flow on");
  await cell("contact", "webshop-customers").click();
  eq(await cell("contact", "webshop-customers").getAttribute("aria-pressed"), "false", "toggled off");
  await page.locator("#matrix-add-col").selectOption("subscribers");
  await page.locator("#matrix-add-col").locator("xpath=..").getByRole("button", { name: "Tilføj" }).click();
  await cell("contact", "subscribers").click();
  eq(await cell("contact", "subscribers").getAttribute("aria-pressed"), "true", "new flow on");
  await page.locator('td[data-cell="contact|subscribers"] button.recipients').click();
  await page.getByRole("heading", { name: "Modtagere" }).waitFor();
  await page.getByLabel("CRM-leverandør (nyhedsbrev)").check();
  await shot("09-recipients");
  await page.keyboard.press("Escape");
  await page.getByRole("heading", { name: "Modtagere" }).waitFor({ state: "hidden" });
  assert((await page.locator('td[data-cell="contact|subscribers"]').innerText()).includes("CRM"), "recipient shown in cell");
  await page.locator('td[data-cell="contact|subscribers"]').scrollIntoViewIfNeeded();
  await shot("10-matrix");
  await page.keyboard.press("Control+s");
  await page.getByText("Gemt").first().waitFor();
  const flows = backend.registers.values().next().value.content.activities.find((a) => a.id === "webshop-orders").data_flows;
  assert(!flows.some((f) => f.data_category === "contact" && f.subject_category === "webshop-customers"), "removed flow gone");
  eq(flows.find((f) => f.subject_category === "subscribers"), { data_category: "contact", subject_category: "subscribers", recipients: ["crm"] }, "new flow with recipient");
});

test("overview issue link opens the editor at the field", async ({ page }) => {
  await unlock(page);
  await page.locator('[data-issue="legal_basis.law_missing"]').click();
  await page.locator("form.editor").waitFor();
  await page.waitForFunction(() => document.activeElement?.id === "f-legal_bases-0-law");
});

test("overview review link opens the record at the review date", async ({ page }) => {
  await unlock(page);
  await page.locator('[data-review="cctv"]').click();
  await page.locator("form.editor").waitFor();
  await page.waitForFunction(() => document.activeElement?.id === "f-review-next_review");
});

test("new activity: name, draft, then the editor; role switch shows processor fields", async ({ page, backend, shot }) => {
  await unlock(page);
  await go(page, "activities");
  await page.getByRole("button", { name: "Ny behandlingsaktivitet" }).click();
  await page.locator("#new-activity-name").fill("Kundeservice på telefon");
  await page.locator("#new-activity-name").press("Enter");
  await page.locator("form.editor").waitFor();
  const saved = backend.registers.values().next().value.content.activities.find((a) => a.id === "kundeservice-paa-telefon");
  eq(saved?.status, "draft", "created as draft");
  await page.locator('#f-purposes-issues [data-code="activity.purpose_missing"]').waitFor();
  assert((await page.locator('#f-purposes-issues .issue').getAttribute("class")).includes("warning"), "draft issues are warnings");
  await page.locator("#role-processor").check();
  await page.locator("#f-role-controller-name").waitFor();
  await page.locator('#f-role-controller-name-issues [data-code="role.controller_name_missing"]').waitFor();
  await page.locator("#role-controller").check();
  await page.locator("#role-processor").check();
  await page.locator("#f-role-controller-name").fill("Café Lærkereden");
  await page.locator("#role-controller").check();
  await page.locator("#role-processor").check();
  eq(await page.locator("#f-role-controller-name").inputValue(), "Café Lærkereden", "role switch keeps typed values");
  await page.evaluate(() => document.querySelector("main.content").scrollTo(0, 0));
  await shot("07-editor-top");
});

test("every editor section renders its fields with labels", async ({ page, shot }) => {
  await unlock(page);
  await openActivity(page, "payroll");
  const unlabeled = await page.evaluate(() =>
    [...document.querySelectorAll("form.editor input, form.editor select, form.editor textarea")]
      .filter((el) => !el.labels || el.labels.length === 0)
      .map((el) => el.id || el.outerHTML.slice(0, 60)),
  );
  eq(unlabeled, [], "inputs without a <label for>");
  for (const id of ["f-name", "f-owner", "f-description", "f-status", "f-purposes-0", "f-legal_bases-0-article", "f-special_conditions-0-article", "f-national_provisions-0-provision", "f-security-notes", "f-dpia-status", "f-dpia-done_on", "f-review-last_reviewed", "f-review-next_review", "ret-0-years"]) {
    assert(await page.locator("#" + id).count(), `field ${id}`);
  }
  await page.getByRole("button", { name: "Tilføj overførsel" }).click();
  await page.locator("#f-transfers-0-country").fill("us");
  eq(await page.locator("#f-transfers-0-country").inputValue(), "US", "country upper-cased");
  await page.locator("#f-transfers-0-mechanism").selectOption("art49");
  await page.locator("#f-transfers-0-derogation").waitFor();
  await page.locator("#f-transfers-0-safeguards").waitFor();
  await page.locator("#f-transfers-0-mechanism").selectOption("eu-us-dpf");
  await page.locator("#f-transfers-0-dpf_certified").selectOption("yes");
  await page.locator("#automated-toggle").check();
  await page.locator('#f-automated_decision-issues [data-code="activity.automated_decision_undescribed"]').waitFor();
  await page.locator("#sec-transfers").scrollIntoViewIfNeeded();
  await shot("11-editor-transfers");
});
