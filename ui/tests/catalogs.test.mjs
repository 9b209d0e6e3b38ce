import { test } from "./harness.mjs";
import { assert, eq, unlock, go, openActivity, EXISTING } from "./helpers.mjs";

const focusedId = (page) => page.evaluate(() => document.activeElement?.id);
const content = (backend) => backend.registers.get(EXISTING).content;
const rowIds = (page) => page.locator('[role="tabpanel"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-entry")));
const row = (page, id) => page.locator(`[role="tabpanel"] tr[data-entry="${id}"]`);
const form = (page) => page.getByTestId("catalog-form");

async function openCatalogs(page) {
  await unlock(page);
  await go(page, "catalogs");
  await page.getByRole("tablist").waitFor();
}

test("catalogs: three tabs list every entry with its classification, kind and country", async ({ page, backend, shot }) => {
  await openCatalogs(page);
  const c = content(backend);
  eq(await rowIds(page), c.data_categories.map((x) => x.id), "data categories in catalog order");
  const sick = await row(page, "sickness").innerText();
  assert(sick.includes("Særlige kategorier") && sick.includes("Helbredsoplysninger"), `special category shown: ${sick}`);
  assert((await row(page, "cpr").innerText()).includes("Personnummer (CPR-nummer)"), "national id shown");
  assert((await row(page, "criminal-record").innerText()).includes("strafbare forhold"), "criminal shown");
  assert((await row(page, "cctv").innerText()).includes("Tv-overvågning"), "description shown");
  await shot("16-catalogs-data");

  // The tabs work with the arrow keys.
  await page.getByRole("tab", { name: /Kategorier af personoplysninger/ }).focus();
  await page.keyboard.press("ArrowRight");
  eq(await focusedId(page), "tab-subject-category", "focus moved to the next tab");
  eq(await page.getByRole("tab", { name: /Kategorier af registrerede/ }).getAttribute("aria-selected"), "true", "and selected it");
  eq(await rowIds(page), c.subject_categories.map((x) => x.id), "subject categories");
  assert((await row(page, "visitors").innerText()).includes("Sårbare"), "vulnerable marked");
  eq(await row(page, "customers").locator(".badge").count(), 0, "others not marked");

  await page.keyboard.press("End");
  eq(await rowIds(page), c.recipients.map((x) => x.id), "recipients");
  const crm = await row(page, "crm").innerText();
  assert(crm.includes("Databehandler") && crm.includes("USA (US)"), `kind and country in words: ${crm}`);
  await shot("17-catalogs-recipients");
});

test("catalogs: a new data category of kind special needs its Art. 9 category, then shows in the list", async ({ page, backend, shot }) => {
  await openCatalogs(page);
  await page.getByRole("button", { name: "Ny kategori af personoplysninger" }).click();
  await form(page).waitFor();
  eq(await focusedId(page), "f-name", "the name field has focus");
  await page.locator("#f-name").fill("Fagforeningskontingent");
  await page.locator("#kind-special").check();
  await page.locator("#f-special_category").waitFor();
  await page.locator("#f-name").press("Enter");
  const missing = page.locator('#f-special_category-issues [data-code="data_category.special_category_missing"]');
  await missing.waitFor();
  assert((await missing.innerText()).includes("Vælg hvilken særlig kategori"), "core's message in Danish");
  await form(page).getByRole("alert").filter({ hasText: "Intet blev gemt" }).waitFor();
  assert(!content(backend).data_categories.some((x) => x.name === "Fagforeningskontingent"), "not saved yet");
  await shot("18-catalogs-special-missing");

  await page.locator("#f-special_category").selectOption("trade-union-membership");
  await page.locator("#f-description").fill("Kontingent, der trækkes i lønnen.");
  await form(page).getByRole("button", { name: "Gem" }).click();
  await form(page).waitFor({ state: "hidden" });
  await page.getByTestId("catalog-notice").filter({ hasText: "»Fagforeningskontingent« er gemt." }).waitFor();
  const text = await row(page, "fagforeningskontingent").innerText();
  assert(text.includes("Særlige kategorier") && text.includes("Fagforeningsmæssigt tilhørsforhold"), `listed as special: ${text}`);
  eq(
    content(backend).data_categories.find((x) => x.id === "fagforeningskontingent"),
    { id: "fagforeningskontingent", name: "Fagforeningskontingent", kind: "special", special_category: "trade-union-membership", description: "Kontingent, der trækkes i lønnen." },
    "stored",
  );
  assert((await page.getByRole("tab", { name: /Kategorier af personoplysninger/ }).innerText()).includes("12"), "count in the tab");

  // The activity editor offers the new category at once.
  await openActivity(page, "payroll");
  const offered = await page.locator("#matrix-add-row option").allInnerTexts();
  assert(offered.includes("Fagforeningskontingent"), `offered in the matrix: ${offered}`);
});

test("catalogs: a new entry never takes an existing id; an empty name is refused at the field", async ({ page, backend }) => {
  await openCatalogs(page);
  await page.getByRole("button", { name: "Ny kategori af personoplysninger" }).click();
  await form(page).getByRole("button", { name: "Gem" }).click();
  await page.locator('#f-name-issues [data-code="catalog.name_missing"]').waitFor();
  eq(await page.locator("#f-name").getAttribute("aria-invalid"), "true", "name marked");
  eq(await focusedId(page), "f-name", "focus on the name");
  await page.locator("#f-name").fill("Bank");
  await page.locator("#f-name").press("Enter");
  await form(page).waitFor({ state: "hidden" });
  const cats = content(backend).data_categories;
  eq(cats.find((x) => x.id === "bank")?.name, "Bankkonto (løn)", "the existing 'bank' is untouched");
  eq(cats.find((x) => x.id === "bank-2")?.name, "Bank", "the new one got its own id");
  await row(page, "bank-2").waitFor();
});

test("catalogs: deleting an entry in use is refused with the reason, and the entry stays", async ({ page, backend, shot }) => {
  await openCatalogs(page);
  const cases = [
    ["data-category", /Kategorier af personoplysninger/, "sickness", "Sygefravær og helbredsoplysninger", "slettefrist"],
    ["subject-category", /Kategorier af registrerede/, "employees", "Medarbejdere", "»Personoplysninger og registrerede«"],
    ["recipient", /Modtagere/, "crm", "CRM-leverandør (nyhedsbrev)", "tredjeland"],
  ];
  for (const [kind, tab, id, name, reason] of cases) {
    await page.getByRole("tab", { name: tab }).click();
    await row(page, id).getByRole("button", { name: `Slet ${name}` }).click();
    await page.getByRole("heading", { name: `Slet »${name}«?` }).waitFor();
    await page.getByRole("dialog").getByRole("button", { name: "Slet" }).click();
    const alert = page.getByRole("alert").filter({ hasText: `»${name}« blev ikke slettet` });
    await alert.waitFor();
    assert((await alert.innerText()).includes(reason), `${kind}: the reason names where it is used`);
    assert((await row(page, id).getAttribute("class")).includes("refused"), `${kind}: the row is marked`);
    const key = { "data-category": "data_categories", "subject-category": "subject_categories", recipient: "recipients" }[kind];
    assert(content(backend)[key].some((x) => x.id === id), `${kind}: still stored`);
    if (kind === "data-category") await shot("19-catalogs-in-use");
  }
  assert(!backend.registers.get(EXISTING).log.some((e) => e.action === "delete"), "nothing deleted");
});

test(
  "catalogs: delete asks first — Esc or Cancel keeps the entry, Delete removes an unused one",
  async ({ page, backend }) => {
    await openCatalogs(page);
    await page.getByRole("tab", { name: /Modtagere/ }).click();
    const button = row(page, "old-bank").getByRole("button", { name: "Slet Gammel bank" });
    await button.click();
    await page.getByRole("heading", { name: "Slet »Gammel bank«?" }).waitFor();
    await page.keyboard.press("Escape");
    await page.getByRole("heading", { name: "Slet »Gammel bank«?" }).waitFor({ state: "hidden" });
    await button.click();
    await page.getByRole("dialog").getByRole("button", { name: "Annullér" }).click();
    await page.getByRole("heading", { name: "Slet »Gammel bank«?" }).waitFor({ state: "hidden" });
    assert(content(backend).recipients.some((x) => x.id === "old-bank"), "kept after cancelling");

    await button.click();
    await page.getByRole("dialog").getByRole("button", { name: "Slet" }).click();
    await page.getByTestId("catalog-notice").filter({ hasText: "»Gammel bank« er slettet." }).waitFor();
    eq(await row(page, "old-bank").count(), 0, "gone from the list");
    assert(!content(backend).recipients.some((x) => x.id === "old-bank"), "gone from the register");
    eq(await focusedId(page), "add-recipient", "focus stays on the page");
  },
  { setup: (backend) => backend.registers.get(EXISTING).content.recipients.push({ id: "old-bank", name: "Gammel bank", kind: "bank", country: "DK" }) },
);

test("catalogs: edit a recipient — kind and country; a bad country code is shown at the field", async ({ page, backend }) => {
  await openCatalogs(page);
  await page.getByRole("tab", { name: /Modtagere/ }).click();
  await row(page, "crm").getByRole("button", { name: "Redigér CRM-leverandør (nyhedsbrev)" }).click();
  await form(page).waitFor();
  eq(await page.locator("#f-kind").inputValue(), "processor", "current kind");
  eq(await page.locator("#f-country").inputValue(), "US", "current country");
  assert((await form(page).innerText()).includes("Id: crm"), "the id is shown, read-only");
  await page.locator("#f-country").fill("u1");
  eq(await page.locator("#f-country").inputValue(), "U1", "upper-cased as typed");
  await page.locator("#f-country").press("Enter");
  await page.locator('#f-country-issues [data-code="recipient.country_invalid"]').waitFor();
  eq(content(backend).recipients.find((x) => x.id === "crm").country, "US", "not saved");
  await page.locator("#f-country").fill("gb");
  await form(page).getByText("Storbritannien").waitFor();
  await page.locator("#f-kind").selectOption("other-controller");
  await page.locator("#f-name").fill("CRM-leverandør (UK)");
  await page.locator("#f-name").press("Enter");
  await form(page).waitFor({ state: "hidden" });
  eq(content(backend).recipients.find((x) => x.id === "crm"), { id: "crm", name: "CRM-leverandør (UK)", kind: "other-controller", country: "GB" }, "stored under the same id");
  const text = await row(page, "crm").innerText();
  assert(text.includes("Anden dataansvarlig") && text.includes("Storbritannien (GB)"), `row updated: ${text}`);
});

test("catalogs: Esc in the form closes it without saving", async ({ page, backend }) => {
  await openCatalogs(page);
  await row(page, "contact").getByRole("button", { name: "Redigér Kontaktoplysninger (e-mail, telefon)" }).click();
  await form(page).waitFor();
  eq(await page.locator("#kind-general").isChecked(), true, "kind shown");
  await page.locator("#f-name").fill("Ændret");
  await page.keyboard.press("Escape");
  await form(page).waitFor({ state: "hidden" });
  eq(content(backend).data_categories.find((x) => x.id === "contact").name, "Kontaktoplysninger (e-mail, telefon)", "unchanged");
  assert(!backend.calls.includes("save_data_category"), "nothing saved");
});

test("catalogs: keyboard only — a new vulnerable subject category", async ({ page, backend }) => {
  await openCatalogs(page);
  await page.getByRole("tab", { name: /Kategorier af personoplysninger/ }).focus();
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("Tab");
  eq(await focusedId(page), "add-subject-category", "Tab leads from the tabs to the add button");
  await page.keyboard.press("Enter");
  await form(page).waitFor();
  await page.keyboard.type("Børn i kundeklubben");
  await page.keyboard.press("Tab");
  eq(await focusedId(page), "subject-vulnerable", "then the vulnerable flag");
  await page.keyboard.press("Space");
  await page.keyboard.press("Enter");
  await form(page).waitFor({ state: "hidden" });
  eq(content(backend).subject_categories.find((x) => x.id === "boern-i-kundeklubben"), { id: "boern-i-kundeklubben", name: "Børn i kundeklubben", vulnerable: true }, "stored");
  assert((await row(page, "boern-i-kundeklubben").innerText()).includes("Sårbare"), "listed as vulnerable");
});

test(
  "catalogs: an empty catalog says so, in Norwegian",
  async ({ page, shot }) => {
    await openCatalogs(page);
    await page.getByRole("tab", { name: /Mottakere/ }).click();
    await page.getByText("Det er ennå ingen mottakere.").waitFor();
    await page.getByRole("button", { name: "Ny mottaker" }).click();
    await page.getByLabel("Type mottaker").waitFor();
    await shot("20-catalogs-new-recipient-nb");
  },
  {
    setup: (backend) => {
      backend.settings.language = "nb";
      backend.registers.get(EXISTING).content.recipients = [];
    },
  },
);
