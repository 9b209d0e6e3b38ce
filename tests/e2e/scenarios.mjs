// The end-to-end scenarios, each run against a fresh app with an empty config folder. Texts
// are looked up in the Danish catalog (the app's default language), so a changed wording does
// not break a test; fields are found by the ids the UI derives from their JSON pointers.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const da = JSON.parse(readFileSync(new URL('../../assets/i18n/da.json', import.meta.url), 'utf8'));
const t = (key) => {
  assert.ok(da[key], `catalog key ${key}`);
  return da[key];
};

const PASS = 'korrekt hest batteri staple';

async function visible(browser, selector, timeout = 15000) {
  const el = await browser.$(selector);
  await el.waitForDisplayed({ timeout });
  return el;
}

async function button(browser, text) {
  return visible(browser, `button*=${text}`);
}

export const scenarios = {
  async 'create, add an activity, lock, and unlock with a wrong then the right passphrase'({
    browser,
    work,
    answerDialog,
    screenshot,
  }) {
    // Start screen: create a new register.
    await (await visible(browser, '#new-name')).setValue('Bager Hansen ApS');
    await (await visible(browser, '#new-pass')).setValue(PASS);
    await (await visible(browser, '#new-repeat')).setValue(PASS);
    await screenshot('app-start');
    answerDialog(join(work, 'bager'));
    await (await button(browser, t('ui.start.create'))).click();

    // The register is open: the shell with its navigation.
    await visible(browser, '[data-nav="activities"]', 30000);
    await screenshot('app-overview');
    await (await visible(browser, '[data-nav="activities"]')).click();
    await (await button(browser, t('ui.activities.new'))).click();
    await (await visible(browser, '#new-activity-name')).setValue('Nyhedsbrev');
    await (await button(browser, t('ui.activities.create'))).click();

    // The editor: a legal basis with its justification, and a retention rule.
    await (await button(browser, t('ui.editor.add_basis'))).click();
    await (await visible(browser, '#f-legal_bases-0-justification')).setValue(
      'Kunden har bedt om nyhedsbrevet som en del af kundeaftalen.',
    );
    await (await button(browser, t('ui.editor.add_rule'))).click();
    await visible(browser, '#ret-0-has');
    await (await visible(browser, 'button[type="submit"][form="activity-form"]')).click();
    await browser.waitUntil(async () => (await (await browser.$('body')).getText()).includes('Gemt'), {
      timeout: 15000,
      timeoutMsg: 'the editor never said the activity was saved',
    });
    await screenshot('app-activity-editor');

    // The list shows it.
    await (await visible(browser, '[data-nav="activities"]')).click();
    await visible(browser, 'td*=Nyhedsbrev');
    await screenshot('app-activities');

    // Lock, then a wrong passphrase, then the right one.
    await (await visible(browser, 'button.lock')).click();
    const pass = await visible(browser, '#unlock-pass');
    await pass.setValue('forkert adgangsfrase');
    await (await button(browser, t('ui.unlock.submit'))).click();
    const error = await visible(browser, '#unlock-error', 30000);
    assert.equal(await error.getText(), t('error.wrong_passphrase'));
    await screenshot('app-unlock-wrong-passphrase');
    await (await visible(browser, '#unlock-pass')).setValue(PASS);
    await (await button(browser, t('ui.unlock.submit'))).click();
    await (await visible(browser, '[data-nav="activities"]', 30000)).click();
    await visible(browser, 'td*=Nyhedsbrev');
  },
};
