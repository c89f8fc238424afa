/**
 * The sandbox page as a person uses it on a phone (#13): Debian's Chromium, headless, at 390×844. Pay a
 * payment created through the API and see it PAID through the API; authorise a WeChat Pay Score visit and
 * see it OPEN; authorise medical insurance and pay a mixed order with one password on each wallet (#20). The
 * page must fit the width (no sideways scrolling), and each action shows a toast. Windows and kiosks (#22):
 * a kiosk's QR code shown and paid by the family member who scans it; a payment link opened in a family
 * member's phone browser, paid at the wallet's cashier and refunded to them. Screenshots (a payment waiting,
 * an insured order waiting with its split, a kiosk QR, each step of a link, and the end) are kept in .ci/out/
 * (CI's artefacts).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payerFor, stackClient, startLocalStack, type LocalStack } from '../support/local-stack';
import { INSURED_PERSON, SAMPLE_FEE_LINES } from '../support/insured';

const ROOT = resolve(import.meta.dirname, '../..');
const OUT = resolve(ROOT, '.ci/out');
const CHROMIUM = process.env.MEDPAY_CHROMIUM ?? '/usr/bin/chromium';
let local: LocalStack;
let client: ReturnType<typeof stackClient>;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  local = await startLocalStack();
  client = stackClient(local);
  // The machine's flags: no sandbox as root, no background networking on a closed network (Playwright makes
  // and removes its own empty profile).
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  await page.goto(`${local.stack.sandboxUrl}/sandbox`);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await local?.stop();
});

describe('the sandbox page on a phone', () => {
  it('pays a payment: the card shows description, yuan and channel; Pay makes it PAID at medpay', async () => {
    const { token } = await client.patient();
    const created = await client.api('POST', '/payments', token, {
      channel: 'wechatpay',
      purpose: 'examination',
      referenceId: 'HIS-PHONE',
      amountFen: 12_345,
      description: '血常规检查',
      payer: payerFor('wechatpay'),
    });
    expect(created.status).toBe(201);
    const card = page.locator(`[data-order="${created.body.outTradeNo}"]`);
    await card.waitFor({ timeout: 10_000 });
    await expect.poll(() => card.textContent()).toMatch(/血常规检查[\s\S]*¥123\.45[\s\S]*WeChat Pay/);
    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, 'sandbox-phone-pending.png') });
    await card.getByRole('button', { name: /^Pay/ }).click();
    await expect.poll(() => page.locator('#toast').textContent()).toMatch(/^Paid .*medpay answered 204/);
    await expect
      .poll(async () => (await client.api('GET', `/payments/${created.body.paymentId}`, token)).body.status, {
        timeout: 10_000,
      })
      .toBe('PAID');
  });

  it('authorises a WeChat Pay Score visit: it becomes OPEN at medpay', async () => {
    const { token } = await client.patient();
    const opened = await client.api('POST', '/visits', token, {
      channel: 'wechatpay',
      payer: payerFor('wechatpay'),
      insured: false,
    });
    expect(opened.status).toBe(201);
    const card = page.locator(`[data-visit="${opened.body.outOrderNo}"]`);
    await card.waitFor({ timeout: 10_000 });
    await card.getByRole('button', { name: 'Authorise' }).click();
    await expect.poll(() => page.locator('#toast').textContent()).toMatch(/^Authorised/);
    await expect
      .poll(async () => (await client.api('GET', `/visits/${opened.body.visitId}`, token)).body.status, {
        timeout: 15_000,
      })
      .toBe('OPEN');
  });

  for (const channel of ['wechatpay', 'alipay'] as const) {
    it(`${channel}: authorises medical insurance on the page, then pays the mixed order with one password`, async () => {
      const { token } = await client.patient();
      const payer = payerFor(channel);
      await client.sandbox('/sandbox/settings', { insurancePlatform: { defaultPersonalAccountFen: 1_000 } });
      // The wallet's 医保 authorisation page: the person picks the wallet and authorises.
      await page.locator('#ma-channel').selectOption(channel);
      await page.locator('#ma-payer').fill(Object.values(payer)[0] ?? '');
      await page.getByRole('button', { name: 'Authorise insurance' }).click();
      await expect.poll(() => page.locator('#toast').textContent()).toMatch(/^Authorised: code AC/);
      const authCode = (await page.locator('#ma-code').textContent())?.trim() ?? '';
      // The front end hands the code to medpay with the HIS's fee lines.
      const created = await client.api('POST', '/payments', token, {
        channel,
        purpose: 'examination',
        referenceId: `HIS-PHONE-MI-${channel}`,
        amountFen: 15_000,
        description: '门诊缴费',
        payer,
        insurance: {
          authCode,
          location: '113.264385,23.129112',
          feeLines: SAMPLE_FEE_LINES,
          ...(channel === 'wechatpay' ? { patient: { ...INSURED_PERSON, cardType: 'ID_CARD' } } : {}),
        },
      });
      expect(created.status).toBe(201);
      const card = page.locator(`[data-insured="${created.body.outTradeNo}"]`);
      await card.waitFor({ timeout: 10_000 });
      await expect
        .poll(() => card.textContent())
        .toMatch(/¥150\.00[\s\S]*¥80\.00[\s\S]*¥10\.00[\s\S]*¥60\.00/);
      await page.screenshot({ path: join(OUT, `sandbox-phone-insured-${channel}.png`) });
      await card.getByRole('button', { name: /^Pay with insurance/ }).click();
      await expect.poll(() => page.locator('#toast').textContent()).toMatch(/^Paid with insurance/);
      if (channel === 'alipay') {
        // Alipay's result notification is not published: medpay's sweep asks the medical trade.
        await fetch(`${local.stack.lambdaUrl}/2015-03-31/functions/medpay-local-sweepPayments/invocations`, {
          method: 'POST',
          body: JSON.stringify({ olderThanMinutes: 0 }),
        });
      }
      await expect
        .poll(async () => (await client.api('GET', `/payments/${created.body.paymentId}`, token)).body, {
          timeout: 10_000,
        })
        .toMatchObject({ status: 'PAID', insurance: { status: 'SETTLED', selfPayStatus: 'PAID' } });
    });
  }

  const FAMILY = { wechatpay: 'oFamilyMemberOfThePatient0001', alipay: '2088000000009999' } as const;

  for (const channel of ['wechatpay', 'alipay'] as const) {
    it(`${channel}: a kiosk's QR code is shown and paid by the family member who scans it`, async () => {
      const created = await client.api('POST', '/payments', local.stack.tokens.staff, {
        channel,
        purpose: 'examination',
        referenceId: `HIS-KIOSK-${channel}`,
        amountFen: 4_200,
        description: '自助机缴费',
        patientId: 'P-KIOSK',
        mode: 'qr',
        expiresInMinutes: 30,
      });
      expect(created.status).toBe(201);
      const card = page.locator(`[data-order="${created.body.outTradeNo}"]`);
      await card.waitFor({ timeout: 10_000 });
      const qr = card.locator('img.qr');
      await expect
        .poll(() =>
          qr.evaluate((i) => (i as unknown as { complete: boolean; naturalWidth: number }).naturalWidth > 0),
        )
        .toBe(true);
      await card.locator('input[data-payer]').fill(FAMILY[channel]);
      await qr.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(OUT, `kiosk-qr-${channel}.png`) });
      await card.getByRole('button', { name: /^Scan & pay/ }).click();
      await expect.poll(() => page.locator('#toast').textContent()).toMatch(/^Paid .*medpay answered/);
      await expect
        .poll(
          async () =>
            (await client.api('GET', `/payments/${created.body.paymentId}`, local.stack.tokens.staff)).body,
          {
            timeout: 10_000,
          },
        )
        .toMatchObject({ status: 'PAID', mode: 'qr', payerId: FAMILY[channel] });
    });

    it(`${channel}: a payment link sent to a family member is paid in their phone's browser and refunded to them`, async () => {
      const { token } = await client.patient();
      const created = await client.api('POST', '/payments', token, {
        channel,
        purpose: 'examination',
        referenceId: `HIS-LINK-${channel}`,
        amountFen: 8_800,
        description: '检查费 · 请家人代付',
        mode: 'h5',
      });
      expect(created.status).toBe(201);
      const payUrl = String(created.body.clientParams.payUrl);
      expect(payUrl).toMatch(new RegExp(`^${local.stack.apiUrl}/pay/default/[A-Za-z0-9_-]{32}$`));
      // The family member's phone: another browser page, the link opened from a chat.
      const phone = await browser.newPage({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
      });
      try {
        await phone.goto(payUrl);
        await expect.poll(() => phone.locator('[role=status]').textContent()).toMatch(/待支付/);
        expect(await phone.textContent('body')).toMatch(/¥88\.00/);
        await phone.screenshot({ path: join(OUT, `link-${channel}-1-opened.png`) });
        await phone.getByRole('button', { name: /支付 ¥88\.00/ }).click();
        await phone.waitForURL(/\/sandbox\/checkmweb|\/alipay\/gateway\.do/);
        await phone.locator('#payer').fill(FAMILY[channel]);
        await phone.screenshot({ path: join(OUT, `link-${channel}-2-wallet.png`) });
        await phone.getByRole('button', { name: /确认支付/ }).click();
        await phone.waitForURL(payUrl);
        await expect
          .poll(() => phone.locator('[role=status]').textContent(), { timeout: 10_000 })
          .toMatch(/已支付/);
        await phone.screenshot({ path: join(OUT, `link-${channel}-3-paid.png`) });
        expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      } finally {
        await phone.close();
      }
      const paid = (await client.api('GET', `/payments/${created.body.paymentId}`, token)).body;
      expect(paid).toMatchObject({ status: 'PAID', mode: 'h5', payerId: FAMILY[channel] });
      const refund = await client.api(
        'POST',
        `/payments/${created.body.paymentId}/refunds`,
        local.stack.tokens.staff,
        {
          amountFen: 8_800,
          reason: '检查取消',
        },
      );
      expect(refund.status).toBe(201);
      expect(refund.body.payerId).toBe(FAMILY[channel]);
    });
  }

  it('fits a 390 px screen and keeps a screenshot', async () => {
    await page.waitForTimeout(3_500); // the next refresh, after the toast has gone
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(OUT, 'sandbox-phone.png'), fullPage: true });
  });
});
