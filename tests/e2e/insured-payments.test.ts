/**
 * Insured payments (医保移动支付) over the local stack: the patient authorises in the wallet (the sandbox's
 * authorisation page), POST /payments uploads the fee lines to the platform simulator (6201 over the SM2/SM4
 * envelope), the wallet's mixed order takes the self-pay part, and the result reaches medpay through the
 * wallet's callback or the sweep. Every response is checked against the served OpenAPI document.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../lib/adapters/dynamodb/client';
import { dynamoLedgerStore } from '../../lib/adapters/dynamodb/ledger-store';
import { businessDayOf } from '../../lib/domain/business-day';
import type { JournalTransaction } from '../../lib/domain/ledger/journal';
import { payerFor, stackClient, startLocalStack, type LocalStack } from '../support/local-stack';
import { hospitalKeys } from '../../lib/adapters/dynamodb/keys';

/** The hospital these records belong to (the default hospital of the test and bench configurations). */
const HOSPITAL = hospitalKeys('default');

type Json = Record<string, any>;

describe('insured payments over the local stack (WeChat 医保 2.0, Alipay medical trade)', () => {
  let local: LocalStack;
  let client: ReturnType<typeof stackClient>;
  beforeAll(async () => {
    local = await startLocalStack();
    client = stackClient(local);
  }, 180_000);
  afterAll(() => local?.stop());

  const channel = 'wechatpay';
  const patient = { name: '张三', idNumber: '44030019000101123X' };
  const account = (fen: number) =>
    client.sandbox('/sandbox/settings', { insurancePlatform: { defaultPersonalAccountFen: fen } });
  /** The patient authorises insurance in the wallet: a single-use code for the front end. */
  const authorise = async () =>
    (
      await client.sandbox('/sandbox/medical-insurance/authorise', {
        channel,
        payerId: payerFor(channel).wechatOpenId,
        ...patient,
      })
    ).authCode as string;
  /** Fee lines: list code → fen (numeric codes are service items, 80 % fund; S… is outside the lists). */
  const lines = (byCode: Record<string, number>) =>
    Object.entries(byCode).map(([listCode, amountFen], i) => ({
      lineId: `L${i + 1}`,
      listCode,
      hospitalListCode: `H-${listCode}`,
      name: `项目${i + 1}`,
      quantity: '1',
      amountFen,
    }));
  const pay = async (byCode: Record<string, number>, authCode?: string) => {
    const feeLines = lines(byCode);
    return client.api('POST', '/payments', local.stack.tokens.patient, {
      channel,
      purpose: 'examination',
      referenceId: `HIS-MI-${randomUUID().slice(0, 8)}`,
      amountFen: feeLines.reduce((n, l) => n + l.amountFen, 0),
      description: '门诊缴费',
      payer: payerFor(channel),
      insurance: {
        authCode: authCode ?? (await authorise()),
        feeLines,
        patient: { ...patient, cardType: 'ID_CARD' },
      },
    });
  };
  const get = async (paymentId: string) =>
    (await client.api('GET', `/payments/${paymentId}`, local.stack.tokens.patient)).body;
  const ledger = () =>
    dynamoLedgerStore(
      createDocumentClient({ region: 'cn-north-1', endpoint: local.stack.dynamodbUrl }),
      local.stack.tableName,
      HOSPITAL,
    );
  const journalOf = async (paymentId: string) => {
    const found: JournalTransaction[] = [];
    for await (const t of ledger().journalForDay(businessDayOf(new Date())))
      if (t.refs.paymentId === paymentId) found.push(t);
    return found;
  };

  it('pays CASH_AND_INSURANCE: the split, one password, PAID with each part posted and balanced', async () => {
    await account(1_000);
    const created = await pay({ '250101001': 10_000, S9: 5_000 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'PENDING',
      amountFen: 15_000,
      insurance: {
        mixPayType: 'CASH_AND_INSURANCE',
        insuredFen: 8_000,
        personalAccountFen: 1_000,
        selfPayFen: 6_000,
        status: 'ORDERED',
        selfPayStatus: 'PENDING',
      },
    });
    expect(created.body.clientParams).toMatchObject({ mixTradeNo: expect.any(String), signType: 'RSA' });
    const paid = await client.sandbox('/sandbox/medical-insurance/pay', {
      outTradeNo: created.body.outTradeNo,
    });
    expect(paid).toMatchObject({ notified: true, responseStatus: 204 });
    const payment = await get(created.body.paymentId as string);
    expect(payment).toMatchObject({
      status: 'PAID',
      insurance: {
        status: 'SETTLED',
        selfPayStatus: 'PAID',
        channelOrderNo: created.body.clientParams.mixTradeNo,
      },
    });
    const [capture] = await journalOf(created.body.paymentId as string);
    const debits = Object.fromEntries(
      (capture?.postings ?? []).filter((p) => p.side === 'debit').map((p) => [p.account, p.amountFen]),
    );
    expect(debits).toMatchObject({
      'insurance:fund:receivable': 8_000,
      'insurance:personal-account:receivable': 1_000,
      'channel:wechatpay:clearing': 6_000,
    });
    const sum = (side: string) =>
      (capture?.postings ?? []).filter((p) => p.side === side).reduce((n, p) => n + p.amountFen, 0);
    expect(sum('debit')).toBe(sum('credit'));

    // The day's statement shows the three parts of the payment, each on its own row; the insured parts name
    // the platform's order (what its settlement list names), the self-pay part the wallet's transaction.
    const today = businessDayOf(new Date());
    const file = await client.api('GET', `/statements/${today}?format=csv`, local.stack.tokens.finance);
    expect(file.status).toBe(302);
    const csv = await (await fetch(String(file.headers.get('location')))).text();
    const rows = csv.split('\r\n').filter((l) => l.includes(`,${created.body.paymentId as string},`));
    expect(rows.map((l) => [l.split(',')[1], l.split(',')[8]]).sort()).toEqual([
      ['医保个人账户 personal-account', '10.00'],
      ['医保统筹 insurance-fund', '80.00'],
      ['微信支付 wechatpay', '60.00'],
    ]);
    const providerNo = (channel: string) =>
      rows.find((l) => l.split(',')[1]?.endsWith(channel))?.split(',')[4];
    expect(providerNo('insurance-fund')).toBe(payment.insurance.payOrdId);
    expect(providerNo('personal-account')).toBe(payment.insurance.payOrdId);
    expect(providerNo('wechatpay')).not.toBe(payment.insurance.payOrdId);
  });

  it('pays INSURANCE_ONLY (self-pay 0) and CASH_ONLY (nothing covered) through the same API', async () => {
    await account(100_000);
    const insuranceOnly = await pay({ '250101001': 10_000 });
    expect(insuranceOnly.body.insurance).toMatchObject({ mixPayType: 'INSURANCE_ONLY', selfPayFen: 0 });
    expect(insuranceOnly.body.clientParams).toEqual({ mixTradeNo: expect.any(String) });
    await client.sandbox('/sandbox/medical-insurance/pay', { outTradeNo: insuranceOnly.body.outTradeNo });
    expect(await get(insuranceOnly.body.paymentId as string)).toMatchObject({
      status: 'PAID',
      insurance: { status: 'SETTLED', selfPayStatus: 'NONE' },
    });

    await account(0); // nothing covered and no personal account left: all of it is self-pay
    const cashOnly = await pay({ S1: 3_000 });
    expect(cashOnly.body.insurance).toMatchObject({
      mixPayType: 'CASH_ONLY',
      insuredFen: 0,
      selfPayFen: 3_000,
    });
    await client.sandbox('/sandbox/medical-insurance/pay', { outTradeNo: cashOnly.body.outTradeNo });
    expect(await get(cashOnly.body.paymentId as string)).toMatchObject({
      status: 'PAID',
      insurance: { status: 'REVOKED', selfPayStatus: 'PAID' },
    });
  });

  it('refuses an authorisation used already or unknown (422), and fee lines that do not add up (400)', async () => {
    await account(1_000);
    const authCode = await authorise();
    expect((await pay({ '250101001': 1_000 }, authCode)).status).toBe(201);
    const reused = await pay({ '250101001': 1_000 }, authCode);
    expect(reused).toMatchObject({ status: 422, body: { error: { code: 'INSURANCE_AUTH_INVALID' } } });
    const unknown = await pay({ '250101001': 1_000 }, 'AC-NEVER-ISSUED');
    expect(unknown).toMatchObject({ status: 422, body: { error: { code: 'INSURANCE_AUTH_INVALID' } } });
    const uneven = await client.api('POST', '/payments', local.stack.tokens.patient, {
      channel,
      purpose: 'examination',
      referenceId: 'HIS-MI-UNEVEN',
      amountFen: 1_001,
      description: '门诊缴费',
      payer: payerFor(channel),
      insurance: { authCode: await authorise(), feeLines: lines({ '250101001': 1_000 }) },
    });
    expect(uneven).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
  });

  it('answers 503 when the platform is down at 6201, with nothing recorded', async () => {
    await client.sandbox('/sandbox/settings', { insurancePlatform: { failNext: { '6201': 1 } } });
    const referenceId = `HIS-MI-DOWN-${randomUUID().slice(0, 8)}`;
    const res = await client.api('POST', '/payments', local.stack.tokens.patient, {
      channel,
      purpose: 'examination',
      referenceId,
      amountFen: 1_000,
      description: '门诊缴费',
      payer: payerFor(channel),
      insurance: { authCode: await authorise(), feeLines: lines({ '250101001': 1_000 }) },
    });
    expect(res).toMatchObject({ status: 503, body: { error: { code: 'PROVIDER_UNAVAILABLE' } } });
    const found = await client.api('GET', `/payments?referenceId=${referenceId}`, local.stack.tokens.staff);
    expect(found.body.items).toEqual([]);
    // The platform was asked (its one injected failure is used up), and nothing was written here.
    const after = (await client.sandbox('/sandbox/settings', {})).insurancePlatform as Json;
    expect(after.failNext).toEqual({ '6201': 0 });
  });

  it('completes through the sweep a mixed order whose callback never comes', async () => {
    await account(1_000);
    await client.sandbox('/sandbox/settings', { medicalCallbacks: false });
    try {
      const created = await pay({ '250101001': 10_000, S9: 5_000 });
      const paid = await client.sandbox('/sandbox/medical-insurance/pay', {
        outTradeNo: created.body.outTradeNo,
      });
      expect(paid.notified).toBe(false);
      expect((await get(created.body.paymentId as string)).status).toBe('PENDING');
      const res = await fetch(
        `${local.stack.lambdaUrl}/2015-03-31/functions/medpay-local-sweepPayments/invocations`,
        { method: 'POST', body: JSON.stringify({ olderThanMinutes: 0 }) },
      );
      expect(res.status).toBe(200);
      expect(await get(created.body.paymentId as string)).toMatchObject({
        status: 'PAID',
        insurance: { status: 'SETTLED' },
      });
    } finally {
      await client.sandbox('/sandbox/settings', { medicalCallbacks: true });
    }
  });

  it('refunds an insured payment in full: 6203, then the cash refund, then the refund notice; each part readable', async () => {
    await account(1_000);
    const created = await pay({ '250101001': 10_000, S9: 5_000 });
    const paymentId = created.body.paymentId as string;
    await client.sandbox('/sandbox/medical-insurance/pay', { outTradeNo: created.body.outTradeNo });
    expect((await get(paymentId)).status).toBe('PAID');

    const partial = await client.api('POST', `/payments/${paymentId}/refunds`, local.stack.tokens.staff, {
      amountFen: 6_000,
      reason: '部分退费',
    });
    expect(partial).toMatchObject({ status: 422, body: { error: { code: 'INSURANCE_PARTIAL_REFUND' } } });

    const refund = await client.api('POST', `/payments/${paymentId}/refunds`, local.stack.tokens.staff, {
      amountFen: 15_000,
      reason: '停诊退费',
    });
    expect(refund.status).toBe(201);
    expect(refund.body.insurance).toMatchObject({
      insuredFen: 8_000,
      personalAccountFen: 1_000,
      selfPayFen: 6_000,
      platform: 'SUCCEEDED',
      walletNotified: true,
    });
    // WeChat settles the cash refund shortly after and notifies REFUND.SUCCESS; then the refund is done.
    let after: Json = refund.body;
    for (let i = 0; i < 50 && after.status === 'PROCESSING'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = (
        await client.api('GET', `/refunds/${refund.body.refundId as string}`, local.stack.tokens.staff)
      ).body;
    }
    expect(after).toMatchObject({
      status: 'SUCCEEDED',
      insurance: { platform: 'SUCCEEDED', cash: 'SUCCEEDED' },
    });
    expect(await get(paymentId)).toMatchObject({
      status: 'REFUNDED',
      insurance: { status: 'REFUNDED', selfPayStatus: 'REFUNDED' },
    });
    const reversal = (await journalOf(paymentId)).find((t) => t.txnId.startsWith('refund:'));
    const credits = Object.fromEntries(
      (reversal?.postings ?? []).filter((p) => p.side === 'credit').map((p) => [p.account, p.amountFen]),
    );
    expect(credits).toMatchObject({
      'insurance:fund:receivable': 8_000,
      'insurance:personal-account:receivable': 1_000,
      'channel:wechatpay:clearing': 6_000,
    });
  });

  it('Alipay: pays CASH_AND_INSURANCE through the medical trade (pay_url), settled by query, refunded in full', async () => {
    await account(1_000);
    const payer = payerFor('alipay');
    const { authCode } = await client.sandbox('/sandbox/medical-insurance/authorise', {
      channel: 'alipay',
      payerId: payer.alipayUserId,
    });
    const feeLines = lines({ '250101001': 10_000, S9: 5_000 });
    const created = await client.api('POST', '/payments', local.stack.tokens.patient, {
      channel: 'alipay',
      purpose: 'examination',
      referenceId: `HIS-MIA-${randomUUID().slice(0, 8)}`,
      amountFen: 15_000,
      description: '门诊缴费',
      payer,
      insurance: { authCode, location: '113.264385,23.129112', feeLines },
    });
    expect(created.status).toBe(201);
    expect(created.body.insurance).toMatchObject({
      mixPayType: 'CASH_AND_INSURANCE',
      insuredFen: 8_000,
      personalAccountFen: 1_000,
      selfPayFen: 6_000,
      status: 'ORDERED',
    });
    expect(created.body.clientParams.payUrl).toMatch(/^http/);
    const paymentId = created.body.paymentId as string;
    await client.sandbox('/sandbox/medical-insurance/pay', { outTradeNo: created.body.outTradeNo });
    // Alipay's result notification payload is not published: the sweep asks alipay.commerce.medical.trade.query.
    const swept = await fetch(
      `${local.stack.lambdaUrl}/2015-03-31/functions/medpay-local-sweepPayments/invocations`,
      { method: 'POST', body: JSON.stringify({ olderThanMinutes: 0 }) },
    );
    expect(swept.status).toBe(200);
    expect(await get(paymentId)).toMatchObject({
      status: 'PAID',
      insurance: {
        status: 'SETTLED',
        selfPayStatus: 'PAID',
        channelOrderNo: created.body.clientParams.tradeNo,
      },
    });
    const [capture] = await journalOf(paymentId);
    expect(
      Object.fromEntries(
        (capture?.postings ?? []).filter((p) => p.side === 'debit').map((p) => [p.account, p.amountFen]),
      ),
    ).toMatchObject({
      'insurance:fund:receivable': 8_000,
      'insurance:personal-account:receivable': 1_000,
      'channel:alipay:clearing': 6_000,
    });

    const refund = await client.api('POST', `/payments/${paymentId}/refunds`, local.stack.tokens.staff, {
      amountFen: 15_000,
      reason: '停诊退费',
    });
    expect(refund).toMatchObject({
      status: 201,
      body: { status: 'SUCCEEDED', insurance: { platform: 'SUCCEEDED', cash: 'SUCCEEDED' } },
    });
    expect(await get(paymentId)).toMatchObject({ status: 'REFUNDED', insurance: { status: 'REFUNDED' } });
  });
});
