/**
 * Disputes (#24) against DynamoDB Local and the sandbox's complaint systems over real HTTP with real
 * signatures: a patient complains at each wallet; the verified notification is queued (ComplaintReceived) and
 * the relay's subscriber reads the complaint and keeps it with its payment, with the wallet's deadlines; staff
 * reply, refund (a real refund, linked) and complete it, each step reaching the wallet's simulator; a repeat
 * complaint reopens it; a complaint contradicting the payment is an integrity alert; a forged notification
 * is refused; and a patient disputes a charge with the hospital directly.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fen } from '../../../../lib/domain/money';
import type { Channel } from '../../../../lib/domain/ledger/accounts';
import type { Dispute } from '../../../../lib/domain/dispute';
import { webhookHandler } from '../../../../lib/http/webhook';
import { applyProviderEvent } from '../../../../lib/usecases/notifications';
import { createPayment } from '../../../../lib/usecases/payments/create';
import { loadPayment, loadRefund } from '../../../../lib/usecases/payments/records';
import { relayOutbox } from '../../../../lib/usecases/events/relay-outbox';
import { completeDispute } from '../../../../lib/usecases/disputes/complete-dispute';
import { disputeInbox, sweepDisputes } from '../../../../lib/usecases/disputes/inbox';
import { openDispute } from '../../../../lib/usecases/disputes/open-dispute';
import { refundDispute } from '../../../../lib/usecases/disputes/refund-dispute';
import { replyDispute } from '../../../../lib/usecases/disputes/reply-dispute';
import { syncComplaint } from '../../../../lib/usecases/disputes/sync-complaint';
import { disputeView } from '../../../../lib/usecases/views';
import { alipayNotificationBody } from '../../../conformance/support/alipay';
import { wechatNotification } from '../../../conformance/support/wechatpay';
import { httpEvent, lambdaContext } from '../../../support/http';
import { recorded } from '../../../support/metrics';
import { visitEnv } from '../../../support/visit-env';

type Env = Awaited<ReturnType<typeof visitEnv>>;
type Json = Record<string, unknown>;

describe('disputes', () => {
  let t: Env;
  beforeAll(async () => {
    t = await visitEnv();
  });
  afterAll(() => t.close());

  const sandbox = async (method: 'GET' | 'POST', path: string, body?: object) => {
    const res = await fetch(`${t.env.sandbox.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Json };
  };
  let n = 0;
  /** A payment of `amountFen` paid in the sandbox wallet. */
  async function paid(channel: Channel, amountFen = 10_000) {
    const payer = channel === 'alipay' ? '2088000000004444' : `o-dispute-${n}`;
    const { payment } = await createPayment(t.deps, {
      patientId: `PD${Date.now()}${n++}`,
      channel,
      purpose: 'examination',
      referenceId: `EX-D${n}`,
      amountFen: fen(amountFen),
      description: '检查费',
      mode: 'mini-program',
      payer: channel === 'alipay' ? { alipayUserId: payer } : { wechatOpenId: payer },
    });
    expect(
      (await sandbox('POST', '/sandbox/pay', { channel, outTradeNo: payment.outTradeNo, payer })).status,
    ).toBe(200);
    return payment;
  }
  /** The patient complains at the wallet; the notification is applied and the relay runs its subscribers. */
  async function complain(channel: Channel, outTradeNo: string, extra: Json = {}) {
    const opened = await sandbox('POST', '/sandbox/complaints', {
      channel,
      outTradeNo,
      description: '检查没做却扣了费',
      notifyUrl: `${t.notifyBase}/webhooks/${channel}`,
      ...extra,
    });
    expect(opened.status).toBe(201);
    expect(opened.body.responseStatus).toBeLessThan(300);
    await relayOutbox(t.deps);
    return opened.body.complaintId as string;
  }
  const atWallet = async (complaintId: string) =>
    (await sandbox('GET', `/sandbox/complaints/${complaintId}`)).body as {
      state: string;
      history: Array<{ action: string; content?: string }>;
    };
  const disputeOf = async (channel: Channel, complaintId: string) =>
    (await t.deps.ledger.disputes.byComplaint(channel, complaintId))?.value as Dispute;
  /** Waits until the refund leaves PROCESSING (WeChat settles about 200 ms after it is asked). */
  async function settled(refundId: string) {
    for (let i = 0; i < 50; i++) {
      const r = (await loadRefund(t.deps.ledger, refundId)).value;
      if (r.status !== 'PROCESSING') return r;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return (await loadRefund(t.deps.ledger, refundId)).value;
  }

  it('WeChat: kept with its payment and WeChat’s deadlines, replied, refunded and completed at WeChat', async () => {
    const payment = await paid('wechatpay', 8_800);
    const complaintId = await complain('wechatpay', payment.outTradeNo, {
      problemType: 'REFUND',
      applyRefundFen: 8_800,
    });
    const d = await disputeOf('wechatpay', complaintId);
    expect(d).toMatchObject({
      source: 'wechatpay',
      status: 'OPEN',
      paymentId: payment.paymentId,
      patientId: payment.patientId,
      outTradeNo: payment.outTradeNo,
      provider: {
        complaintId,
        state: 'PENDING',
        complaintTimes: 1,
        problemType: 'REFUND',
        requestedRefundFen: 8_800,
      },
    });
    // WeChat's rule: the first reply within 24 h of the complaint, handled within 72 h.
    const opened = new Date(d.openedAt).getTime();
    expect(new Date(d.replyBy).getTime() - opened).toBe(24 * 3_600_000);
    expect(new Date(d.resolveBy).getTime() - opened).toBe(72 * 3_600_000);
    expect(disputeView(d, new Date()).deadlines).toMatchObject({ next: d.replyBy, overdue: false });
    // The same notification again changes nothing.
    expect(
      await syncComplaint(t.deps, { channel: 'wechatpay', complaintId, action: 'CREATE_COMPLAINT' }),
    ).toMatch(/unchanged$/);

    const replied = await replyDispute(t.deps, d.disputeId, { text: '已核实，马上为您退款', by: 'staff:s1' });
    expect(replied).toMatchObject({ status: 'REPLIED' });
    expect(disputeView(replied, new Date()).deadlines.next).toBe(d.resolveBy);
    expect(await atWallet(complaintId)).toMatchObject({ state: 'PROCESSING' });

    const { dispute, refund } = await refundDispute(t.deps, d.disputeId, {
      amountFen: fen(8_800),
      by: 'staff:s1',
      requestKey: 'dispute-refund-1',
    });
    expect(dispute.refundIds).toEqual([refund.refundId]);
    expect(refund.paymentId).toBe(payment.paymentId);
    expect((await settled(refund.refundId)).status).toBe('SUCCEEDED');
    expect((await loadPayment(t.deps.ledger, payment.paymentId)).value.status).toBe('REFUNDED');
    // A retry of the same request refunds nothing more and links nothing twice.
    const again = await refundDispute(t.deps, d.disputeId, {
      amountFen: fen(8_800),
      by: 'staff:s1',
      requestKey: 'dispute-refund-1',
    });
    expect(again.refund.refundId).toBe(refund.refundId);
    expect(again.dispute.refundIds).toEqual([refund.refundId]);

    const wallet = await atWallet(complaintId);
    expect(wallet.history.map((h) => h.action)).toEqual(
      expect.arrayContaining([
        'CREATE_COMPLAINT',
        'MERCHANT_RESPONSE',
        'MERCHANT_APPROVE_REFUND',
        'REFUND_SUCCESS',
      ]),
    );
    expect(wallet.history.find((h) => h.action === 'MERCHANT_RESPONSE')?.content).toBe(
      '已核实，马上为您退款',
    );
    // WeChat processed it once the refund arrived; the dispute follows, resolved (a refund was made).
    await relayOutbox(t.deps);
    await syncComplaint(t.deps, { channel: 'wechatpay', complaintId });
    expect(await disputeOf('wechatpay', complaintId)).toMatchObject({ status: 'RESOLVED' });
    await expect(
      completeDispute(t.deps, d.disputeId, { note: '已退款', by: 'staff:s1' }),
    ).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });

  it('WeChat: a refund the payment cannot take is refused before WeChat hears of an approval', async () => {
    const payment = await paid('wechatpay', 1_000);
    const complaintId = await complain('wechatpay', payment.outTradeNo, { problemType: 'REFUND' });
    const d = await disputeOf('wechatpay', complaintId);
    await expect(
      refundDispute(t.deps, d.disputeId, { amountFen: fen(1_001), by: 'staff:s5', requestKey: 'too-much' }),
    ).rejects.toMatchObject({ code: 'AMOUNT_EXCEEDS_REFUNDABLE' });
    expect((await atWallet(complaintId)).history.map((h) => h.action)).toEqual(['CREATE_COMPLAINT']);
    expect((await disputeOf('wechatpay', complaintId)).refundIds).toEqual([]);
  });

  it('WeChat: completed by staff; a repeat complaint reopens it with new deadlines', async () => {
    const payment = await paid('wechatpay');
    const complaintId = await complain('wechatpay', payment.outTradeNo);
    const d = await disputeOf('wechatpay', complaintId);
    await replyDispute(t.deps, d.disputeId, { text: '费用明细已发送给您', by: 'staff:s2' });
    const done = await completeDispute(t.deps, d.disputeId, { note: '已解释收费明细', by: 'staff:s2' });
    expect(done).toMatchObject({
      status: 'RESOLVED',
      resolution: { by: 'staff:s2', note: '已解释收费明细' },
    });
    expect((await atWallet(complaintId)).state).toBe('PROCESSED');
    expect((await atWallet(complaintId)).history.map((h) => h.action)).toContain('MERCHANT_CONFIRM_COMPLETE');
    await relayOutbox(t.deps);
    expect((await disputeOf('wechatpay', complaintId)).status).toBe('RESOLVED');

    const repeats = recorded(t.deps).total('DisputesRepeated');
    expect((await sandbox('POST', `/sandbox/complaints/${complaintId}/again`)).status).toBe(200);
    await relayOutbox(t.deps);
    const reopened = await disputeOf('wechatpay', complaintId);
    expect(reopened).toMatchObject({
      status: 'OPEN',
      provider: { complaintTimes: 2, lastAction: 'CONTINUE_COMPLAINT' },
    });
    expect(new Date(reopened.replyBy).getTime()).toBeGreaterThan(new Date(d.replyBy).getTime());
    expect(recorded(t.deps).total('DisputesRepeated')).toBe(repeats + 1);
  });

  it('Alipay: kept with its payment, replied, refunded (02) and completed at Alipay', async () => {
    const payment = await paid('alipay', 5_000);
    const complaintId = await complain('alipay', payment.outTradeNo);
    const d = await disputeOf('alipay', complaintId);
    expect(d).toMatchObject({
      source: 'alipay',
      status: 'OPEN',
      paymentId: payment.paymentId,
      provider: { complaintId, state: 'MERCHANT_PROCESSING' },
    });
    expect(new Date(d.resolveBy).getTime() - new Date(d.openedAt).getTime()).toBe(72 * 3_600_000);
    await replyDispute(t.deps, d.disputeId, { text: '您好，我们正在核实', by: 'staff:s3' });
    const { refund } = await refundDispute(t.deps, d.disputeId, {
      amountFen: fen(2_000),
      by: 'staff:s3',
      requestKey: 'dispute-refund-alipay',
    });
    expect(refund.status).toBe('SUCCEEDED');
    expect((await loadPayment(t.deps.ledger, payment.paymentId)).value.status).toBe('PARTIALLY_REFUNDED');
    const done = await completeDispute(t.deps, d.disputeId, { note: '已部分退款', by: 'staff:s3' });
    expect(done.status).toBe('RESOLVED');
    const wallet = await atWallet(complaintId);
    expect(wallet.state).toBe('MERCHANT_FEEDBACKED');
    expect(wallet.history.map((h) => h.action)).toEqual([
      'CREATE_COMPLAINT',
      'MERCHANT_REPLY',
      'MERCHANT_FEEDBACK_02',
      'MERCHANT_FEEDBACKED',
    ]);
    await relayOutbox(t.deps);
    expect((await disputeOf('alipay', complaintId)).status).toBe('RESOLVED');
  });

  it('Alipay: handed back to the merchant after its feedback, the dispute opens again', async () => {
    const payment = await paid('alipay', 4_000);
    const complaintId = await complain('alipay', payment.outTradeNo);
    const d = await disputeOf('alipay', complaintId);
    await completeDispute(t.deps, d.disputeId, { note: '已解释收费', by: 'staff:s6' });
    await relayOutbox(t.deps);
    expect(await disputeOf('alipay', complaintId)).toMatchObject({
      status: 'RESOLVED',
      provider: { state: 'MERCHANT_FEEDBACKED' },
    });
    expect((await sandbox('POST', `/sandbox/complaints/${complaintId}/again`)).status).toBe(200);
    await relayOutbox(t.deps);
    expect(await disputeOf('alipay', complaintId)).toMatchObject({
      status: 'OPEN',
      provider: { state: 'MERCHANT_PROCESSING' },
    });
    // Re-reading it without news (the hourly sweep) changes nothing, and keeps the last action notified.
    expect(await syncComplaint(t.deps, { channel: 'alipay', complaintId })).toMatch(/unchanged$/);
  });

  it('a complaint whose order contradicts the payment is an integrity alert: nothing is kept, nothing retried', async () => {
    const payment = await paid('wechatpay', 3_000);
    const alerts = recorded(t.deps).total('IntegrityAlerts');
    const opened = await sandbox('POST', '/sandbox/complaints', {
      channel: 'wechatpay',
      outTradeNo: payment.outTradeNo,
      notifyUrl: `${t.notifyBase}/webhooks/wechatpay`,
    });
    const complaintId = opened.body.complaintId as string;
    // medpay's record now says another amount than the order WeChat names (3000 fen).
    const stored = await t.deps.ledger.payments.get(payment.paymentId);
    await t.deps.ledger.commit({
      entities: [
        t.deps.ledger.payments.write(
          { ...payment, ...stored?.value, amountFen: fen(3_001) },
          { kind: 'version', version: stored?.version ?? 0 },
        ),
      ],
    });
    await relayOutbox(t.deps);
    expect(recorded(t.deps).total('IntegrityAlerts')).toBe(alerts + 1);
    expect(await t.deps.ledger.disputes.byComplaint('wechatpay', complaintId)).toBeUndefined();
    // The event was consumed: the next relay has nothing left to fail on.
    expect((await relayOutbox(t.deps)).published).toBe(0);
  });

  it('a complaint the wallet does not know is dropped (logged), not retried forever', async () => {
    expect(
      await syncComplaint(t.deps, { channel: 'wechatpay', complaintId: '200201820200101080076619999' }),
    ).toBe('not-found');
    expect(
      await t.deps.ledger.disputes.byComplaint('wechatpay', '200201820200101080076619999'),
    ).toBeUndefined();
  });

  it('a forged complaint notification is refused on each channel, and nothing is queued', async () => {
    const handler = (channel: Channel) =>
      webhookHandler(channel, applyProviderEvent, () => Promise.resolve(t.deps));
    const forger = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const privateKey = forger.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const forgedWechat = wechatNotification(
      {
        apiV3Key: t.env.apiV3Key,
        serial: t.env.ids.wechatpay.certificateSerial,
        platformPrivateKey: privateKey,
      },
      'COMPLAINT.CREATE',
      { complaint_id: '200201820200101080076610000', action_type: 'CREATE_COMPLAINT' },
      { originalType: 'complaint' },
    );
    const wechat = await handler('wechatpay')(
      httpEvent('POST', '/webhooks/wechatpay', {
        headers: forgedWechat.headers,
        body: forgedWechat.body.toString(),
      }),
      lambdaContext(),
    );
    expect(wechat.statusCode).toBe(401);
    const forgedAlipay = alipayNotificationBody(
      {
        notify_id: 'forged-complaint-1',
        msg_method: 'alipay.merchant.tradecomplain.changed',
        app_id: t.env.ids.alipay.appId,
        utc_timestamp: String(Date.now()),
        version: '1.1',
        charset: 'utf-8',
        biz_content: JSON.stringify({ complain_event_id: '2026082810002001234567890' }),
      },
      privateKey,
    );
    const alipay = await handler('alipay')(
      httpEvent('POST', '/webhooks/alipay', {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: forgedAlipay.toString(),
      }),
      lambdaContext(),
    );
    expect(alipay.body).toBe('fail');
    expect(recorded(t.deps).total('NotificationsRejected')).toBeGreaterThanOrEqual(2);
    await relayOutbox(t.deps);
    expect(
      await t.deps.ledger.disputes.byComplaint('wechatpay', '200201820200101080076610000'),
    ).toBeUndefined();
    expect(await t.deps.ledger.disputes.byComplaint('alipay', '2026082810002001234567890')).toBeUndefined();
  });

  it('a patient disputes a charge with the hospital: one inbox with the deadlines; a refund and completion stay in medpay', async () => {
    const payment = await paid('wechatpay', 6_000);
    const d = await openDispute(t.deps, {
      paymentId: payment.paymentId,
      description: '挂号费收了两次',
      patientScope: payment.patientId,
      requestKey: 'patient-dispute-1',
    });
    expect(d).toMatchObject({ source: 'patient', status: 'OPEN', paymentId: payment.paymentId });
    // A retry returns the same dispute; another patient cannot dispute this payment.
    expect(
      (
        await openDispute(t.deps, {
          paymentId: payment.paymentId,
          description: 'x',
          requestKey: 'patient-dispute-1',
        })
      ).disputeId,
    ).toBe(d.disputeId);
    await expect(
      openDispute(t.deps, { paymentId: payment.paymentId, description: 'x', patientScope: 'someone-else' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const inbox = (await disputeInbox(t.deps, { limit: 100 })).values;
    expect(inbox.map((x) => x.disputeId)).toContain(d.disputeId);
    // Nearest deadline first.
    const due = inbox.map((x) => (x.status === 'OPEN' ? x.replyBy : x.resolveBy));
    expect(due).toEqual([...due].sort());

    await replyDispute(t.deps, d.disputeId, { text: '已核实重复收费', by: 'staff:s4' });
    const { refund } = await refundDispute(t.deps, d.disputeId, {
      amountFen: fen(3_000),
      by: 'staff:s4',
      requestKey: 'patient-dispute-refund',
    });
    expect((await settled(refund.refundId)).status).toBe('SUCCEEDED');
    const done = await completeDispute(t.deps, d.disputeId, { note: '已退还重复的挂号费', by: 'staff:s4' });
    expect(done.messages.map((m) => m.from)).toEqual(['patient', 'staff', 'staff', 'staff']);
    expect((await disputeInbox(t.deps, { limit: 100 })).values.map((x) => x.disputeId)).not.toContain(
      d.disputeId,
    );
  });

  it('the hourly sweep re-reads open complaints and counts the overdue disputes', async () => {
    const payment = await paid('wechatpay');
    const complaintId = await complain('wechatpay', payment.outTradeNo);
    const d = await disputeOf('wechatpay', complaintId);
    const later = { ...t.deps, clock: { now: () => new Date(new Date(d.replyBy).getTime() + 60_000) } };
    const before = recorded(t.deps).total('DisputesOverdue');
    const swept = await sweepDisputes(later);
    expect(swept.synced).toBeGreaterThanOrEqual(1);
    expect(swept.overdue).toBeGreaterThanOrEqual(1);
    expect(recorded(t.deps).total('DisputesOverdue')).toBeGreaterThanOrEqual(before + 1);
    expect(disputeView(d, later.clock.now()).deadlines.overdue).toBe(true);
  });
});
