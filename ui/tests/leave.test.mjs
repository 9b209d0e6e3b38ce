// Leaving an editor with unsaved changes asks first: save, discard or keep editing.
import { test } from "./harness.mjs";
import { assert, eq, unlock, go, openActivity, EXISTING, PASSPHRASE } from "./helpers.mjs";

const stored = (backend) => backend.registers.get(EXISTING).content;
const storedActivity = (backend, id) => stored(backend).activities.find((a) => a.id === id);
const focused = (page) => page.evaluate(() => ({ id: document.activeElement?.id, leave: document.activeElement?.getAttribute("data-leave") }));
const openDialogs = (page) => page.locator("dialog[open]").count();

const LEAVE = "Forlad siden uden at gemme?";
const CLOSE = "Luk uden at gemme?";
const LOCK = "Lås uden at gemme?";

function question(page, title) {
  return page.getByRole("dialog", { name: title });
}

async function openOrganisation(page) {
  await unlock(page);
  await go(page, "organisation");
  await page.locator("#organisation-form").waitFor();
}

const catalogsShown = (page) => page.getByRole("tablist").waitFor();

test("leave: organisation without changes goes on without asking", async ({ page }) => {
  await openOrganisation(page);
  await page.getByTestId("business-id-ok").waitFor();
  await go(page, "catalogs");
  await catalogsShown(page);
  eq(await openDialogs(page), 0, "no question");
});

test("leave: organisation — the sidebar asks; keep editing (button, Esc, Enter) keeps what was typed", async ({ page, backend }) => {
  await openOrganisation(page);
  await page.locator("#f-name").fill("Bager Hansen & Søn ApS");
  await go(page, "catalogs");
  const dialog = question(page, LEAVE);
  await dialog.waitFor();
  assert((await dialog.innerText()).includes("Du har ændringer, der ikke er gemt."), "the text from the catalog");
  for (const name of ["Gem", "Kassér ændringerne", "Fortsæt redigering"]) await dialog.getByRole("button", { name, exact: true }).waitFor();
  eq((await focused(page)).leave, "stay", "the focus is on the safe choice");

  await dialog.getByRole("button", { name: "Fortsæt redigering" }).click();
  await dialog.waitFor({ state: "hidden" });
  eq(await page.locator("#f-name").inputValue(), "Bager Hansen & Søn ApS", "the typed name stays");
  await page.getByTestId("unsaved").waitFor();
  eq(await page.locator('[data-nav="organisation"]').getAttribute("aria-current"), "page", "still on the organisation page");

  // Esc answers "keep editing" too, and does not reach the page's own Esc (which undoes edits).
  await go(page, "catalogs");
  await dialog.waitFor();
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });
  eq(await page.locator("#f-name").inputValue(), "Bager Hansen & Søn ApS", "Esc keeps the typed name");

  // Enter on the focused choice keeps editing.
  await go(page, "reports");
  await dialog.waitFor();
  await page.keyboard.press("Enter");
  await dialog.waitFor({ state: "hidden" });
  eq(await page.locator("#f-name").inputValue(), "Bager Hansen & Søn ApS", "Enter keeps the typed name");
  eq(stored(backend).organisation.name, "Bager Hansen ApS", "nothing saved");
  assert(await page.locator("#organisation-form").isVisible(), "still on the page");
});

test("leave: organisation — discard goes on and saves nothing", async ({ page, backend }) => {
  await openOrganisation(page);
  await page.locator("#f-name").fill("Bager Hansen & Søn ApS");
  await go(page, "catalogs");
  await question(page, LEAVE).getByRole("button", { name: "Kassér ændringerne" }).click();
  await catalogsShown(page);
  eq(stored(backend).organisation.name, "Bager Hansen ApS", "the stored name is unchanged");
  await go(page, "organisation");
  await page.locator("#organisation-form").waitFor();
  eq(await page.locator("#f-name").inputValue(), "Bager Hansen ApS", "the page shows the stored name again");
});

test("leave: organisation — save stores the changes, then goes on", async ({ page, backend }) => {
  await openOrganisation(page);
  await page.locator("#f-name").fill("Bager Hansen & Søn ApS");
  await go(page, "catalogs");
  await question(page, LEAVE).getByRole("button", { name: "Gem", exact: true }).click();
  await catalogsShown(page);
  eq(stored(backend).organisation.name, "Bager Hansen & Søn ApS", "saved");
  eq(await page.locator(".org-name").innerText(), "Bager Hansen & Søn ApS", "the sidebar shows the new name");
  eq(await openDialogs(page), 0, "no question left open");
});

