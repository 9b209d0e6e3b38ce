// The end-to-end scenarios, each run against a fresh app with an empty config folder.

import assert from 'node:assert/strict';

export const scenarios = {
  async 'the start screen appears'({ browser, screenshot }) {
    const body = await browser.$('body');
    await body.waitForExist({ timeout: 15000 });
    await browser.waitUntil(async () => (await body.getText()).length > 0, { timeout: 15000 });
    const text = await body.getText();
    assert.match(text, /ropa/i);
    await screenshot('e2e-start');
  },
};
