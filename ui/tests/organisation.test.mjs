import { test } from "./harness.mjs";
import { assert, eq, unlock, go, EXISTING } from "./helpers.mjs";

const focusedId = (page) => page.evaluate(() => document.activeElement?.id);
const stored = (backend) => backend.registers.get(EXISTING).content.organisation;

async function openOrganisation(page) {
  await unlock(page);
  await go(page, "organisation");
  await page.locator("#organisation-form").waitFor();
}

test("organisation: every field of the profile, labelled, with the stored values", async ({ page, shot }) => {
  await openOrganisation(page);
  eq(await page.locator("#f-name").inputValue(), "Bager Hansen ApS", "name");
  eq(await page.locator("#f-country").inputValue(), "DK", "country");
  eq(await page.locator("#f-business_id").inputValue(), "24256790", "CVR");
  eq(await page.locator("#f-address").inputValue(), "Østergade 12\n8000 Aarhus C", "address");
  eq(await page.locator("#f-language").inputValue(), "da", "language of reports");
  eq(await page.locator("#f-contact-email").inputValue(), "soren@bagerhansen.dk", "contact email");
  assert(await page.locator("#dpo-none").isChecked(), "no DPO appointed");
  assert(!(await page.locator("#rep-toggle").isChecked()), "no EU representative");
  assert((await page.locator("#f-security_measures").inputValue()).startsWith("Adgang til it-systemer"), "security measures");
  await page.getByLabel("CVR-nummer").waitFor();
  await page.getByTestId("business-id-ok").filter({ hasText: "Kontrolcifferet passer" }).waitFor();
  await page.locator("#dpo-appointed").check();
  await page.locator("#rep-toggle").check();
  const unlabeled = await page.evaluate(() =>
    [...document.querySelectorAll("#organisation-form input, #organisation-form select, #organisation-form textarea")]
      .filter((el) => !el.labels || el.labels.length === 0 || !el.labels[0].textContent.trim())
      .map((el) => el.id || el.outerHTML.slice(0, 60)),
  );
  eq(unlabeled, [], "inputs without a label");
  for (const id of ["f-dpo-name", "f-dpo-email", "f-dpo-phone", "f-eu_representative-name", "f-eu_representative-email", "f-eu_representative-phone", "f-contact-name", "f-contact-phone"]) {
    assert(await page.locator("#" + id).count(), `field ${id}`);
  }
  await page.locator("#dpo-none").check();
  await page.locator("#rep-toggle").uncheck();
  await page.evaluate(() => document.querySelector("main.content").scrollTo(0, 0));
  await shot("13-organisation");
});

test("organisation: a wrong CVR check digit is shown at the field as you type; save is refused and the edits stay", async ({ page, backend, shot }) => {
  await openOrganisation(page);
  const before = backend.calls.filter((c) => c === "check_organisation").length;
  await page.locator("#f-business_id").fill("");
  await page.locator("#f-business_id").pressSequentially("24256791");
  const issue = page.locator('#f-business_id-issues [data-code="organisation.cvr_invalid"]');
  await issue.waitFor();
  assert((await issue.innerText()).includes("kontrolcifferet skal passe"), "message in Danish from the catalog");
  eq(await page.locator("#f-business_id").getAttribute("aria-invalid"), "true", "aria-invalid");
  eq(await page.getByTestId("business-id-ok").count(), 0, "no 'check digit correct' while wrong");
  assert(backend.calls.filter((c) => c === "check_organisation").length - before < 8, "debounced, not one check per key");
  await shot("14-organisation-cvr-invalid");

  await page.locator("#f-business_id").press("Enter");
  await page.getByRole("alert").filter({ hasText: "Intet blev gemt" }).waitFor();
  eq(stored(backend).business_id, "24256790", "not saved");
  eq(await page.locator("#f-business_id").inputValue(), "24256791", "the typed value stays");
  eq(await focusedId(page), "f-business_id", "focus on the field with the error");
  await page.getByTestId("unsaved").waitFor();

  await page.locator("#f-business_id").fill("12345674");
  await issue.waitFor({ state: "detached" });
  await page.getByTestId("business-id-ok").waitFor();
  await page.locator("#f-business_id").press("Enter");
  await page.getByTestId("org-notice").filter({ hasText: "Gemt." }).waitFor();
  eq(stored(backend).business_id, "12345674", "saved once valid");
  eq(await page.getByTestId("unsaved").count(), 0, "nothing unsaved");
});