test("leave: organisation — a save the core refuses stays on the page with the issue shown", async ({ page, backend }) => {
  await openOrganisation(page);
  await page.locator("#f-name").fill("Bager Hansen & Søn ApS");
  await page.locator("#f-business_id").fill("24256791");
  await page.locator('[data-nav="overview"]').click();
  await question(page, LEAVE).getByRole("button", { name: "Gem", exact: true }).click();
  await page.getByRole("alert").filter({ hasText: "Intet blev gemt" }).waitFor();
  assert(await page.locator("#organisation-form").isVisible(), "still on the organisation page");
  await page.locator('#f-business_id-issues [data-code="organisation.cvr_invalid"]').waitFor();
  eq(await page.locator("#f-business_id").inputValue(), "24256791", "the typed CVR stays");
  eq(await page.locator("#f-name").inputValue(), "Bager Hansen & Søn ApS", "the typed name stays");
  eq((await focused(page)).id, "f-business_id", "focus on the field to fix");
  eq(stored(backend).organisation.name, "Bager Hansen ApS", "nothing saved");
  eq(stored(backend).organisation.business_id, "24256790", "nothing saved");
  eq(await openDialogs(page), 0, "the question is gone");
});

test("leave: editor without changes goes on without asking (sidebar and back link)", async ({ page }) => {
  await unlock(page);
  await openActivity(page, "newsletter");
  await page.getByRole("button", { name: "← Alle behandlingsaktiviteter" }).click();
  await page.locator("#flt-search").waitFor();
  await page.locator('tr[data-activity="newsletter"] .name button').click();
  await page.locator("form.editor").waitFor();
  await go(page, "organisation");
  await page.locator("#organisation-form").waitFor();
  eq(await openDialogs(page), 0, "no question");
});

test("leave: every activity opens without unsaved changes, so leaving it does not ask", async ({ page, backend }) => {
  await unlock(page);
  const ids = stored(backend).activities.map((a) => a.id);
  assert(ids.length >= 5, "the fixture has activities");
  for (const id of ids) {
    await openActivity(page, id);
    await page.locator(".editor-head .badge").first().waitFor();
    await go(page, "overview");
    await page.getByRole("region", { name: "Tal" }).waitFor();
    eq(await openDialogs(page), 0, `no question for ${id}`);
  }
});

test("leave: editor — the sidebar asks; keep editing keeps the edits, discard goes on", async ({ page, backend, shot }) => {
  await unlock(page);
  await openActivity(page, "newsletter");
  await page.locator("#f-name").fill("Nyhedsbrev til kunder");
  await go(page, "overview");
  const dialog = question(page, LEAVE);
  await dialog.waitFor();
  eq((await focused(page)).leave, "stay", "the focus is on the safe choice");
  await shot("leave-question");
  await dialog.getByRole("button", { name: "Fortsæt redigering" }).click();
  await dialog.waitFor({ state: "hidden" });
  eq(await page.locator("#f-name").inputValue(), "Nyhedsbrev til kunder", "the typed name stays");
  assert(await page.locator("form.editor").isVisible(), "still editing");

  await go(page, "overview");
  await dialog.getByRole("button", { name: "Kassér ændringerne" }).click();
  await page.getByRole("region", { name: "Tal" }).waitFor();
  eq(storedActivity(backend, "newsletter").name, "Nyhedsbrev", "nothing saved");
});

test("leave: editor — the back link asks; save stores and returns to the list", async ({ page, backend }) => {
  await unlock(page);
  await openActivity(page, "newsletter");
  await page.locator("#f-owner").fill("Marketingchef");
  await page.getByRole("button", { name: "← Alle behandlingsaktiviteter" }).click();
  const dialog = question(page, CLOSE);
  await dialog.waitFor();
  await dialog.getByRole("button", { name: "Gem", exact: true }).click();
  await page.locator("#flt-search").waitFor();
  eq(storedActivity(backend, "newsletter").owner, "Marketingchef", "saved");
});

test("leave: editor — the back link, discard goes back without saving", async ({ page, backend }) => {
  await unlock(page);
  await openActivity(page, "newsletter");
  await page.locator("#f-owner").fill("Marketingchef");
  await page.getByRole("button", { name: "← Alle behandlingsaktiviteter" }).click();
  await question(page, CLOSE).getByRole("button", { name: "Kassér ændringerne" }).click();
  await page.locator("#flt-search").waitFor();
  eq(storedActivity(backend, "newsletter").owner, "Marketing", "nothing saved");
});

