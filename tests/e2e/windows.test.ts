/**
 * Windows and kiosks over the local stack (#22): a clerk scans the patient's payment code with
 * POST /payments (mode payment-code) on each wallet. The schedule is shortened (poll 1 s, the request waits
 * 2 s, reversal at 4 s) so that each course runs in seconds: a code that pays at once (201 PAID); one whose
 * password is entered while medpay polls (201 PAID); one whose password never comes (202 PENDING, then the
 * follow-up function, invoked asynchronously, reverses it: CLOSED, nothing taken); malformed, expired and
 * reused codes (400, 422, 409); a patient's token (403); the same code pressed at once with the same key
 * and with another (the money taken once); a family member's payment refunded to the family member.
 * Payment links: the public page, the Pay button's redirect to the wallet with the way back, a closed link,
 * unknown and malformed tokens; a kiosk QR code's expiry. Then each wallet's bill for the day reconciles.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDayOf } from '../../lib/domain/business-day';
import { stackClient, startLocalStack, type LocalStack } from '../support/local-stack';

const FAMILY = { wechatpay: 'oFamilyMemberOfThePatient0001', alipay: '2088000000009999' } as const;

describe('payment codes at a window, over the local stack', () => {
  let local: LocalStack;
  let client: ReturnType<typeof stackClient>;
  beforeAll(async () => {
    local = await startLocalStack({
      env: {
        MEDPAY_PAYMENT_CODE_POLL_SECONDS: '1',
        MEDPAY_PAYMENT_CODE_WAIT_SECONDS: '2',
        MEDPAY_PAYMENT_CODE_DEADLINE_SECONDS_WECHATPAY: '4',
        MEDPAY_PAYMENT_CODE_DEADLINE_SECONDS_ALIPAY: '4',
      },
    });
    client = stackClient(local);
  }, 240_000);
  afterAll(() => local?.stop());

  const staff = () => local.stack.tokens.staff;
  const code = async (channel: string, kind = 'valid', extra: object = {}) =>
    String(
      (
        await client.sandbox('/sandbox/payment-codes', {
          channel,
          kind,
          payer: FAMILY[channel as keyof typeof FAMILY],
          ...extra,
        })
      ).authCode,
    );
  let n = 0;
  const scan = (channel: string, authCode: string, headers: Record<string, string> = {}, over = {}) =>
    client.api(
      'POST',
      '/payments',
      staff(),
      {
        mode: 'payment-code',
        channel,
        purpose: 'examination',
        referenceId: `HIS-WINDOW-${++n}`,
        amountFen: 6_600,
        description: '门诊缴费',
        patientId: 'P-AT-WINDOW',
        authCode,
        deviceId: 'SCANNER-01',
        windowId: 'WINDOW-3',
        ...over,
      },
      headers,
    );

  describe.each(['wechatpay', 'alipay'])('%s links and QR codes', (channel) => {
    it('a link opens a page, and paying it sends the browser to the wallet with the way back', async () => {
      const created = await client.api('POST', '/payments', staff(), {
        mode: 'h5',
        channel,
        purpose: 'examination',
        referenceId: `HIS-LINK-${channel}`,
        amountFen: 1_234,
        description: '化验费',
        patientId: 'P-LINK',
        expiresInMinutes: 60,
      });
      expect(created.status).toBe(201);
      expect(Date.parse(created.body.expiresAt) - Date.now()).toBeGreaterThan(59 * 60_000);
      const url = String(created.body.clientParams.payUrl);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await page.text();
      expect(html).toContain('¥12.34');
      expect(html).not.toContain('P-LINK'); // the link never names the patient
      const pay = await fetch(url, { method: 'POST', redirect: 'manual' });
      expect(pay.status).toBe(303);
      const to = new URL(pay.headers.get('location') ?? '');
      if (channel === 'wechatpay') {
        expect(to.pathname).toBe('/sandbox/checkmweb');
        expect(to.searchParams.get('redirect_url')).toBe(url);
      } else {
        expect(to.pathname).toBe('/alipay/gateway.do');
        expect(to.searchParams.get('method')).toBe('alipay.trade.wap.pay');
        expect(to.searchParams.get('return_url')).toBe(url);
        expect(JSON.parse(to.searchParams.get('biz_content') ?? '{}')).toMatchObject({
          product_code: 'QUICK_WAP_WAY',
          total_amount: '12.34',
        });
      }
      // The wallet's page answers: the order exists at the provider.
      expect((await fetch(to)).status).toBe(200);
      // Closed, the link pays nothing more: the browser is sent back to it.
      expect(
        (await client.api('POST', `/payments/${created.body.paymentId}/close`, staff())).body.status,
      ).toBe('CLOSED');
      const again = await fetch(url, { method: 'POST', redirect: 'manual' });
      expect([again.status, again.headers.get('location')]).toEqual([303, url]);
      expect(await (await fetch(url)).text()).toContain('已关闭');
    });

    it('refuses a link with an unknown token (404) or a malformed one (400), and a payer on a link (400)', async () => {
      const base = local.stack.apiUrl;
      expect((await fetch(`${base}/pay/default/${'A'.repeat(32)}`)).status).toBe(404);
      expect((await fetch(`${base}/pay/default/short`)).status).toBe(400);
      const withPayer = await client.api('POST', '/payments', staff(), {
        mode: 'h5',
        channel,
        purpose: 'examination',
        referenceId: 'HIS-LINK-PAYER',
        amountFen: 100,
        description: 'x',
        patientId: 'P-LINK',
        payer: channel === 'alipay' ? { alipayUserId: '2088000000000001' } : { wechatOpenId: 'o1' },
      });
      expect([withPayer.status, withPayer.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    });

    it('a kiosk QR code lives as long as asked, within the providers’ 2 h', async () => {
      const qr = await client.api('POST', '/payments', staff(), {
        mode: 'qr',
        channel,
        purpose: 'examination',
        referenceId: `HIS-QR-${channel}`,
        amountFen: 500,
        description: '挂号费',
        patientId: 'P-QR',
        expiresInMinutes: 10,
      });
      expect(qr.status).toBe(201);
      expect(Object.keys(qr.body.clientParams)).toEqual([channel === 'wechatpay' ? 'codeUrl' : 'qrCode']);
      const left = Date.parse(qr.body.expiresAt) - Date.now();
      expect(left).toBeGreaterThan(9 * 60_000);
      expect(left).toBeLessThanOrEqual(10 * 60_000);
      const tooLong = await client.api('POST', '/payments', staff(), {
        mode: 'qr',
        channel,
        purpose: 'examination',
        referenceId: `HIS-QR-LONG-${channel}`,
        amountFen: 500,
        description: '挂号费',
        patientId: 'P-QR',
        expiresInMinutes: 121,
      });
      expect(tooLong.status).toBe(400);
    });
  });

  describe.each(['wechatpay', 'alipay'])('%s', (channel) => {
    it('a code that pays at once: 201 PAID, paid by the family member, taken at window 3 by the clerk', async () => {
      const res = await scan(channel, await code(channel));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        status: 'PAID',
        mode: 'payment-code',
        payerId: FAMILY[channel as keyof typeof FAMILY],
        counter: { deviceId: 'SCANNER-01', windowId: 'WINDOW-3' },
        paymentCode: { state: 'PAID' },
      });
      expect(res.body.counter.staffId).toBeTruthy();
      // The HIS's event says which window took it and who paid.
      await expect
        .poll(
          async () =>
            (
              (await client.api('GET', '/events?type=PaymentSucceeded&limit=100', staff())).body
                .items as Array<{
                data: Record<string, unknown>;
              }>
            ).find((e) => e.data.paymentId === res.body.paymentId)?.data,
          { timeout: 10_000 },
        )
        .toMatchObject({
          mode: 'payment-code',
          payerId: FAMILY[channel as keyof typeof FAMILY],
          counter: { deviceId: 'SCANNER-01', windowId: 'WINDOW-3' },
        });
      // A family member's payment is refunded to the family member.
      const refund = await client.api('POST', `/payments/${res.body.paymentId}/refunds`, staff(), {
        amountFen: 6_600,
        reason: '退费',
      });
      expect(refund.status).toBe(201);
      expect(refund.body.payerId).toBe(FAMILY[channel as keyof typeof FAMILY]);
      const orders = (await client.sandbox('/sandbox/orders')) as unknown as Array<Record<string, any>>;
      const booked = orders.find((o) => o.outTradeNo === res.body.outTradeNo);
      expect(booked?.refunds.map((r: { payer: string }) => r.payer)).toEqual([
        FAMILY[channel as keyof typeof FAMILY],
      ]);
    });

    it('a code that needs a password entered while medpay polls: 201 PAID', async () => {
      const res = await scan(channel, await code(channel, 'password', { passwordAfterMs: 500 }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'PAID', paymentCode: { state: 'PAID' } });
    });

    it('a password that never comes: 202 PENDING, then reversed by the follow-up, CLOSED, nothing taken', async () => {
      const res = await scan(channel, await code(channel, 'password'));
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ status: 'PENDING', paymentCode: { state: 'PAYING' } });
      await expect
        .poll(async () => (await client.api('GET', `/payments/${res.body.paymentId}`, staff())).body, {
          timeout: 20_000,
          interval: 500,
        })
        .toMatchObject({ status: 'CLOSED', paymentCode: { state: 'REVERSED' } });
      const orders = (await client.sandbox('/sandbox/orders')) as unknown as Array<Record<string, any>>;
      expect(orders.find((o) => o.outTradeNo === res.body.outTradeNo)).toMatchObject({
        status: 'CLOSED',
        revoked: true,
        refundedFen: 0,
      });
    });

    it('refuses a malformed code (400), an expired one (422), a reused one (409), and a patient scanning (403)', async () => {
      const malformed = await scan(channel, '1234567890');
      expect([malformed.status, malformed.body.error.code]).toEqual([400, 'PAYMENT_CODE_INVALID']);
      const expired = await scan(channel, await code(channel, 'expired'));
      expect([expired.status, expired.body.error.code]).toEqual([422, 'PAYMENT_CODE_REFUSED']);
      const authCode = await code(channel);
      expect((await scan(channel, authCode)).status).toBe(201);
      const reused = await scan(channel, authCode);
      expect([reused.status, reused.body.error.code]).toEqual([409, 'PAYMENT_CODE_USED']);
      const { token } = await client.patient();
      const patient = await client.api('POST', '/payments', token, {
        mode: 'payment-code',
        channel,
        purpose: 'examination',
        referenceId: 'HIS-SELF-SCAN',
        amountFen: 100,
        description: '门诊缴费',
        authCode: await code(channel),
        deviceId: 'SCANNER-01',
      });
      expect(patient.status).toBe(403);
    });

    it('pressing pay twice at once, with the same key and with another, takes the money once', async () => {
      const authCode = await code(channel, 'password', { passwordAfterMs: 800 });
      const key = randomUUID();
      const charge = { referenceId: `HIS-TWICE-${channel}` };
      const answers = await Promise.all([
        scan(channel, authCode, { 'idempotency-key': key }, charge),
        scan(channel, authCode, { 'idempotency-key': key }, charge),
        scan(channel, authCode, {}, charge),
      ]);
      const ids = new Set(answers.filter((a) => a.status < 300).map((a) => a.body.paymentId));
      expect(ids.size).toBe(1);
      // A press while the first is still in flight with the same key is told so (and may retry).
      for (const a of answers) expect([200, 201, 202, 409]).toContain(a.status);
      const [paymentId] = [...ids];
      await expect
        .poll(async () => (await client.api('GET', `/payments/${paymentId}`, staff())).body.status, {
          timeout: 20_000,
        })
        .toBe('PAID');
      const orders = (await client.sandbox('/sandbox/orders')) as unknown as Array<Record<string, any>>;
      const paid = orders.filter(
        (o) =>
          o.channel === channel &&
          o.status === 'PAID' &&
          o.description === '门诊缴费' &&
          o.payer === FAMILY[channel as keyof typeof FAMILY],
      );
      const mine = (await client.api('GET', `/payments/${paymentId}`, staff())).body;
      expect(paid.filter((o) => o.outTradeNo === mine.outTradeNo)).toHaveLength(1);
      const search = await client.api('GET', `/payments?referenceId=HIS-TWICE-${channel}`, staff());
      expect(search.body.items).toHaveLength(1);
    });
  });

  it("finance sees the day's window, kiosk and link payments like any other: each wallet's bill reconciles", async () => {
    await new Promise((r) => setTimeout(r, 500)); // WeChat refunds succeed shortly after
    const today = businessDayOf(new Date());
    for (const channel of ['alipay', 'wechatpay'] as const) {
      const run = await client.api('POST', '/reconciliations', local.stack.tokens.finance, {
        date: today,
        channel,
      });
      expect(run.status).toBe(201);
      expect(run.body).toMatchObject({
        status: 'COMPLETED',
        summary: { missingInLedger: 0, missingAtProvider: 0, amountMismatch: 0 },
      });
      expect(run.body.summary.matched).toBeGreaterThanOrEqual(4);
    }
  });
});
