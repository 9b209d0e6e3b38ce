import { test } from "./harness.mjs";
import { assert, eq, unlock, go, EXISTING } from "./helpers.mjs";

const content = (backend) => backend.registers.get(EXISTING).content;
const card = (page, kind) => page.locator(`section[data-report="${kind}"]`);
const exportButton = (page, kind) => page.locator(`button[data-export="${kind}"]`);
const SAVED = "/home/dpo/Dokumenter/Fortegnelse 2026-06-01.pdf";

async function openReports(page) {
  await unlock(page);
  await go(page, "reports");
  await card(page, "register").getByTestId("report-count").waitFor();
}

/** Starts recording every text the progress line shows, in order, without repeats. */
function recordStages(page) {
  return page.evaluate(() => {
    const seen = (window.__stages = []);
    const note = () => {
      const text = document.querySelector('[data-testid="report-stage"]')?.textContent ?? null;
      if (text !== null && seen[seen.length - 1] !== text) seen.push(text);
    };
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}
const recordedStages = (page) => page.evaluate(() => window.__stages);

test("reports: reachable from the menu by keyboard; both records explained, with what goes in them", async ({ page, shot }) => {
  await unlock(page);
  // Tab from the organisation's name down the menu until the reports item has focus.
  await page.locator('[data-nav="overview"]').focus();
  for (let i = 0; i < 10; i++) {
    if (await page.evaluate(() => document.activeElement?.getAttribute("data-nav") === "reports")) break;
    await page.keyboard.press("Tab");
  }
  eq(await page.evaluate(() => document.activeElement?.getAttribute("data-nav")), "reports", "the menu item takes the focus");
  eq(await page.locator('[data-nav="reports"]').innerText(), "Rapporter", "named in Danish");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { level: 1, name: "Rapporter" }).waitFor();
  eq(await page.locator('[data-nav="reports"]').getAttribute("aria-current"), "page", "marked as the current page");

  const register = card(page, "register");
  await register.getByRole("heading", { name: "Fortegnelse over behandlingsaktiviteter", exact: true }).waitFor();
  assert((await register.innerText()).includes("Art. 30, stk. 1"), "article named");
  assert((await register.innerText()).includes("Datatilsynet"), "says who it is for");
  eq(await register.getByTestId("report-count").innerText(), "6 behandlingsaktiviteter kommer med.", "controller activities counted (the processor one is not)");
  const processor = card(page, "processor-record");
  await processor.getByRole("heading", { name: "Fortegnelse over behandlingsaktiviteter som databehandler" }).waitFor();
  assert((await processor.innerText()).includes("Art. 30, stk. 2"), "article named");
  eq(await processor.getByTestId("report-count").innerText(), "1 behandlingsaktivitet som databehandler kommer med.", "singular");

  // Every input has a label; Tab goes language → open → the two export buttons.
  const unlabeled = await page.evaluate(() =>
    [...document.querySelectorAll("main input, main select")].filter((el) => !el.labels?.[0]?.textContent.trim()).map((el) => el.id || el.outerHTML.slice(0, 60)),
  );
  eq(unlabeled, [], "inputs without a label");
  eq(await page.getByLabel("Sprog i rapporten").count(), 1, "language labelled");
  assert(await page.getByLabel("Åbn PDF-filen, når den er gemt").isChecked(), "open the PDF: on by default");
  await page.locator("#report-language").focus();
  const order = [];
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press("Tab");
    order.push(await page.evaluate(() => document.activeElement?.id || document.activeElement?.getAttribute("data-export")));
  }
  eq(order, ["report-open", "register", "processor-record"], "tab order");
  await shot("21-reports");
});

