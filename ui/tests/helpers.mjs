import { EXISTING, PASSPHRASE } from "./fake-backend.mjs";

export function assert(cond, message) {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}
export function eq(actual, expected, message) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`${message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/** From the start screen: open the seeded register through the recent list. */
export async function unlock(page) {
  await page.locator(".recent-item").first().click();
  await page.locator("#unlock-pass").fill(PASSPHRASE);
  await page.locator("#unlock-pass").press("Enter");
  await page.locator("nav.sidebar").waitFor();
}

export async function go(page, nav) {
  await page.locator(`[data-nav="${nav}"]`).click();
}

export async function openActivity(page, id) {
  await go(page, "activities");
  await page.locator(`tr[data-activity="${id}"] .name button`).click();
  await page.locator("form.editor").waitFor();
}

export { EXISTING, PASSPHRASE };
