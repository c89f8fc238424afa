/**
 * The discrepancy workflow (#14) against the sandbox's own bills on DynamoDB Local: a day with injected
 * discrepancies ends COMPLETED_WITH_DISCREPANCIES, each is an OPEN record, each action resolves its kind
 * (audited, balanced postings only), and the day closes only when none is open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../../../lib/config/container';
import { businessDayOf } from '../../../../lib/domain/business-day';
import type { Discrepancy } from '../../../../lib/domain/discrepancy';
import { fen } from '../../../../lib/domain/money';
import {
  closeDay,
  getDiscrepancy,
  listDiscrepancies,
  resolveDiscrepancy,
} from '../../../../lib/usecases/finance/discrepancies';
import { listReconciliations } from '../../../../lib/usecases/finance/get-reconciliation';
import { reconcile } from '../../../../lib/usecases/finance/reconcile';
import { createPayment } from '../../../../lib/usecases/payments/create';
import { loadPayment } from '../../../../lib/usecases/payments/records';
import { netOf, visitEnv } from '../../../support/visit-env';

describe('the discrepancy workflow (差错处理)', () => {
  let t: Awaited<ReturnType<typeof visitEnv>>;
  let deps: AppDeps;
  const today = businessDayOf(new Date());
  const no: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let portalRefundNo = '';

  beforeAll(async () => {
    t = await visitEnv();
    deps = t.deps;
    for (const [name, amount] of [
      ['A', 2_500],
      ['B', 10_000],
      ['C', 399],
      ['D', 5_000],
      ['E', 700],
    ] as const) {
      const { payment } = await createPayment(deps, {
        patientId: 'PDISC',
        channel: 'alipay',
        purpose: 'examination',
        referenceId: `HIS-${name}`,
        amountFen: fen(amount),
        description: name,
        payer: { alipayUserId: '2088102122524333' },
        mode: 'mini-program',
      });
      await fetch(`${t.env.sandbox.url}/sandbox/pay`, {
        method: 'POST',
        body: JSON.stringify({ channel: 'alipay', outTradeNo: payment.outTradeNo }),
      });
      no[name] = payment.outTradeNo;
      ids[name] = payment.paymentId;
    }
    // D is partly refunded at Alipay's merchant portal: in Alipay's books and bill, never told to medpay.
    const portal = await fetch(`${t.env.sandbox.url}/sandbox/portal-refund`, {
      method: 'POST',
      body: JSON.stringify({ channel: 'alipay', outTradeNo: no.D, amountFen: 1_000 }),
    });
    portalRefundNo = ((await portal.json()) as { outRefundNo: string }).outRefundNo;
    // A and E are not on the bill, B is billed 1 fen more, and Alipay has one payment medpay never saw.
    t.env.sandbox.settings.billFaults.alipay = {
      drop: [no.A as string, no.E as string],
      amountDelta: { [no.B as string]: 1 },
      nextDay: [],
      extra: 1,
    };
  });
  afterAll(() => t.close());

  const finance = 'finance:F1';
  const open = async () =>
    (await listDiscrepancies(deps, { status: 'OPEN', date: today, channel: 'alipay', limit: 100 })).items;
  const find = (items: Discrepancy[], reference: string) => {
    const d = items.find((x) => x.reference === reference);
    if (!d)
      throw new Error(`no discrepancy for ${reference}: ${JSON.stringify(items.map((x) => x.reference))}`);
    return d;
  };
  const dayJournal = async () => {
    const txns = [];
    for await (const txn of deps.ledger.journalForDay(today)) txns.push(txn);
    return txns;
  };

  it('records each discrepancy OPEN, resolves each with its action, and then closes the day', async () => {
    const run = await reconcile(deps, { date: today, channel: 'alipay', requestedBy: finance });
    expect(run.status).toBe('COMPLETED_WITH_DISCREPANCIES');
    expect(run.summary).toMatchObject({ missingAtProvider: 2, amountMismatch: 1, missingInLedger: 2 });
    const found = await open();
    expect(found.map((d) => [d.class, d.kind]).sort()).toEqual(
      [
        ['amountMismatch', 'payment'],
        ['missingAtProvider', 'payment'],
        ['missingAtProvider', 'payment'],
        ['missingInLedger', 'payment'],
        ['missingInLedger', 'refund'],
      ].sort(),
    );
    for (const d of found)
      expect(d.history).toEqual([expect.objectContaining({ action: 'opened', by: finance })]);
    await expect(closeDay(deps, { date: today, channel: 'alipay', by: finance })).rejects.toMatchObject({
      code: 'INVALID_STATE',
      message: expect.stringMatching(/5 open discrepancies/),
    });
    // A re-run finds the same five: no second record.
    await reconcile(deps, { date: today, channel: 'alipay', requestedBy: finance });
    expect(await open()).toHaveLength(5);

    const a = find(found, no.A as string);
    const e = find(found, no.E as string);
    const b = find(found, no.B as string);
    const portal = find(found, portalRefundNo);
    const extra = found.find((d) => d.class === 'missingInLedger' && d.kind === 'payment') as Discrepancy;

    // An action that does not fit is refused, and changes nothing.
    await expect(
      resolveDiscrepancy(deps, a.discrepancyId, { action: 'refund-at-provider', note: 'x', by: finance }),
    ).rejects.toMatchObject({ code: 'INVALID_STATE' });

    // write-off: A's 25 yuan leave clearing for the suspense account.
    const writtenOff = await resolveDiscrepancy(deps, a.discrepancyId, {
      action: 'write-off',
      note: 'Alipay ticket 123: never settled',
      by: finance,
    });
    expect(writtenOff).toMatchObject({
      status: 'RESOLVED',
      resolution: { action: 'write-off', by: finance, note: 'Alipay ticket 123: never settled' },
    });

    // matched-late: E is not on tomorrow's bill yet; once Alipay books it there, it is found and resolved.
    const tomorrow = new Date(Date.now() + 86_400_000);
    const later = { ...deps, clock: { now: () => tomorrow } };
    await expect(
      resolveDiscrepancy(later, e.discrepancyId, { action: 'matched-late', note: 'next day', by: finance }),
    ).rejects.toMatchObject({ code: 'INVALID_STATE' });
    t.env.sandbox.settings.billFaults.alipay = {
      ...t.env.sandbox.settings.billFaults.alipay,
      drop: [no.A as string],
      nextDay: [no.E as string],
    };
    expect(
      await resolveDiscrepancy(later, e.discrepancyId, {
        action: 'matched-late',
        note: 'on the 2nd',
        by: finance,
      }),
    ).toMatchObject({ status: 'RESOLVED', history: [{ action: 'opened' }, { action: 'matched-late' }] });

    // re-query: Alipay confirms B as medpay recorded it (the bill line was wrong).
    const requeried = await resolveDiscrepancy(deps, b.discrepancyId, {
      action: 're-query',
      note: 'bill says 1 fen more',
      by: finance,
    });
    expect(requeried.resolution?.action).toBe('re-query');
    expect(requeried.history.at(-1)?.outcome).toMatch(/provider: PAID 10000 fen; agrees with payment/);

    // refund-at-provider: the portal refund is booked as a refund of D, reversing the capture.
    const refunded = await resolveDiscrepancy(deps, portal.discrepancyId, {
      action: 'refund-at-provider',
      note: 'refunded at the counter via the Alipay portal',
      by: finance,
    });
    expect(refunded.resolution?.txnId).toMatch(/^refund:rfd_/);
    expect((await loadPayment(deps.ledger, ids.D as string)).value).toMatchObject({
      status: 'PARTIALLY_REFUNDED',
      refundedFen: 1_000,
    });

    // re-query on the payment medpay never saw: Alipay does not know it either; it stays OPEN, audited.
    await expect(
      resolveDiscrepancy(deps, extra.discrepancyId, { action: 're-query', note: 'ask again', by: finance }),
    ).rejects.toMatchObject({ code: 'INVALID_STATE' });
    const stillOpen = await getDiscrepancy(deps, extra.discrepancyId);
    expect(stillOpen.status).toBe('OPEN');
    expect(stillOpen.history.at(-1)).toMatchObject({
      action: 're-query',
      by: finance,
      note: 'ask again',
      outcome: expect.stringMatching(/NOT_FOUND.*still open/),
    });
    await resolveDiscrepancy(deps, extra.discrepancyId, {
      action: 'write-off',
      note: 'to suspense',
      by: finance,
    });

    // Every action is in the audit trail, and a repeat changes nothing.
    for (const d of [a, e, b, portal, extra]) {
      const now = await getDiscrepancy(deps, d.discrepancyId);
      expect(now.status).toBe('RESOLVED');
      expect(now.history.at(-1)).toMatchObject({
        by: finance,
        action: now.resolution?.action,
        note: now.resolution?.note,
      });
      expect(now.history.at(-1)?.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    }
    const again = await resolveDiscrepancy(deps, a.discrepancyId, {
      action: 'write-off',
      note: 'again',
      by: finance,
    });
    expect(again.history).toHaveLength(2);

    // The journal: every transaction balances; suspense holds A's 25.00 less the unknown payment's 10.00.
    const journal = await dayJournal();
    for (const txn of journal) {
      const debit = txn.postings.filter((p) => p.side === 'debit').reduce((n, p) => n + p.amountFen, 0);
      const credit = txn.postings.filter((p) => p.side === 'credit').reduce((n, p) => n + p.amountFen, 0);
      expect(debit).toBe(credit);
    }
    expect(netOf(journal, 'suspense:reconciliation')).toBe(2_500 - 1_000);
    expect(journal.filter((t) => t.refs.kind === 'discrepancy-write-off')).toHaveLength(2);

    // The next run matches the booked portal refund; nothing new opens; the day closes, and stays closed.
    const rerun = await reconcile(deps, { date: today, channel: 'alipay', requestedBy: finance });
    expect(rerun.summary.missingInLedger).toBe(1); // only the unknown payment (written off) remains
    expect(await open()).toEqual([]);
    const closed = await closeDay(deps, { date: today, channel: 'alipay', by: finance });
    expect(closed).toMatchObject({ date: today, channel: 'alipay', closedBy: finance });
    expect(await closeDay(deps, { date: today, channel: 'alipay', by: 'finance:F2' })).toEqual(closed);
    await expect(
      reconcile(deps, { date: today, channel: 'alipay', requestedBy: finance }),
    ).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });
    const listed = await listReconciliations(deps, { date: today, channel: 'alipay' });
    expect(listed.items.map((r) => r.status)).toEqual([
      'COMPLETED_WITH_DISCREPANCIES',
      'COMPLETED_WITH_DISCREPANCIES',
      'COMPLETED_WITH_DISCREPANCIES',
    ]);
    expect(listed.days).toEqual([expect.objectContaining({ channel: 'alipay', closedAt: closed.closedAt })]);
    const resolvedList = await listDiscrepancies(deps, { status: 'RESOLVED', date: today, limit: 100 });
    expect(resolvedList.items).toHaveLength(5);
  });
});