test("reports: an export shows each stage in order with the buttons disabled, then the path and the page count", async ({ page, backend, shot }) => {
  backend.report.delay = 40;
  backend.report.holdAt = "rendering";
  backend.report.pages = 12;
  backend.dialogAnswers.push(SAVED);
  await openReports(page);
  await recordStages(page);
  await exportButton(page, "register").click();

  const stage = card(page, "register").getByTestId("report-stage");
  await stage.filter({ hasText: "Opsætter siderne…" }).waitFor();
  assert(await exportButton(page, "register").isDisabled(), "this report's button is disabled while it runs");
  assert(await exportButton(page, "processor-record").isDisabled(), "and the other report's too");
  assert(await page.locator("#report-language").isDisabled(), "the language is fixed while it runs");
  await shot("22-reports-progress");
  backend.releaseReport();

  const saved = card(page, "register").getByTestId("report-saved");
  await saved.waitFor();
  eq(await saved.innerText(), `Gemt: ${SAVED} (12 sider)`, "path and pages");
  assert(await saved.evaluate((el) => el.getBoundingClientRect().bottom <= window.innerHeight), "the result is scrolled into view");
  eq(await card(page, "register").getByTestId("report-not-opened").count(), 0, "the viewer was started: no note");
  eq(await recordedStages(page), ["Vælg, hvor rapporten skal gemmes…", "Læser fortegnelsen…", "Opsætter siderne…", "Gemmer…", "Åbner PDF-visningen…"], "the stages in order");
  eq(await card(page, "register").getByTestId("report-progress").count(), 0, "progress gone");
  assert(!(await exportButton(page, "register").isDisabled()) && !(await exportButton(page, "processor-record").isDisabled()), "buttons enabled again");
  eq(backend.exports, [{ kind: "register", language: "da", open: true }], "what the backend was asked for");
  await shot("23-reports-saved");
});

test("reports: cancelling the save dialog shows nothing and changes nothing", async ({ page, backend }) => {
  backend.report.delay = 400;
  await openReports(page);
  await recordStages(page);
  await exportButton(page, "processor-record").focus();
  await page.keyboard.press("Enter");
  await card(page, "processor-record").getByTestId("report-stage").filter({ hasText: "Vælg, hvor rapporten skal gemmes…" }).waitFor();
  await card(page, "processor-record").getByTestId("report-progress").waitFor({ state: "detached" });
  eq(await page.locator('[data-testid="report-saved"], [data-testid="report-error"], [data-testid="report-not-opened"]').count(), 0, "no message");
  eq(await recordedStages(page), ["Vælg, hvor rapporten skal gemmes…"], "nothing was rendered or written");
  assert(!(await exportButton(page, "processor-record").isDisabled()), "button enabled again");
  eq(await page.evaluate(() => document.activeElement?.getAttribute("data-export")), "processor-record", "the focus is back on the button");
  eq(backend.exports, [{ kind: "processor-record", language: "da", open: true }], "asked once");
});

test("reports: a file that cannot be written gives the Danish message with the path", async ({ page, backend, shot }) => {
  backend.dialogAnswers.push("/media/usb/Fortegnelse.pdf");
  backend.report.error = { code: "write_file", details: { path: "/media/usb/Fortegnelse.pdf", detail: "Read-only file system (os error 30)" } };
  await openReports(page);
  await exportButton(page, "register").click();
  const error = card(page, "register").getByRole("alert");
  await error.waitFor();
  eq(await error.innerText(), "Kunne ikke skrive /media/usb/Fortegnelse.pdf: Read-only file system (os error 30)", "error.write_file in Danish");
  eq(await page.getByTestId("report-saved").count(), 0, "no success");
  await shot("24-reports-write-error");

  // A font problem while rendering: its own message, in the person's language.
  backend.dialogAnswers.push("/home/dpo/a.pdf");
  backend.report.error = { code: "pdf.font", details: { detail: "DejaVuSans.ttf" } };
  await exportButton(page, "register").click();
  await card(page, "register").getByRole("alert").filter({ hasText: "Den indbyggede skrifttype DejaVuSans.ttf kan ikke læses" }).waitFor();
});

