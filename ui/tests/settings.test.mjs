// The settings page's country lists: shown as core has them, a bad code refused at its field with
// nothing saved, an edit saved and marked, and the shipped list back after a reset.
import { test } from "./harness.mjs";
import { assert, eq, unlock, go } from "./helpers.mjs";

test("settings, the country lists: a bad code is refused at its field, an edit is saved and reset", async ({ page, backend }) => {
  await unlock(page);
  await go(page, "settings");
  const adequacy = page.locator('[data-list="adequacy"]');
  await adequacy.locator("#cl-adequacy-countries").waitFor();
  eq(await adequacy.locator("#cl-adequacy-as-of").inputValue(), "2025-07-01", "the shipped date");
  assert((await adequacy.locator("#cl-adequacy-countries").inputValue()).startsWith("AD, AR, CA"), "the shipped codes");
  eq(await adequacy.locator("[data-edited]").textContent(), "Som leveret med ropa", "marked shipped");
  assert(await adequacy.locator('[data-action="reset-list"]').isDisabled(), "nothing to reset");

  const shipped = await adequacy.locator("#cl-adequacy-countries").inputValue();
  await adequacy.locator("#cl-adequacy-as-of").fill("2026-09-01");
  await adequacy.locator("#cl-adequacy-countries").fill(`${shipped}, br`);
  await adequacy.locator('[data-action="save-list"]').click();
  const error = adequacy.locator("#cl-adequacy-countries-error");
  await error.waitFor();
  eq(await error.textContent(), "»br« er ikke en landekode efter ISO 3166-1 alpha-2 (to store bogstaver, fx DK). Intet er gemt.", "the code named");
  eq(await adequacy.locator("#cl-adequacy-countries").getAttribute("aria-invalid"), "true", "the field marked");
  eq(backend.countryLists.adequacy.edited, false, "nothing saved");

  await adequacy.locator("#cl-adequacy-countries").fill(`${shipped}, BR`);
  await adequacy.locator('[data-action="save-list"]').click();
  await adequacy.getByRole("status").filter({ hasText: "Listen er gemt." }).waitFor();
  eq(await error.count(), 0, "the field error is gone");
  eq(backend.countryLists.adequacy.as_of, "2026-09-01", "the date saved");
  assert(backend.countryLists.adequacy.countries.includes("BR"), "the code saved");
  eq(await adequacy.locator("[data-edited]").textContent(), "Rettet af dig", "marked edited");

  await adequacy.locator('[data-action="reset-list"]').click();
  await adequacy.getByRole("status").filter({ hasText: "Den leverede liste gælder igen." }).waitFor();
  eq(await adequacy.locator("#cl-adequacy-as-of").inputValue(), "2025-07-01", "the shipped date again");
  eq(backend.countryLists.adequacy.edited, false, "reset");
});
