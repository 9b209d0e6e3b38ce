// The end-to-end scenarios, each run against a fresh app with an empty config folder. Texts
// are looked up in the Danish catalog (the app's default language), so a changed wording does
// not break a test; fields are found by the ids the UI derives from their JSON pointers.

import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
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

  async 'fill in the organisation and a catalog entry, then export the record of processing as PDF'({
    browser,
    work,
    answerDialog,
    openedFiles,
    screenshot,
  }) {
    await (await visible(browser, '#new-name')).setValue('Tømrer Jensen ApS');
    await (await visible(browser, '#new-pass')).setValue(PASS);
    await (await visible(browser, '#new-repeat')).setValue(PASS);
    answerDialog(join(work, 'jensen'));
    await (await button(browser, t('ui.start.create'))).click();

    // Organisation: a CVR number with a wrong check digit is named at the field, then a right one.
    await (await visible(browser, '[data-nav="organisation"]', 30000)).click();
    const businessId = await visible(browser, '#f-business_id');
    await businessId.setValue('24256791');
    await browser.waitUntil(async () => (await (await browser.$('body')).getText()).includes(t('issue.organisation.cvr_invalid')), {
      timeout: 15000,
      timeoutMsg: 'no check-digit message at the CVR field',
    });
    await businessId.clearValue();
    await businessId.setValue('24256790');
    await (await browser.$('[data-testid="business-id-ok"]')).waitForDisplayed({ timeout: 15000 });
    await (await visible(browser, 'button[type="submit"][form="organisation-form"]')).click();
    const notice = await visible(browser, '[data-testid="org-notice"]');
    assert.ok(!(await notice.getAttribute('class')).includes('error'), await notice.getText());
    await screenshot('app-organisation');

    // Catalogs: a special category of personal data (Art. 9).
    await (await visible(browser, '[data-nav="catalogs"]')).click();
    await (await visible(browser, '#add-data-category')).click();
    await (await visible(browser, '[data-testid="catalog-form"] #f-name')).setValue('Helbredsoplysninger');
    await (await visible(browser, '#kind-special')).click();
    await (await visible(browser, '#f-special_category')).selectByAttribute('value', 'health');
    await screenshot('app-catalog-entry');
    await (await visible(browser, '[data-testid="catalog-form"] button[type="submit"]')).click();
    await visible(browser, 'td*=Helbredsoplysninger');

    // Reports: the record of processing in Norwegian, saved where the dialog says, then opened.
    await (await visible(browser, '[data-nav="reports"]')).click();
    await (await visible(browser, '#report-language')).selectByAttribute('value', 'nb');
    const dest = join(work, 'protokoll');
    answerDialog(dest);
    await (await visible(browser, 'button[data-export="register"]')).click();
    const saved = await visible(browser, '[data-testid="report-saved"]', 30000);
    assert.ok((await saved.getText()).includes(`${dest}.pdf`), await saved.getText());
    await screenshot('app-reports');
    assert.ok(existsSync(`${dest}.pdf`), 'the PDF was written');
    assert.deepEqual(openedFiles(), [`${dest}.pdf`]);
    const text = execFileSync('pdftotext', [`${dest}.pdf`, '-'], { encoding: 'utf8' });
    assert.ok(text.includes('Protokoll over behandlingsaktiviteter'), 'Norwegian title');
    assert.ok(text.includes('Tømrer Jensen ApS') && text.includes('24256790'), 'organisation block');
  },

  async 'record a breach, see the 72-hour countdown, record the notice, see the countdown stop and export the notification'({
    browser,
    work,
    answerDialog,
    openedFiles,
    screenshot,
    notifications,
    notifyInterval,
    sleep,
  }) {
    await (await visible(browser, '#new-name')).setValue('Cykelværksted Nord ApS');
    await (await visible(browser, '#new-pass')).setValue(PASS);
    await (await visible(browser, '#new-repeat')).setValue(PASS);
    answerDialog(join(work, 'cykel'));
    await (await button(browser, t('ui.start.create'))).click();

    // A new breach, aware now: the list counts down to the 72 hours.
    await (await visible(browser, '[data-nav="breaches"]', 30000)).click();
    await (await visible(browser, '[data-action="new-breach"]')).click();
    await (await visible(browser, '#new-breach-title')).setValue('Kundeliste sendt til forkert modtager');
    await (await visible(browser, 'button[type="submit"]*=' + t('ui.breaches.create'))).click();
    const row = await visible(browser, 'tr[data-breach], [data-breach]', 15000);
    const id = await row.getAttribute('data-breach');
    const countdown = await visible(browser, `[data-breach="${id}"] [data-countdown]`);
    assert.match(await countdown.getText(), /2 dage 2\d t/, 'about 72 hours left');
    await screenshot('app-breaches');

    // The notice to Datatilsynet: the countdown stops, in the editor and in the list.
    await (await visible(browser, `[data-breach="${id}"] button.title`)).click();
    await visible(browser, '.side [data-countdown]');
    await (await visible(browser, '[data-action="add-notice"]')).click();
    await (await visible(browser, '#f-notices-0-case_number')).setValue('2026-431-0042');
    await (await visible(browser, 'button[type="submit"][form="breach-form"]')).click();
    await visible(browser, '[data-countdown-stopped]', 15000);
    assert.equal((await browser.$$('.side [data-countdown]')).length, 0, 'no countdown in the editor');
    await screenshot('app-breach-notified');

    // The notification for Datatilsynet as PDF, in Danish, through the save dialog.
    await (await visible(browser, '#export-language')).selectByAttribute('value', 'da');
    const pdf = join(work, 'anmeldelse');
    answerDialog(pdf);
    await (await visible(browser, '[data-action="export-notification"]')).click();
    const exported = await visible(browser, `[data-report="breach:${id}"] [data-testid="report-saved"]`, 30000);
    assert.ok((await exported.getText()).includes(`${pdf}.pdf`), await exported.getText());
    assert.deepEqual(openedFiles(), [`${pdf}.pdf`]);
    const text = execFileSync('pdftotext', [`${pdf}.pdf`, '-'], { encoding: 'utf8' });
    assert.ok(text.includes('Anmeldelse af brud på'), 'the Danish title');
    assert.ok(text.includes(`${id}: Kundeliste sendt til forkert modtager`), 'the breach');
    assert.ok(text.includes('Cykelværksted Nord ApS'), 'the organisation');
    assert.ok(text.includes('2026-431-0042'), 'the notice with its case number');
    await screenshot('app-breach-export');
    await (await visible(browser, '[data-nav="breaches"]')).click();
    await visible(browser, `[data-breach="${id}"] [data-status="ok"]`);
    assert.equal((await browser.$$(`[data-breach="${id}"] [data-countdown]`)).length, 0, 'no countdown in the list');

    // A breach found about 60 hours ago has about 12 hours left: one desktop notification, and
    // no second one at the next looks. The breach above was never within 24 hours.
    await (await visible(browser, '[data-action="new-breach"]')).click();
    await (await visible(browser, '#new-breach-title')).setValue('Mette Hansens lønseddel sendt til kollega');
    const aware = await visible(browser, '#new-breach-aware');
    // The field shows the organisation's wall clock; 60 hours earlier on that clock is about
    // 60 real hours (within one hour across a change of summer time).
    const earlier = new Date(`${await aware.getValue()}:00Z`);
    earlier.setUTCHours(earlier.getUTCHours() - 60);
    await browser.execute(
      (el, value) => {
        el.value = value;
        el.dispatchEvent(new Event('input', { bubbles: true }));
      },
      aware,
      earlier.toISOString().slice(0, 16),
    );
    await (await visible(browser, 'button[type="submit"]*=' + t('ui.breaches.create'))).click();
    await browser.waitUntil(async () => (await browser.$$('[data-breach]')).length === 2, { timeout: 15000 });
    const ids = await browser.execute(() =>
      [...document.querySelectorAll('[data-breach]')].map((row) => row.getAttribute('data-breach')),
    );
    const late = ids.find((other) => other !== id);
    await browser.waitUntil(async () => notifications().length > 0, {
      timeout: 15000 + 3 * notifyInterval,
      timeoutMsg: 'no notification of the breach due within 24 hours',
    });
    await sleep(3 * notifyInterval);
    const sent = notifications();
    assert.equal(sent.length, 1, JSON.stringify(sent));
    assert.equal(sent[0].title, t('notify.title.due_soon'));
    assert.ok(sent[0].body.includes(t('deadline.breach_notification')), sent[0].body);
    assert.ok(sent[0].body.includes(late) && !sent[0].body.includes(id), sent[0].body);
    assert.match(sent[0].body, /\(om 1[12] t\)/, sent[0].body);
    assert.ok(!sent[0].body.includes('Mette'), 'no title in the notification');
  },
  async 'add a processor with its agreement, attach the signed PDF through the dialog, open it, and lock'({
    browser,
    work,
    answerDialog,
    openedFiles,
    screenshot,
  }) {
    await (await visible(browser, '#new-name')).setValue('Revisionshuset Vest ApS');
    await (await visible(browser, '#new-pass')).setValue(PASS);
    await (await visible(browser, '#new-repeat')).setValue(PASS);
    answerDialog(join(work, 'revision'));
    await (await button(browser, t('ui.start.create'))).click();

    // A new processor: the list, then its editor.
    await (await visible(browser, '[data-nav="processors"]', 30000)).click();
    await (await visible(browser, '[data-action="new-processor"]')).click();
    await (await visible(browser, '#new-processor-name')).setValue('Hosting Danmark A/S');
    await (await visible(browser, 'button[type="submit"]*=' + t('ui.processors.create'))).click();
    await visible(browser, 'form#processor-form', 15000);
    await (await visible(browser, '#f-services')).setValue('Hosting, Backup');

    // The agreement: version 1, signed, with points (a) and (c) of Art. 28(3) ticked.
    await (await visible(browser, '[data-action="add-agreement"]')).click();
    const signed = await visible(browser, '#f-agreements-0-signed_on');
    await browser.execute(
      (el, value) => {
        el.value = value;
        el.dispatchEvent(new Event('input', { bubbles: true }));
      },
      signed,
      // A month ago: the next supervision (12 months after signing) is not yet within 90 days.
      new Date(Date.now() - 30 * 24 * 3600 * 1000).toISOString().slice(0, 10),
    );
    await (await visible(browser, '#f-agreements-0-checklist-instructions-covered')).click();
    await (await visible(browser, '#f-agreements-0-checklist-instructions-note')).setValue('pkt. 4.2');
    await (await visible(browser, '#f-agreements-0-checklist-security-covered')).click();
    await (await visible(browser, 'button[type="submit"][form="processor-form"]')).click();
    await browser.waitUntil(async () => (await (await browser.$('body')).getText()).includes('Gemt'), {
      timeout: 15000,
      timeoutMsg: 'the editor never said the processor was saved',
    });

    // A file named .pdf that is a zip is refused with core's reason; nothing is stored.
    const fake = join(work, 'aftale-forkert.pdf');
    writeFileSync(fake, Buffer.from('PK\x03\x04 not a pdf', 'latin1'));
    answerDialog(fake);
    await (await visible(browser, '[data-action="attach"]')).click();
    const message = await visible(browser, '[data-document-message]', 15000);
    assert.equal(
      await message.getText(),
      t('error.document.wrong_type').replace('{extension}', 'pdf').replace('{looks_like}', 'zip'),
    );

    // The signed PDF through the scripted open dialog: stored in the register.
    const pdf = join(work, 'Databehandleraftale Hosting Danmark.pdf');
    writeFileSync(
      pdf,
      '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
    );
    answerDialog(pdf);
    await (await visible(browser, '[data-action="attach"]')).click();
    await visible(browser, '[data-file="Databehandleraftale Hosting Danmark.pdf"]', 30000);
    await browser.execute(() => document.querySelector('[data-document]')?.scrollIntoView({ block: 'center' }));
    await screenshot('app-processors');

    // Open it: extracted to a temporary file (the e2e build logs the path), removed on lock.
    await (await visible(browser, '[data-action="open-document"]')).click();
    await browser.waitUntil(async () => openedFiles().length === 1, {
      timeout: 15000,
      timeoutMsg: 'the document was never opened',
    });
    const extracted = openedFiles()[0];
    assert.ok(extracted.endsWith('/Databehandleraftale Hosting Danmark.pdf'), extracted);
    assert.deepEqual(readFileSync(extracted), readFileSync(pdf), 'the same bytes');

    // The list shows it signed, with the points of Art. 28(3) the agreement does not cover.
    await (await visible(browser, '[data-nav="processors"]')).click();
    const status = await visible(browser, '[data-processor] [data-status="checklist"]');
    assert.equal(await status.getText(), t('ui.processors.status.checklist').replace('{covered}', '2'));
    await screenshot('app-processors-list');

    await (await visible(browser, 'button.lock')).click();
    await visible(browser, '#unlock-pass', 30000);
    await browser.waitUntil(async () => !existsSync(extracted), {
      timeout: 15000,
      timeoutMsg: 'the extracted document outlived the lock',
    });
  },
  async 'add a recording policy, import a call list through the wizard, and see the calls in the list'({
    browser,
    work,
    answerDialog,
    screenshot,
  }) {
    await (await visible(browser, '#new-name')).setValue('Kundeservice Nord ApS');
    await (await visible(browser, '#new-pass')).setValue(PASS);
    await (await visible(browser, '#new-repeat')).setValue(PASS);
    answerDialog(join(work, 'kundeservice'));
    await (await button(browser, t('ui.start.create'))).click();

    // A policy from the inbound preset (16 months, on consent).
    await (await visible(browser, '[data-nav="recordings"]', 30000)).click();
    await (await visible(browser, '[data-tab="policies"]')).click();
    await (await visible(browser, '[data-action="new-policy"]')).click();
    await visible(browser, '#policy-form');
    assert.equal(await (await visible(browser, '#f-retention_months')).getValue(), '16');
    await (await visible(browser, '#policy-form button[type="submit"]')).click();
    await visible(browser, '[data-policy="kundeservice"]', 15000);

    // The phone system's list: Windows-1252, semicolons, CRLF, one row with a bad number and
    // one outbound call, which the inbound policy does not cover.
    const csv = join(work, 'opkald.csv');
    const rows = [
      'Opkalds-ID;Starttidspunkt;Retning;Telefonnummer;Kundenr;Samtykke;Lydfil',
      'T-1;01-03-2026 09:15;Indg\u00e5ende;33 12 34 56;K-17;Tastetryk;t-1.wav',
      'T-2;02-03-2026 10:00;Indg\u00e5ende;+45 20 12 34 56;K-20;;',
      'T-3;03-03-2026 11:30;Indg\u00e5ende;12;;;',
      'T-4;04-03-2026 12:45;Udg\u00e5ende;40 12 34 56;K-31;mundtlig;t-4.wav',
    ];
    writeFileSync(csv, Buffer.from(rows.join('\r\n') + '\r\n', 'latin1'));
    await (await visible(browser, '[data-tab="import"]')).click();
    answerDialog(csv);
    await (await visible(browser, '[data-action="pick-file"]')).click();
    const sniffed = await visible(browser, '[data-sniffed]', 15000);
    assert.ok((await sniffed.getText()).includes('Windows-1252'), await sniffed.getText());
    // The columns were guessed from their names; the preview shows the rows as core reads them.
    await visible(browser, 'tr[data-line="2"]', 15000);
    const bad = await visible(browser, 'tr[data-line="4"] [data-code="import.row.phone"]');
    assert.ok((await bad.getText()).startsWith('Linje 4'), await bad.getText());
    await (await visible(browser, '#imp-policy')).selectByAttribute('value', 'kundeservice');
    // The preview marks the outbound call, which the inbound policy does not cover, before the import.
    const warning = await visible(browser, '[data-direction-warning] li');
    assert.ok((await warning.getText()).startsWith('Linje 5:'), await warning.getText());
    await visible(browser, 'tr[data-line="5"] [data-mismatch]');
    await (await visible(browser, '#imp-preview')).scrollIntoView({ block: 'start' });
    await screenshot('app-recordings-import');
    await (await visible(browser, '[data-action="import"]')).click();
    const imported = await visible(browser, '[data-summary] [data-count="imported"]', 30000);
    assert.equal(await imported.getText(), t('ui.recordings.import.imported').replace('{count}', '2'));
    await visible(browser, '[data-rejected="4"]');
    const outbound = await (await visible(browser, '[data-rejected="5"]')).getText();
    const reason = t('import.row.policy_direction').split('{field}')[1];
    assert.ok(outbound.startsWith('Linje 5:') && outbound.endsWith(reason), outbound);

    // The list: the two calls, oldest first, on the organisation's clock.
    await (await visible(browser, '[data-tab="calls"]')).click();
    await visible(browser, '[data-call="T-1"]', 15000);
    await visible(browser, '[data-call="T-2"]');
    const ids = await browser.execute(() => [...document.querySelectorAll('.scroller [data-call]')].map((e) => e.getAttribute('data-call')));
    assert.deepEqual(ids, ['T-1', 'T-2']);
    const phone = await browser.execute(() => document.querySelector('[data-call="T-2"] [data-phone]')?.textContent);
    assert.equal(phone, '+45 20 12 34 56');
    // T-2 has no consent: flagged.
    await visible(browser, '[data-call="T-2"] [data-flag]');
    await screenshot('app-recordings');
  },
};
