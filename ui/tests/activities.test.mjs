import { test } from "./harness.mjs";
import { assert, eq, unlock, go } from "./helpers.mjs";

async function rows(page) {
  return page.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-activity")));
}

test("overview shows counts, issues per activity and reviews", async ({ page, shot }) => {
  await unlock(page);
  await page.getByRole("heading", { name: "Det mangler" }).waitFor();
  assert((await page.locator(".counts").innerText()).includes("7"), "activity count");
  await page.locator('[data-issue="legal_basis.law_missing"]').waitFor();
  await page.locator('[data-review="cctv"]').waitFor();
  await shot("05-overview");
});

test("activities list: search and every filter use the summary flags", async ({ page, shot }) => {
  await unlock(page);
  await go(page, "activities");
  await page.locator("tbody tr").first().waitFor();
  eq((await rows(page)).length, 7, "all rows");
  await shot("06-activities");
  await page.locator("#flt-search").fill("nyhed");
  eq(await rows(page), ["newsletter"], "search by name");
  await page.locator("#flt-search").fill("");
  await page.locator("#flt-role").selectOption("processor");
  eq(await rows(page), ["catering-for-cafe"], "role filter");
  await page.locator("#flt-role").selectOption("");
  await page.locator("#flt-basis").selectOption("6-1-a");
  eq(await rows(page), ["newsletter"], "legal basis filter");
  await page.locator("#flt-basis").selectOption("");
  await page.locator("#flt-special").check();
  eq(await rows(page), ["payroll"], "special categories");
  await page.locator("#flt-special").uncheck();
  await page.locator("#flt-transfers").check();
  eq(await rows(page), ["newsletter"], "transfers");
  await page.locator("#flt-transfers").uncheck();
  await page.locator("#flt-overdue").check();
  eq(await rows(page), ["cctv"], "review overdue");
  await page.getByRole("button", { name: "Nulstil filtre" }).click();
  await page.locator("#flt-status").selectOption("draft");
  eq(await rows(page), [], "no drafts");
  await page.getByText("Ingen behandlingsaktiviteter passer").waitFor();
});

test("activities list shows error and warning badges", async ({ page }) => {
  await unlock(page);
  await go(page, "activities");
  const badges = await page.locator('tr[data-activity="kundeklub"] .issues').innerText();
  assert(badges.includes("1 fejl"), `error badge: ${badges}`);
  const cctv = await page.locator('tr[data-activity="cctv"] .issues').innerText();
  assert(cctv.includes("1 advarsel"), `warning badge: ${cctv}`);
});

test("safety: change log table, verify result, backup and passphrase change", async ({ page, backend, shot }) => {
  await unlock(page);
  await go(page, "safety");
  await page.locator("table.data tbody tr").first().waitFor();
  assert((await page.locator("table.data").innerText()).includes("Ændret"), "log rows in words");
  await page.getByRole("button", { name: "Kontrollér nu" }).click();
  await page.getByTestId("verify-result").filter({ hasText: "Fortegnelsen er intakt" }).waitFor();
  backend.dialogAnswers.push("/home/dpo/backup.ropa");
  await page.getByRole("button", { name: "Tag sikkerhedskopi …" }).click();
  await page.getByText("/home/dpo/backup.ropa").waitFor();
  await page.locator("#pp-current").fill("forkert");
  await page.locator("#pp-new").fill("ny lang adgangsfrase");
  await page.locator("#pp-repeat").fill("ny lang adgangsfrase");
  await page.locator("#pp-repeat").press("Enter");
  await page.getByText("Forkert adgangsfrase").waitFor();
  eq(await page.locator("#pp-new").inputValue(), "", "passphrase fields cleared");
  await page.locator("#pp-current").fill("korrekt hest batteri");
  await page.locator("#pp-new").fill("ny lang adgangsfrase");
  await page.locator("#pp-repeat").fill("ny lang adgangsfrase");
  await page.locator("#pp-repeat").press("Enter");
  await page.getByText("Adgangsfrasen er ændret").waitFor();
  eq(backend.registers.values().next().value.passphrase, "ny lang adgangsfrase", "changed");
  await shot("12-safety");
});