test("organisation: a missing CVR number is a warning that does not block saving", async ({ page, backend }) => {
  await openOrganisation(page);
  await page.locator("#f-business_id").fill("");
  const issue = page.locator('#f-business_id-issues [data-code="organisation.cvr_missing"]');
  await issue.waitFor();
  assert((await issue.getAttribute("class")).includes("warning"), "a warning");
  await page.getByRole("button", { name: "Gem", exact: true }).first().click();
  await page.getByTestId("org-notice").filter({ hasText: "Gemt med 1 advarsel" }).waitFor();
  eq(stored(backend).business_id, "", "saved without CVR");
  await issue.waitFor();
});

test("organisation: an empty name is an error at the name field", async ({ page, backend }) => {
  await openOrganisation(page);
  await page.locator("#f-name").fill("   ");
  await page.locator('#f-name-issues [data-code="organisation.name_missing"]').waitFor();
  await page.keyboard.press("Control+s");
  await page.getByRole("alert").filter({ hasText: "Intet blev gemt" }).waitFor();
  eq(stored(backend).name, "Bager Hansen ApS", "not saved");
});

test("organisation: Norway asks for an organisasjonsnummer and checks its check digit", async ({ page, backend }) => {
  await openOrganisation(page);
  await page.locator("#f-country").selectOption("NO");
  await page.getByLabel("Organisasjonsnummer").waitFor();
  // The Danish CVR number is not a valid organisasjonsnummer.
  await page.locator('#f-business_id-issues [data-code="organisation.orgnr_invalid"]').waitFor();
  await page.locator("#f-business_id").fill("923 609 016");
  await page.locator('#f-business_id-issues [data-code="organisation.orgnr_invalid"]').waitFor({ state: "detached" });
  await page.getByTestId("business-id-ok").waitFor();
  await page.keyboard.press("Control+s");
  await page.getByTestId("org-notice").filter({ hasText: "Gemt." }).waitFor();
  eq([stored(backend).country, stored(backend).business_id], ["NO", "923 609 016"], "saved");
});

test("organisation: saved values survive a reload; the sidebar shows the new name", async ({ page, backend }) => {
  await openOrganisation(page);
  await page.locator("#f-name").fill("Bager Hansen & Søn ApS");
  await page.locator("#f-address").fill("Vestergade 3\n8000 Aarhus C");
  await page.locator("#f-contact-name").fill("Mette Hansen");
  await page.locator("#f-contact-phone").fill("+45 86 00 00 00");
  await page.locator("#f-language").selectOption("en");
  await page.locator("#dpo-appointed").check();
  await page.locator("#f-dpo-name").fill("Jens Jensen");
  await page.locator("#f-dpo-email").fill("dpo@example.dk");
  await page.locator("#rep-toggle").check();
  await page.locator("#f-eu_representative-name").fill("EU Rep GmbH");
  await page.locator("#f-security_measures").fill("Kryptering og to-faktor.");
  await page.getByRole("button", { name: "Gem", exact: true }).last().click();
  await page.getByTestId("org-notice").filter({ hasText: "Gemt." }).waitFor();
  eq(await page.locator(".org-name").innerText(), "Bager Hansen & Søn ApS", "sidebar name");
  const o = stored(backend);
  eq(o.dpo, { name: "Jens Jensen", email: "dpo@example.dk", phone: "" }, "DPO stored");
  eq(o.eu_representative.name, "EU Rep GmbH", "representative stored");
  eq(o.language, "en", "report language stored");

  await page.reload();
  await page.locator("nav.sidebar").waitFor();
  await go(page, "organisation");
  await page.locator("#organisation-form").waitFor();
  eq(await page.locator("#f-name").inputValue(), "Bager Hansen & Søn ApS", "name after reload");
  eq(await page.locator("#f-address").inputValue(), "Vestergade 3\n8000 Aarhus C", "address after reload");
  eq(await page.locator("#f-contact-name").inputValue(), "Mette Hansen", "contact after reload");
  eq(await page.locator("#f-dpo-name").inputValue(), "Jens Jensen", "DPO after reload");
  eq(await page.locator("#f-eu_representative-name").inputValue(), "EU Rep GmbH", "representative after reload");
  eq(await page.locator("#f-language").inputValue(), "en", "language after reload");
  eq(await page.locator("#f-security_measures").inputValue(), "Kryptering og to-faktor.", "security after reload");

  await page.locator("#dpo-none").check();
  await page.keyboard.press("Control+s");
  await page.getByTestId("org-notice").filter({ hasText: "Gemt." }).waitFor();
  eq(stored(backend).dpo, null, "no DPO stored as null");
  // Switching back brings the typed DPO back, so a mis-click loses nothing.
  await page.locator("#dpo-appointed").check();
  eq(await page.locator("#f-dpo-name").inputValue(), "Jens Jensen", "DPO kept in the form");
});