test("reports: the language starts as the organisation's; the chosen one and the open choice reach the backend", async ({ page, backend }) => {
  backend.dialogAnswers.push("/home/dpo/protokoll");
  backend.report.delay = 120;
  await openReports(page);
  eq(await page.locator("#report-language").inputValue(), "nb", "the organisation's report language");
  assert((await page.locator("#report-language-help").innerText()).includes("(Norsk bokmål)"), "and named as such");
  await page.locator("#report-language").selectOption("en");
  await page.getByLabel("Åbn PDF-filen, når den er gemt").uncheck();
  await recordStages(page);
  await exportButton(page, "processor-record").click();
  const saved = card(page, "processor-record").getByTestId("report-saved");
  await saved.waitFor();
  eq(backend.exports, [{ kind: "processor-record", language: "en", open: false }], "language and open as chosen");
  eq(await saved.innerText(), "Gemt: /home/dpo/protokoll.pdf (12 sider)", "the path as the backend completed it");
  eq(await recordedStages(page), ["Vælg, hvor rapporten skal gemmes…", "Læser fortegnelsen…", "Opsætter siderne…", "Gemmer…"], "no viewer stage when not asked");
  eq(await card(page, "processor-record").getByTestId("report-not-opened").count(), 0, "not asked to open: no note");
}, { setup: (backend) => (content(backend).organisation.language = "nb") });

test("reports: when no PDF viewer can be started, a gentle note says where the file is", async ({ page, backend }) => {
  backend.dialogAnswers.push(SAVED);
  backend.report.viewer = false;
  backend.report.pages = 1;
  await openReports(page);
  await exportButton(page, "register").click();
  await card(page, "register").getByTestId("report-saved").filter({ hasText: `Gemt: ${SAVED} (1 side)` }).waitFor();
  const note = card(page, "register").getByTestId("report-not-opened");
  eq(await note.innerText(), `Ingen PDF-visning kunne startes, så filen blev ikke åbnet. Den ligger her: ${SAVED}`, "the note");
  eq(await page.getByRole("alert").count(), 0, "not an error");
});

test("reports: without activities as processor the Art. 30(2) card says so and still exports", async ({ page, backend }) => {
  backend.dialogAnswers.push("/home/dpo/Databehandler.pdf");
  await openReports(page);
  const processor = card(page, "processor-record");
  assert((await processor.getByTestId("report-count").innerText()).startsWith("Organisationen er ikke databehandler i nogen"), "says there are none");
  assert(!(await exportButton(page, "processor-record").isDisabled()), "export still offered");
  await exportButton(page, "processor-record").click();
  await processor.getByTestId("report-saved").waitFor();
  eq(backend.exports.map((e) => e.kind), ["processor-record"], "exported");
  // Drafts go into the Art. 30(1) record with their status, and the card says so.
  eq(await card(page, "register").getByTestId("report-count").innerText(), "6 behandlingsaktiviteter kommer med. 1 af dem er en kladde og står i rapporten med status »Kladde«.", "drafts named");
}, {
  setup: (backend) => {
    content(backend).activities = content(backend).activities.filter((a) => a.role.kind !== "processor");
    content(backend).activities.find((a) => a.id === "newsletter").status = "draft";
  },
});

test("reports: leaving the page during an export and coming back shows it still running, then its result", async ({ page, backend }) => {
  backend.dialogAnswers.push(SAVED);
  backend.report.holdAt = "reading";
  await openReports(page);
  await exportButton(page, "register").click();
  await card(page, "register").getByTestId("report-stage").filter({ hasText: "Læser fortegnelsen…" }).waitFor();
  await go(page, "overview");
  await page.getByRole("heading", { level: 1, name: "Overblik" }).waitFor();
  await go(page, "reports");
  await card(page, "register").getByTestId("report-stage").filter({ hasText: "Læser fortegnelsen…" }).waitFor();
  assert(await exportButton(page, "processor-record").isDisabled(), "no second export while one runs");
  backend.releaseReport();
  await card(page, "register").getByTestId("report-saved").filter({ hasText: "(12 sider)" }).waitFor();
  eq(backend.exports.length, 1, "one export");
});

