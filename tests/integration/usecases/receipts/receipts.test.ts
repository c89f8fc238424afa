/**
 * Fiscal e-receipts (#24) through the use cases against DynamoDB Local and the sandbox's e-receipt platform
 * over real HTTP with the signed envelope: a settled payment gets a receipt; a partial refund reverses it
 * (冲红) and reissues it for what is left; a full refund reverses it; an outage delays the receipt without
 * touching the payment, and the sweep issues it once the platform is back. The simulator's rules are in
 * sandbox/ereceipt.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fen } from '../../../../lib/domain/money';
import { currentBill } from '../../../../lib/domain/receipt';
import { createPayment } from '../../../../lib/usecases/payments/create';
import { loadPayment, loadRefund } from '../../../../lib/usecases/payments/records';
import { refundPayment } from '../../../../lib/usecases/payments/refund';
import {
  sweepReceipts,
  syncReceipt,
  syncVisitReceipt,
  type ReceiptDeps,
} from '../../../../lib/usecases/receipts/sync-receipt';
import { addCharge } from '../../../../lib/usecases/visits/add-charge';
import { loadVisit } from '../../../../lib/usecases/visits/records';
import { settleVisit } from '../../../../lib/usecases/visits/settle';
import { visitView } from '../../../../lib/usecases/views';
import { recorded } from '../../../support/metrics';
import { visitEnv } from '../../../support/visit-env';

type Env = Awaited<ReturnType<typeof visitEnv>>;

describe('fiscal e-receipts', () => {
  let t: Env;
  let deps: ReceiptDeps & Env['deps'];
  beforeAll(async () => {
    t = await visitEnv();
    deps = { ...t.deps, receipts: t.env.receipts };
  });
  afterAll(() => t.close());

  const sandbox = async (path: string, body?: object) => {
    const res = await fetch(`${t.env.sandbox.url}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return res.json();
  };
  let n = 0;
  async function paid(amountFen: number) {
    const { payment } = await createPayment(deps, {
      patientId: `PE${Date.now()}${n++}`,
      channel: 'wechatpay',
      purpose: 'examination',
      referenceId: `EX-R${n}`,
      amountFen: fen(amountFen),
      description: 'CT 检查',
      mode: 'mini-program',
      payer: { wechatOpenId: `o-receipt-${n}` },
    });
    await sandbox('/sandbox/pay', { channel: 'wechatpay', outTradeNo: payment.outTradeNo });
    return payment.paymentId;
  }
  async function refunded(paymentId: string, amountFen: number) {
    const r = await refundPayment(deps, { paymentId, amountFen: fen(amountFen), reason: '退费' });
    for (let i = 0; i < 50 && (await loadRefund(deps.ledger, r.refundId)).value.status === 'PROCESSING'; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await loadRefund(deps.ledger, r.refundId)).value.status).toBe('SUCCEEDED');
  }
  const platformBills = async () =>
    (await sandbox('/sandbox/ereceipts')) as Array<{
      kind: string;
      billNo: string;
      totalAmt: string;
      reversedBy?: string;
    }>;

  it('issued once settled; a partial refund reverses and reissues for the rest; a full refund reverses it', async () => {
    const paymentId = await paid(10_000);
    const issued = await syncReceipt(deps, paymentId);
    expect(issued?.status).toBe('ISSUED');
    const first = currentBill(issued);
    expect(first).toMatchObject({ kind: 'ISSUED', amountFen: 10_000 });
    expect(first?.billBatchCode).toMatch(/^\d{8}$/);
    expect(first?.billNo).toMatch(/^\d{10}$/);
    expect(first?.random).toMatch(/^\d{6}$/);
    expect(first?.url).toContain('/sandbox/ereceipts/');
    // Again: nothing more at the platform.
    await syncReceipt(deps, paymentId);
    expect((await platformBills()).filter((b) => b.billNo === first?.billNo)).toHaveLength(1);

    await refunded(paymentId, 4_000);
    const reissued = await syncReceipt(deps, paymentId);
    expect(reissued?.bills.map((b) => [b.kind, b.amountFen])).toEqual([
      ['ISSUED', 10_000],
      ['REVERSED', 10_000],
      ['ISSUED', 6_000],
    ]);
    expect(reissued?.bills[1]?.reverses).toEqual({
      billBatchCode: first?.billBatchCode,
      billNo: first?.billNo,
    });
    expect(reissued?.status).toBe('ISSUED');
    const atPlatform = await platformBills();
    expect(atPlatform.find((b) => b.billNo === first?.billNo)?.reversedBy).toBe(reissued?.bills[1]?.billNo);
    expect(atPlatform.find((b) => b.billNo === reissued?.bills[2]?.billNo)?.totalAmt).toBe('60.00');

    await refunded(paymentId, 6_000);
    const reversed = await syncReceipt(deps, paymentId);
    expect(reversed?.status).toBe('REVERSED');
    expect(reversed?.bills.map((b) => b.kind)).toEqual(['ISSUED', 'REVERSED', 'ISSUED', 'REVERSED']);
    expect(currentBill(reversed)).toBeUndefined();
    expect((await loadPayment(deps.ledger, paymentId)).value.status).toBe('REFUNDED');
  });

  it('an outage delays the receipt, never the payment; the sweep issues it when the platform is back', async () => {
    await sandbox('/sandbox/settings', { ereceiptOutage: true });
    const paymentId = await paid(2_500);
    const waiting = await syncReceipt(deps, paymentId);
    expect(waiting).toMatchObject({ status: 'PENDING', attempts: 1, bills: [] });
    expect(waiting?.lastError).toMatch(/e-receipt platform/);
    expect(waiting?.nextAttemptAt).toBeDefined();
    expect((await loadPayment(deps.ledger, paymentId)).value).toMatchObject({
      status: 'PAID',
      amountFen: 2_500,
    });
    expect(recorded(deps).total('ReceiptsDelayed')).toBeGreaterThanOrEqual(1);
    await sandbox('/sandbox/settings', { ereceiptOutage: false });

    // Not yet due: left for later.
    await sweepReceipts(deps);
    expect((await loadPayment(deps.ledger, paymentId)).value.receipt?.status).toBe('PENDING');
    // Due: issued.
    const later = { ...deps, clock: { now: () => new Date(Date.now() + 2 * 60_000) } };
    expect(await sweepReceipts(later)).toBeGreaterThanOrEqual(1);
    const receipt = (await loadPayment(deps.ledger, paymentId)).value.receipt;
    expect(receipt?.status).toBe('ISSUED');
    expect(currentBill(receipt)?.amountFen).toBe(2_500);
  });

  it('a settled pay-later visit gets one receipt for what it collected; none before it is settled', async () => {
    const v = await t.authorisedVisit('alipay', false);
    await addCharge(deps, v.visitId, {
      chargeId: 'R-1',
      category: 'laboratory',
      description: '血常规',
      amountFen: fen(3_200),
    });
    await addCharge(deps, v.visitId, {
      chargeId: 'R-2',
      category: 'examination',
      description: '胸片',
      amountFen: fen(8_000),
    });
    expect(await syncVisitReceipt(deps, v.visitId)).toBeUndefined();
    await settleVisit(deps, v.visitId, { requestedBy: 'staff:S' });
    const visit = (await loadVisit(deps.ledger, v.visitId)).value;
    expect(visit.status).toBe('SETTLED');
    const receipt = await syncVisitReceipt(deps, v.visitId);
    expect(receipt?.status).toBe('ISSUED');
    expect(currentBill(receipt)?.amountFen).toBe(11_200);
    // Again: the same receipt, nothing more at the platform.
    const before = (await platformBills()).length;
    expect(currentBill(await syncVisitReceipt(deps, v.visitId))?.billNo).toBe(currentBill(receipt)?.billNo);
    expect((await platformBills()).length).toBe(before);
    expect(visitView((await loadVisit(deps.ledger, v.visitId)).value).receipt).toMatchObject({
      status: 'ISSUED',
      bills: [{ kind: 'ISSUED', amountFen: 11_200 }],
    });
  });
});
