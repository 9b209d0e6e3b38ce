import { test } from "./harness.mjs";
import { assert, eq, unlock, go, EXISTING } from "./helpers.mjs";

test("start screen lists recent registers in Danish", async ({ page, shot }) => {
  await page.getByRole("heading", { name: "Opret en ny fortegnelse" }).waitFor();
  const text = await page.locator(".recent-item").first().innerText();
  assert(text.includes("Bager Hansen ApS"), "recent register shown");
  await shot("01-start");
});

test("create a new register: dialog, passphrase twice, lands in the shell", async ({ page, backend, shot }) => {
  backend.dialogAnswers.push("/home/dpo/Nyt Firma.ropa");
  await page.locator("#new-name").fill("Nyt Firma ApS");
  await page.locator("#new-pass").fill("kort");
  assert((await page.locator(".strength").innerText()).includes("For kort"), "strength hint says too short");
  await page.locator("#new-pass").fill("lang nok adgangsfrase 7");
  await page.locator("#new-repeat").fill("lang nok adgangsfrase 7");
  assert((await page.locator(".strength").innerText()).includes("Stærk"), "strength hint says strong");
  await shot("02-create");
  await page.getByRole("button", { name: "Vælg placering og opret" }).click();
  await page.locator("nav.sidebar").waitFor();
  assert((await page.locator(".org-name").innerText()) === "Nyt Firma ApS", "organisation in sidebar");
  const reg = backend.registers.get("/home/dpo/Nyt Firma.ropa");
  eq(reg.passphrase, "lang nok adgangsfrase 7", "created with the passphrase");
  eq(reg.content.organisation.country, "DK", "country");
  assert(backend.calls.indexOf("pick_new_register") < backend.calls.indexOf("create_register"), "dialog first");
});

test("create: the core's passphrase error is shown and nothing is created", async ({ page, backend }) => {
  backend.dialogAnswers.push("/home/dpo/x.ropa");
  await page.locator("#new-name").fill("X");
  await page.locator("#new-pass").fill("kort");
  await page.locator("#new-repeat").fill("kort");
  await page.locator("#new-pass").press("Enter");
  await page.getByRole("alert").filter({ hasText: "mindst 8 tegn" }).waitFor();
  assert(!backend.registers.has("/home/dpo/x.ropa"), "not created");
});

test("create: cancelling the save dialog stays on the start screen", async ({ page, backend }) => {
  await page.locator("#new-name").fill("X");
  await page.locator("#new-pass").fill("lang nok adgangsfrase");
  await page.locator("#new-repeat").fill("lang nok adgangsfrase");
  await page.getByRole("button", { name: "Vælg placering og opret" }).click();
  await page.waitForTimeout(100);
  assert(!backend.calls.includes("create_register"), "create not called");
  assert(await page.locator("#new-name").isVisible(), "still on start");
});

test("unlock: wrong passphrase shows the core error and stays; right one opens", async ({ page, shot }) => {
  await page.locator(".recent-item").first().click();
  await page.locator("#unlock-pass").fill("forkert");
  await page.locator("#unlock-pass").press("Enter");
  await page.getByRole("alert").filter({ hasText: "Forkert adgangsfrase" }).waitFor();
  eq(await page.locator("#unlock-pass").inputValue(), "", "field cleared");
  assert(await page.locator("#unlock-pass").evaluate((e) => e === document.activeElement), "focus back in field");
  await shot("03-unlock-wrong");
  await page.locator("#unlock-pass").fill("korrekt hest batteri");
  await page.getByRole("button", { name: "Lås op" }).click();
  await page.locator("nav.sidebar").waitFor();
  await page.getByRole("heading", { name: "Overblik" }).waitFor();
});

test("open existing via dialog, and forget a recent register", async ({ page, backend }) => {
  backend.dialogAnswers.push(EXISTING);
  await page.getByRole("button", { name: "Åbn en fortegnelse …" }).click();
  await page.locator("#unlock-pass").waitFor();
  await page.getByRole("button", { name: "Åbn en anden fortegnelse" }).click();
  await page.locator(".forget").first().click();
  await page.getByText("Du har ikke åbnet nogen fortegnelse").waitFor();
  eq(backend.recent.length, 0, "forgotten in the backend");
});

test("rollback warning is shown prominently and can be accepted", async ({ page, backend, shot }) => {
  backend.registers.get(EXISTING).rollback = { kind: "behind", file_seq: 12, known_seq: 15 };
  await page.locator(".recent-item").first().click();
  await page.locator("#unlock-pass").fill("korrekt hest batteri");
  await page.locator("#unlock-pass").press("Enter");
  await page.getByRole("heading", { name: "Advarsel: filen kan være erstattet" }).waitFor();
  assert((await page.locator(".rollback").innerText()).includes("post 12"), "names the entries");
  await shot("04-rollback");
  await page.getByRole("button", { name: "Godkend som den kendte tilstand" }).click();
  await page.locator("nav.sidebar").waitFor();
  eq(backend.registers.get(EXISTING).rollback, null, "accepted");
});

test("language switch in settings changes the texts and is saved", async ({ page, backend }) => {
  await unlock(page);
  await go(page, "settings");
  await page.locator("#set-language").selectOption("nb");
  await page.getByRole("heading", { name: "Innstillinger" }).waitFor();
  eq((await page.locator('[data-nav="overview"]').innerText()).trim().split("\n").pop(), "Oversikt", "sidebar in Norwegian");
  eq(backend.settings.language, "nb", "stored through save_settings");
  await page.locator("#set-language").selectOption("en");
  await page.getByRole("heading", { name: "Settings" }).waitFor();
  eq((await page.locator('[data-nav="activities"]').innerText()).trim().split("\n").pop(), "Processing activities", "sidebar in English");
  eq(await page.evaluate(() => document.documentElement.lang), "en", "html lang");
});

test("lock button clears the session and shows the unlock screen", async ({ page, backend }) => {
  await unlock(page);
  await page.getByRole("button", { name: "Lås", exact: true }).click();
  await page.locator("#unlock-pass").waitFor();
  eq(backend.open, null, "backend locked");
  assert(!(await page.content()).includes("Webshop"), "no register content left in the page");
});

test("auto-lock after the idle time from settings", async ({ page, backend }) => {
  backend.settings.auto_lock_minutes = 1;
  await page.reload();
  await unlock(page);
  await page.clock.fastForward(30_000);
  assert(await page.locator("nav.sidebar").isVisible(), "still open after 30 s");
  await page.clock.fastForward(31_000);
  await page.locator("#unlock-pass").waitFor();
  await page.getByText("ikke var i brug i 1 minut").waitFor();
  eq(backend.open, null, "lock command sent");
}, { clock: true });

test("a `locked` error from any command goes to the unlock screen", async ({ page, backend }) => {
  await unlock(page);
  backend.open = null; // the backend locked itself
  await go(page, "activities");
  await page.locator("#unlock-pass").waitFor();
  await page.getByText("Fortegnelsen er låst").waitFor();
});