test("leave: editor — a save the core refuses stays in the editor at the field to fix", async ({ page, backend }) => {
  await unlock(page);
  await openActivity(page, "kundeklub");
  await page.locator("#f-owner").fill("Salg");
  await go(page, "activities");
  await question(page, LEAVE).getByRole("button", { name: "Gem", exact: true }).click();
  await page.getByRole("alert").filter({ hasText: "Intet blev gemt" }).waitFor();
  assert(await page.locator("form.editor").isVisible(), "still editing");
  eq(await page.locator("#f-owner").inputValue(), "Salg", "the typed owner stays");
  await page.waitForFunction(() => document.activeElement?.id === "f-legal_bases-0-law");
  eq(storedActivity(backend, "kundeklub").owner, "Marketing", "nothing saved");
  eq(await openDialogs(page), 0, "the question is gone");
});

test("leave: lock with unsaved changes asks; keep editing stays, lock anyway locks", async ({ page, backend }) => {
  await openOrganisation(page);
  await page.locator("#f-name").fill("Bager Hansen & Søn ApS");
  await page.getByRole("button", { name: "Lås", exact: true }).click();
  const dialog = question(page, LOCK);
  await dialog.waitFor();
  for (const name of ["Gem og lås", "Lås alligevel", "Fortsæt redigering"]) await dialog.getByRole("button", { name, exact: true }).waitFor();
  eq((await focused(page)).leave, "stay", "the focus is on the safe choice");
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });
  eq(await page.locator("#f-name").inputValue(), "Bager Hansen & Søn ApS", "the typed name stays");
  assert(backend.open !== null, "not locked");

  await page.keyboard.press("Control+l");
  await dialog.getByRole("button", { name: "Lås alligevel" }).click();
  await page.locator("#unlock-pass").waitFor();
  eq(backend.open, null, "locked");
  eq(stored(backend).organisation.name, "Bager Hansen ApS", "the changes are lost");
});

test("leave: lock — save and lock stores the changes first", async ({ page, backend }) => {
  await unlock(page);
  await openActivity(page, "newsletter");
  await page.locator("#f-owner").fill("Marketingchef");
  await page.keyboard.press("Control+l");
  await question(page, LOCK).getByRole("button", { name: "Gem og lås" }).click();
  await page.locator("#unlock-pass").waitFor();
  eq(storedActivity(backend, "newsletter").owner, "Marketingchef", "saved");
  eq(backend.open, null, "locked");
});

test("leave: auto-lock does not ask, even with a question open", async ({ page, backend }) => {
  backend.settings.auto_lock_minutes = 1;
  await page.reload();
  await openOrganisation(page);
  await page.locator("#f-name").fill("Bager Hansen & Søn ApS");
  await page.clock.fastForward(61_000);
  await page.locator("#unlock-pass").waitFor();
  eq(backend.open, null, "locked without asking");
  eq(stored(backend).organisation.name, "Bager Hansen ApS", "unsaved changes are lost");

  await unlockAgain(page);
  await go(page, "organisation");
  await page.locator("#f-name").fill("Bager Hansen & Søn ApS");
  await go(page, "catalogs");
  await question(page, LEAVE).waitFor();
  await page.clock.fastForward(61_000);
  await page.locator("#unlock-pass").waitFor();
  eq(backend.open, null, "locked with the question open");
  eq(await openDialogs(page), 0, "no question left over");
  await unlockAgain(page);
  await page.locator('[data-nav="overview"][aria-current="page"]').waitFor();
  eq(await openDialogs(page), 0, "no question after unlocking");
}, { clock: true });

async function unlockAgain(page) {
  await page.locator("#unlock-pass").fill(PASSPHRASE);
  await page.locator("#unlock-pass").press("Enter");
  await page.locator("nav.sidebar").waitFor();
}

test("leave: catalogs — locking with a changed entry open asks", async ({ page, backend }) => {
  await unlock(page);
  await go(page, "catalogs");
  await page.getByRole("button", { name: "Redigér Kontaktoplysninger (e-mail, telefon)" }).click();
  await page.getByTestId("catalog-form").waitFor();
  await page.keyboard.press("Control+l");
  await page.locator("#unlock-pass").waitFor(); // unchanged: no question
  await unlockAgain(page);
  await go(page, "catalogs");
  await page.getByRole("button", { name: "Redigér Kontaktoplysninger (e-mail, telefon)" }).click();
  await page.locator("#f-name").fill("Kontaktoplysninger (kunder)");
  await page.keyboard.press("Control+l");
  const dialog = question(page, LOCK);
  await dialog.waitFor();
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });
  eq(await page.locator("#f-name").inputValue(), "Kontaktoplysninger (kunder)", "the entry stays open as typed");
  await page.keyboard.press("Control+l");
  await dialog.getByRole("button", { name: "Gem og lås" }).click();
  await page.locator("#unlock-pass").waitFor();
  eq(stored(backend).data_categories.find((c) => c.id === "contact").name, "Kontaktoplysninger (kunder)", "saved, then locked");
});