test("organisation: Esc reverts unsaved changes, and they can be brought back", async ({ page, backend }) => {
  await openOrganisation(page);
  await page.locator("#f-name").fill("Forkert navn");
  await page.locator("#f-business_id").fill("1111");
  await page.locator('#f-business_id-issues [data-code="organisation.cvr_invalid"]').waitFor();
  await page.keyboard.press("Escape");
  eq(await page.locator("#f-name").inputValue(), "Bager Hansen ApS", "name reverted");
  eq(await page.locator("#f-business_id").inputValue(), "24256790", "CVR reverted");
  await page.locator('#f-business_id-issues [data-code="organisation.cvr_invalid"]').waitFor({ state: "detached" });
  eq(await page.getByTestId("unsaved").count(), 0, "nothing unsaved");
  await page.getByRole("button", { name: "Gendan dem" }).click();
  eq(await page.locator("#f-name").inputValue(), "Forkert navn", "brought back");
  await page.getByTestId("unsaved").waitFor();
  await page.keyboard.press("Escape");
  eq(await page.locator("#f-name").inputValue(), "Bager Hansen ApS", "reverted again");
  assert(!backend.calls.includes("save_organisation"), "nothing was saved");
  eq(stored(backend).name, "Bager Hansen ApS", "stored name unchanged");
});

test("organisation: keyboard only — tab order follows the form, Enter saves", async ({ page, backend }) => {
  await openOrganisation(page);
  await page.locator("#f-name").focus();
  const order = [];
  for (let i = 0; i < 9; i++) {
    await page.keyboard.press("Tab");
    order.push(await focusedId(page));
  }
  eq(order, ["f-country", "f-business_id", "f-address", "f-language", "f-contact-name", "f-contact-email", "f-contact-phone", "dpo-none", "rep-toggle"], "tab order");
  // Arrow keys move between the radio buttons: appoint a DPO without the mouse.
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("ArrowRight");
  eq(await focusedId(page), "dpo-appointed", "DPO appointed by arrow key");
  await page.keyboard.press("Tab");
  eq(await focusedId(page), "f-dpo-name", "the DPO's fields follow");
  await page.keyboard.type("Jens Jensen");
  await page.keyboard.press("Enter");
  await page.getByTestId("org-notice").filter({ hasText: "Gemt." }).waitFor();
  eq(stored(backend).dpo?.name, "Jens Jensen", "saved by Enter");
});

test(
  "organisation: an overview issue opens the page at the business-id field",
  async ({ page }) => {
    await unlock(page);
    await page.getByRole("button", { name: "Tilføj organisationens CVR-nummer." }).click();
    await page.locator("#organisation-form").waitFor();
    await page.waitForFunction(() => document.activeElement?.id === "f-business_id");
    await page.locator('#f-business_id-issues [data-code="organisation.cvr_missing"]').waitFor();
  },
  { setup: (backend) => (backend.registers.get(EXISTING).content.organisation.business_id = "") },
);

test(
  "organisation: in Norwegian, the texts and the core's messages are Norwegian",
  async ({ page, shot }) => {
    await openOrganisation(page);
    await page.getByRole("heading", { name: "Personvernombud" }).waitFor();
    await page.locator("#f-country").selectOption("NO");
    await page.getByLabel("Organisasjonsnummer").waitFor();
    const issue = page.locator('#f-business_id-issues [data-code="organisation.orgnr_invalid"]');
    await issue.waitFor();
    assert((await issue.innerText()).includes("Ikke et gyldig organisasjonsnummer"), "Norwegian message");
    await page.evaluate(() => document.querySelector("main.content").scrollTo(0, 0));
    await shot("15-organisation-nb");
  },
  { setup: (backend) => (backend.settings.language = "nb") },
);