test("reports: the breach log for a period, from and to reaching the backend; a reversed period is refused", async ({ page, backend, shot }) => {
  backend.dialogAnswers.push("/home/dpo/Log over brud 2026.pdf");
  await openReports(page);
  const log = card(page, "breach-log");
  await log.getByRole("heading", { name: "Log over brud på persondatasikkerheden", exact: true }).waitFor();
  assert((await log.innerText()).includes("Art. 33, stk. 5"), "article named");
  eq(await log.getByTestId("report-count").innerText(), "Loggen har 2 brud i alt.", "breaches counted");
  await page.getByLabel("Fra og med").fill("2026-01-01");
  await page.getByLabel("Til og med").fill("2026-03-31");
  await exportButton(page, "breach-log").click();
  await log.getByTestId("report-saved").filter({ hasText: "Gemt: /home/dpo/Log over brud 2026.pdf (12 sider)" }).waitFor();
  eq(backend.exports, [{ kind: "breach-log", from: "2026-01-01", to: "2026-03-31", language: "da", open: true }], "the period reached the backend");
  await log.scrollIntoViewIfNeeded();
  await shot("25-reports-breach-log");

  // The end before the start: the backend's message, in the card, and no dialog.
  await page.getByLabel("Fra og med").fill("2026-04-01");
  await exportButton(page, "breach-log").click();
  const error = log.getByRole("alert");
  await error.waitFor();
  eq(await error.innerText(), "Perioden slutter (2026-03-31), før den begynder (2026-04-01).", "error.period_reversed");

  // Without dates: the whole log.
  backend.dialogAnswers.push("/home/dpo/Hele loggen.pdf");
  await page.getByLabel("Fra og med").fill("");
  await page.getByLabel("Til og med").fill("");
  await exportButton(page, "breach-log").click();
  await log.getByTestId("report-saved").waitFor();
  eq(backend.exports.at(-1), { kind: "breach-log", from: null, to: null, language: "da", open: true }, "no dates: the whole log");
}, {
  setup: (backend) => {
    const reg = backend.registers.get(EXISTING);
    reg.breaches = [
      { id: "2026-001", title: "Fejlsendt e-mail", became_aware_at: "2026-03-10T09:00:00Z", discovery: { by: "staff" } },
      { id: "2026-002", title: "Stjålet bærbar", became_aware_at: "2026-05-10T09:00:00Z", discovery: { by: "staff" } },
    ];
  },
});

test("reports: the processors overview (Art. 28) counts the processors and exports; with none it says so", async ({ page, backend }) => {
  backend.dialogAnswers.push("/home/dpo/Databehandlere.pdf");
  await openReports(page);
  const processors = card(page, "processors");
  await processors.getByRole("heading", { name: "Oversigt over databehandlere" }).waitFor();
  assert((await processors.innerText()).includes("Art. 28"), "article named");
  eq(await processors.getByTestId("report-count").innerText(), "2 databehandlere kommer med.", "processors counted");
  await exportButton(page, "processors").click();
  await processors.getByTestId("report-saved").waitFor();
  eq(backend.exports, [{ kind: "processors", language: "da", open: true }], "what the backend was asked for");
  backend.registers.get(EXISTING).processors = [];
  await go(page, "overview");
  await go(page, "reports");
  assert((await card(page, "processors").getByTestId("report-count").innerText()).startsWith("Der er ingen databehandlere"), "none");
}, {
  setup: (backend) => {
    const reg = backend.registers.get(EXISTING);
    const blank = { services: [], activities: [], data_categories: [], sub_processors: [], agreements: [], supervisions: [] };
    reg.processors = [
      { ...blank, id: "a", name: "Hosting A/S", country: "DK" },
      { ...blank, id: "b", name: "Lønbureauet ApS", country: "DK" },
    ];
  },
});
