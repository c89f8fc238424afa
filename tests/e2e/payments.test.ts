import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../lib/adapters/dynamodb/client';
import { dynamoLedgerStore } from '../../lib/adapters/dynamodb/ledger-store';
import { businessDayOf } from '../../lib/domain/business-day';
import type { JournalTransaction } from '../../lib/domain/ledger/journal';
import { signDevToken } from '../../lib/http/auth';
import { servedDocumentChecker } from '../support/openapi-validator';
import {
  postAlipayWebhook,
  signedAlipayForm,
  startLocalStack,
  type LocalStack,
  type Stack,
} from '../support/local-stack';
import { hospitalKeys } from '../../lib/adapters/dynamodb/keys';

/** The hospital these records belong to (the default hospital of the test and bench configurations). */
const HOSPITAL = hospitalKeys('default');

type Json = Record<string, any>;
const channels = ['alipay', 'wechatpay'] as const;
const payerFor = (channel: string) =>
  channel === 'alipay'
    ? { alipayUserId: '2088102122524333' }
    : { wechatOpenId: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' };

describe('payments over the local stack (API, sandbox providers, webhooks, DynamoDB Local)', () => {
  let local: LocalStack;
  let stack: Stack;
  let conforms: ReturnType<typeof servedDocumentChecker>;

  beforeAll(async () => {
    local = await startLocalStack();
    stack = local.stack;
    conforms = servedDocumentChecker(stack.apiUrl);
  }, 180_000);
  afterAll(() => local?.stop());

  const api = async (
    method: string,
    path: string,
    body?: unknown,
    token = stack.tokens.patient,
    key: string | null = randomUUID(),
  ) => {
    const res = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...(method === 'POST' && key ? { 'idempotency-key': key } : {}),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    await conforms(method, path, res, text);
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json, headers: res.headers };
  };
  const sandbox = async (path: string, body?: unknown) =>
    (await (
      await fetch(
        `${stack.sandboxUrl}${path}`,
        body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) },
      )
    ).json()) as any;
  const create = (channel: string, amountFen = 2500, extra: Json = {}, token?: string) =>
    api(
      'POST',
      '/payments',
      {
        channel,
        purpose: 'examination',
        referenceId: `HIS-${randomUUID().slice(0, 8)}`,
        amountFen,
        description: '血常规 100%',
        payer: payerFor(channel),
        ...extra,
      },
      token,
    );
  const ledger = () =>
    dynamoLedgerStore(
      createDocumentClient({ region: 'cn-north-1', endpoint: stack.dynamodbUrl }),
      stack.tableName,
      HOSPITAL,
    );
  const journalOf = async (paymentId: string) => {
    const out: JournalTransaction[] = [];
    for await (const t of ledger().journalForDay(businessDayOf(new Date())))
      if (t.refs.paymentId === paymentId) out.push(t);
    return out;
  };
  const clearingNet = (txns: JournalTransaction[], channel: string) =>
    txns
      .flatMap((t) => t.postings)
      .filter((p) => p.account === `channel:${channel}:clearing`)
      .reduce((n, p) => n + (p.side === 'debit' ? 1 : -1) * p.amountFen, 0);

  describe.each(channels)('%s', (channel) => {
    it('create → pay in the sandbox → PAID → partial refund → full refund → REFUNDED, balanced and matching the provider', async () => {
      const created = await create(channel);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ status: 'PENDING', channel, amountFen: 2500 });
      expect(created.body.clientParams).toBeDefined();
      const { paymentId, outTradeNo } = created.body as { paymentId: string; outTradeNo: string };

      const paid = await sandbox('/sandbox/pay', { channel, outTradeNo });
      expect(paid).toMatchObject({
        status: 'PAID',
        notified: true,
        responseStatus: channel === 'alipay' ? 200 : 204,
      });
      expect((await api('GET', `/payments/${paymentId}`)).body).toMatchObject({
        status: 'PAID',
        refundedFen: 0,
      });

      const partial = await api('POST', `/payments/${paymentId}/refunds`, {
        amountFen: 1000,
        reason: '部分退费',
      });
      expect(partial.status).toBe(201);
      await expect
        .poll(async () => (await api('GET', `/refunds/${partial.body.refundId}`)).body.status, {
          timeout: 10_000,
        })
        .toBe('SUCCEEDED');
      expect((await api('GET', `/payments/${paymentId}`)).body).toMatchObject({
        status: 'PARTIALLY_REFUNDED',
        refundedFen: 1000,
      });

      const rest = await api('POST', `/payments/${paymentId}/refunds`, {
        amountFen: 1500,
        reason: '全额退费',
      });
      expect(rest.status).toBe(201);
      await expect
        .poll(async () => (await api('GET', `/payments/${paymentId}`)).body.status, { timeout: 10_000 })
        .toBe('REFUNDED');
      const final = (await api('GET', `/payments/${paymentId}`)).body;
      expect(final.refundedFen).toBe(2500);
      expect(final.refunds).toHaveLength(2);

      // The ledger: one capture, two refunds, each balanced; clearing matches the provider's order book.
      const txns = await journalOf(paymentId);
      expect(txns.map((t) => t.txnId.split(':')[0]).sort()).toEqual(['payment', 'refund', 'refund']);
      for (const t of txns)
        expect(t.postings.reduce((n, p) => n + (p.side === 'debit' ? 1 : -1) * p.amountFen, 0)).toBe(0);
      const book = ((await sandbox('/sandbox/orders')) as Json[]).find((o) => o.outTradeNo === outTradeNo);
      expect(book).toMatchObject({ status: 'PAID', amountFen: 2500, refundedFen: 2500 });
      expect(clearingNet(txns, channel)).toBe(book!.amountFen - book!.refundedFen);
      expect((await ledger().balanceOf(`patient:${stack.patientId}:receivable` as any)).netFen).toBe(0);
    });

    it('applies a duplicated notification once, and rejects the mis-signed probe', async () => {
      const { body } = await create(channel, 990);
      await sandbox('/sandbox/pay', { channel, outTradeNo: body.outTradeNo });
      const again = await sandbox('/sandbox/pay', { channel, outTradeNo: body.outTradeNo }); // the provider notifies again
      expect(again.responseStatus).toBe(channel === 'alipay' ? 200 : 204);
      const probe = await sandbox('/sandbox/probe', { channel, outTradeNo: body.outTradeNo });
      expect(probe).toMatchObject({ acknowledged: false, responseStatus: 401 });
      expect((await journalOf(body.paymentId as string)).map((t) => t.txnId)).toEqual([
        `payment:${body.paymentId}:captured`,
      ]);
    });

    it('ends PAID through the sweep when the notification never arrives', async () => {
      await sandbox('/sandbox/settings', { notifications: false });
      try {
        const { body } = await create(channel, 1200);
        expect((await sandbox('/sandbox/pay', { channel, outTradeNo: body.outTradeNo })).notified).toBe(
          false,
        );
        expect((await api('GET', `/payments/${body.paymentId}`)).body.status).toBe('PENDING');
        const res = await fetch(
          `${stack.lambdaUrl}/2015-03-31/functions/medpay-local-sweepPayments/invocations`,
          {
            method: 'POST',
            body: JSON.stringify({ olderThanMinutes: 0 }),
          },
        );
        expect(res.status).toBe(200);
        expect((await api('GET', `/payments/${body.paymentId}`)).body.status).toBe('PAID');
      } finally {
        await sandbox('/sandbox/settings', { notifications: true });
      }
    });

    it('finds a payment by its HIS reference and on its day through GET /payments (staff; a patient only theirs)', async () => {
      const referenceId = `HIS-SEARCH-${randomUUID().slice(0, 8)}`;
      const { body } = await create(channel, 777, { referenceId });
      const byRef = await api('GET', `/payments?referenceId=${referenceId}`, undefined, stack.tokens.staff);
      expect(byRef.status).toBe(200);
      expect(byRef.body.items.map((p: Json) => p.paymentId)).toEqual([body.paymentId]);
      const today = businessDayOf(new Date());
      let cursor = '';
      let found = false;
      for (let page = 0; page < 100 && !found; page++) {
        const res = await api(
          'GET',
          `/payments?date=${today}&channel=${channel}&limit=100${cursor}`,
          undefined,
          stack.tokens.staff,
        );
        found = res.body.items.some((p: Json) => p.paymentId === body.paymentId);
        if (!res.body.nextCursor) break;
        cursor = `&cursor=${encodeURIComponent(res.body.nextCursor as string)}`;
      }
      expect(found).toBe(true);
      const stranger = await signDevToken(
        readFileSync(join(local.localDir, 'jwt-hs256-secret'), 'utf8').trim(),
        {
          sub: 'P-STRANGER',
          role: 'patient',
        },
      );
      expect(
        (await api('GET', `/payments?referenceId=${referenceId}`, undefined, stranger)).body.items,
      ).toEqual([]);
      expect((await api('GET', '/payments', undefined, stack.tokens.staff)).status).toBe(400);
    });

    it('closes an unpaid payment at the provider', async () => {
      const { body } = await create(channel, 300);
      const closed = await api('POST', `/payments/${body.paymentId}/close`);
      expect(closed.status).toBe(200);
      expect(closed.body.status).toBe('CLOSED');
      expect(
        ((await sandbox('/sandbox/orders')) as Json[]).find((o) => o.outTradeNo === body.outTradeNo)?.status,
      ).toBe('CLOSED');
    });
  });

  it("refunds a suspended doctor's session in bulk, compensating each patient once", async () => {
    const session = `SESSION-${randomUUID().slice(0, 8)}`;
    const made: Json[] = [];
    for (const [channel, patientId] of [
      ['alipay', 'PA1'],
      ['wechatpay', 'PB1'],
      ['alipay', 'PC1'],
    ] as const) {
      made.push((await create(channel, 800, { referenceId: session, patientId }, stack.tokens.staff)).body);
    }
    for (const p of made.slice(0, 2))
      await sandbox('/sandbox/pay', { channel: p.channel, outTradeNo: p.outTradeNo });
    const started = await api(
      'POST',
      '/refunds/bulk',
      { referenceIds: [session], reason: '医生停诊', compensation: { amountFen: 1000 } },
      stack.tokens.staff,
    );
    expect(started.status).toBe(202);
    const batchNow = async () =>
      (await api('GET', `/refunds/bulk/${started.body.batchId}`, undefined, stack.tokens.staff)).body;
    const batch = await batchNow();
    expect(batch.status).toBe('COMPLETED');
    expect(batch.totals).toMatchObject({ refundedFen: 1600, compensationFen: 2000, payments: 3 });
    // Alipay refunds at once; WeChat answers PROCESSING and notifies REFUND.SUCCESS: the items follow.
    await expect
      .poll(async () => (await batchNow()).items.map((i: Json) => i.status).sort(), { timeout: 10_000 })
      .toEqual(['REFUNDED', 'REFUNDED', 'SKIPPED']);
    for (const p of made.slice(0, 2)) {
      await expect
        .poll(
          async () =>
            (await api('GET', `/payments/${p.paymentId}`, undefined, stack.tokens.staff)).body.status,
          { timeout: 10_000 },
        )
        .toBe('REFUNDED');
    }
    expect((await ledger().balanceOf('patient:PA1:receivable' as any)).netFen).toBe(-1000); // the hospital owes PA1 ¥10
    const again = await api(
      'POST',
      '/refunds/bulk',
      { referenceIds: [session], reason: '医生停诊', compensation: { amountFen: 1000 } },
      stack.tokens.staff,
    );
    const second = (await api('GET', `/refunds/bulk/${again.body.batchId}`, undefined, stack.tokens.staff))
      .body;
    expect(second.totals).toMatchObject({ refundedFen: 0, compensationFen: 0 });
    expect((await ledger().balanceOf('patient:PA1:receivable' as any)).netFen).toBe(-1000);
    expect((await api('POST', '/refunds/bulk', { referenceIds: [session], reason: 'x' })).status).toBe(403); // patients may not
  });

  describe('bad input gets a clear 4xx and writes nothing', () => {
    it.each([
      ['zero', 0],
      ['negative', -1],
      ['fractional', 12.5],
      ['a string', '100'],
      ['above 10^10 fen', 10_000_000_001],
    ])('refuses an amount that is %s with VALIDATION_FAILED', async (_name, amountFen) => {
      const res = await create('wechatpay', amountFen as number);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    });

    it('refuses an unknown channel, a missing payer and a payer of the other channel', async () => {
      expect((await create('unionpay')).status).toBe(400);
      expect((await create('alipay', 100, { payer: undefined })).body.error.code).toBe('VALIDATION_FAILED');
      expect((await create('alipay', 100, { payer: { wechatOpenId: 'o1' } })).body.error.code).toBe(
        'VALIDATION_FAILED',
      );
    });

    it('refuses a refund above the refundable amount (422) and of an unpaid payment (409)', async () => {
      const pending = (await create('alipay', 500)).body;
      const unpaid = await api('POST', `/payments/${pending.paymentId}/refunds`, {
        amountFen: 100,
        reason: 'x',
      });
      expect(unpaid.status).toBe(409);
      expect(unpaid.body.error.code).toBe('INVALID_STATE');
      await sandbox('/sandbox/pay', { channel: 'alipay', outTradeNo: pending.outTradeNo });
      const above = await api('POST', `/payments/${pending.paymentId}/refunds`, {
        amountFen: 501,
        reason: 'x',
      });
      expect(above.status).toBe(422);
      expect(above.body.error.code).toBe('AMOUNT_EXCEEDS_REFUNDABLE');
    });

    it('lets exactly one of concurrent refunds that together exceed the payment win', async () => {
      const p = (await create('alipay', 2500)).body;
      await sandbox('/sandbox/pay', { channel: 'alipay', outTradeNo: p.outTradeNo });
      const results = await Promise.all(
        [1, 2, 3].map(() =>
          api(
            'POST',
            `/payments/${p.paymentId}/refunds`,
            { amountFen: 2000, reason: 'race' },
            stack.tokens.staff,
          ),
        ),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      for (const r of results.filter((x) => x.status !== 201)) expect([409, 422]).toContain(r.status);
      const final = (await api('GET', `/payments/${p.paymentId}`)).body;
      expect(final.refundedFen).toBe(2000);
    });

    it("answers 404 for another patient's payment", async () => {
      const mine = (await create('wechatpay', 100)).body;
      const other = await signDevToken(readFileSync(`${local.localDir}/jwt-hs256-secret`, 'utf8').trim(), {
        sub: 'P-OTHER',
        role: 'patient',
      });
      const res = await api('GET', `/payments/${mine.paymentId}`, undefined, other);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    });

    it('rejects a forged Alipay notification, and acknowledges a valid one for an unknown order as an orphan', async () => {
      const params: Record<string, string> = {
        notify_time: '2026-03-01 10:00:02',
        notify_type: 'trade_status_sync',
        notify_id: randomUUID(),
        charset: 'utf-8',
        version: '1.0',
        app_id: stack.alipay.appId,
        seller_id: stack.alipay.sellerId,
        trade_no: '2026030122001400000000000001',
        out_trade_no: 'MPunknownorder0001',
        trade_status: 'TRADE_SUCCESS',
        total_amount: '10.00',
        gmt_payment: '2026-03-01 10:00:01',
      };
      const post = (body: string) => postAlipayWebhook(stack, body);
      const valid = signedAlipayForm(stack, params);
      expect(await (await post(valid)).text()).toBe('success');
      const forged = valid.replace('total_amount=10.00', 'total_amount=99.00');
      const rejected = await post(forged);
      expect(rejected.status).toBe(401);
      expect(await rejected.text()).toBe('fail');
    });

    it('rejects a WeChat Pay notification without its signature headers', async () => {
      const res = await fetch(`${stack.apiUrl}/webhooks/wechatpay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"id":"x"}',
      });
      const text = await res.text();
      await conforms('POST', '/webhooks/wechatpay', res, text);
      expect(res.status).toBe(401);
      expect(JSON.parse(text)).toMatchObject({ code: 'FAIL' });
    });
  });
});
