/**
 * Disputes over the local stack (#24): a patient complains at each wallet about a paid charge; the wallet's
 * signed notification reaches medpay's webhook, is verified, and the complaint appears in the staff inbox
 * with its payment and the wallet's deadlines; staff reply, refund (a real refund, linked) and complete it
 * through the API, each step reaching the wallet's simulator; the HIS hears DisputeOpened and
 * DisputeResolved. A forged complaint notification is refused on each channel. A patient also disputes a
 * charge with the hospital directly.
 */
import { createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payerFor, stackClient, startLocalStack, type LocalStack } from '../support/local-stack';
import { alipayNotificationBody } from '../conformance/support/alipay';
import { startHisEndpoint } from '../support/his-endpoint';

type Json = Record<string, any>;

describe('disputes over the local stack', () => {
  let local: LocalStack;
  let client: ReturnType<typeof stackClient>;
  let his: Awaited<ReturnType<typeof startHisEndpoint>>;
  beforeAll(async () => {
    his = await startHisEndpoint();
    local = await startLocalStack();
    client = stackClient(local);
    const registered = await client.api('POST', '/notification-endpoints', local.stack.tokens.admin, {
      url: his.url,
      events: ['DisputeOpened', 'DisputeResolved'],
      description: 'patient services',
    });
    expect(registered.status).toBe(201);
  }, 180_000);
  afterAll(async () => {
    await local?.stop();
    await his?.close();
  });

  const staff = () => local.stack.tokens.staff;
  /** A paid payment of the patient's. */
  async function paid(patient: { token: string }, channel: 'wechatpay' | 'alipay', amountFen: number) {
    const payment = await client.api('POST', '/payments', patient.token, {
      channel,
      purpose: 'examination',
      referenceId: `EX-${Date.now()}`,
      amountFen,
      description: '检查费',
      payer: payerFor(channel),
    });
    expect(payment.status).toBe(201);
    await client.sandbox('/sandbox/pay', { channel, outTradeNo: payment.body.outTradeNo });
    return payment.body as Json;
  }
  /** Polls until `found` gives a value. */
  async function eventually<T>(found: () => Promise<T | undefined>, what: string): Promise<T> {
    for (let i = 0; i < 160; i++) {
      const value = await found();
      if (value !== undefined) return value;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`${what}: not seen`);
  }
  /** The patient complains at the wallet; the dispute as it appears in the staff inbox. */
  async function complained(channel: 'wechatpay' | 'alipay', outTradeNo: string, extra: Json = {}) {
    const opened = await client.sandbox('/sandbox/complaints', {
      channel,
      outTradeNo,
      description: '检查没做却扣了费',
      notifyUrl: local.stack[channel].notifyUrl,
      ...extra,
    });
    expect(opened.responseStatus).toBeLessThan(300);
    const complaintId = opened.complaintId as string;
    const dispute = await eventually(async () => {
      const inbox = await client.api('GET', '/disputes?limit=100', staff());
      expect(inbox.status).toBe(200);
      return (inbox.body.items as Json[]).find((d) => d.provider?.complaintId === complaintId);
    }, `the ${channel} complaint in the inbox`);
    return { complaintId, dispute };
  }
  const atWallet = async (complaintId: string) =>
    (await fetch(`${local.stack.sandboxUrl}/sandbox/complaints/${complaintId}`).then((r) =>
      r.json(),
    )) as Json;
  const dispute = async (id: string, token = staff()) =>
    (await client.api('GET', `/disputes/${id}`, token)).body;

  it('WeChat: in the inbox with its payment and deadlines, replied, refunded and resolved at WeChat', async () => {
    const patient = await client.patient();
    const payment = await paid(patient, 'wechatpay', 5_000);
    const { complaintId, dispute: d } = await complained('wechatpay', payment.outTradeNo, {
      problemType: 'REFUND',
      applyRefundFen: 5_000,
    });
    expect(d).toMatchObject({
      source: 'wechatpay',
      status: 'OPEN',
      paymentId: payment.paymentId,
      provider: { state: 'PENDING', complaintTimes: 1, problemType: 'REFUND', requestedRefundFen: 5_000 },
      deadlines: { next: d.deadlines.replyBy, overdue: false },
    });
    expect(new Date(d.deadlines.replyBy).getTime() - new Date(d.openedAt).getTime()).toBe(24 * 3_600_000);

    // Only staff and finance answer; the patient reads their own.
    expect(
      (await client.api('POST', `/disputes/${d.disputeId}/reply`, patient.token, { message: 'x' })).status,
    ).toBe(403);
    const replied = await client.api('POST', `/disputes/${d.disputeId}/reply`, staff(), {
      message: '已核实，为您退款',
    });
    expect(replied).toMatchObject({ status: 200, body: { status: 'REPLIED' } });
    expect((await atWallet(complaintId)).state).toBe('PROCESSING');

    const refunded = await client.api('POST', `/disputes/${d.disputeId}/refund`, staff(), {
      amountFen: 5_000,
    });
    expect(refunded.status).toBe(201);
    expect(refunded.body.dispute.refundIds).toEqual([refunded.body.refund.refundId]);
    const refundId = refunded.body.refund.refundId as string;
    await eventually(async () => {
      const r = (await client.api('GET', `/refunds/${refundId}`, patient.token)).body;
      return r.status === 'SUCCEEDED' ? r : undefined;
    }, 'the refund');
    // WeChat processes the complaint once the refund arrives; the dispute follows, resolved.
    const resolved = await eventually(async () => {
      const now = await dispute(d.disputeId, patient.token);
      return now.status === 'RESOLVED' ? now : undefined;
    }, 'the resolved dispute');
    expect(resolved.refundIds).toEqual([refundId]);
    expect((await atWallet(complaintId)).history.map((h: Json) => h.action)).toEqual(
      expect.arrayContaining([
        'CREATE_COMPLAINT',
        'MERCHANT_RESPONSE',
        'MERCHANT_APPROVE_REFUND',
        'REFUND_SUCCESS',
      ]),
    );
    await eventually(
      async () => his.received.find((r) => r.type === 'DisputeResolved' && r.data.disputeId === d.disputeId),
      'DisputeResolved at the HIS',
    );
    expect(
      his.received.find((r) => r.type === 'DisputeOpened' && r.data.disputeId === d.disputeId)?.data,
    ).toMatchObject({
      source: 'wechatpay',
      paymentId: payment.paymentId,
      complaintId,
    });
  });

  it('WeChat: a complaint about the service, replied, partly refunded and completed at WeChat', async () => {
    const patient = await client.patient();
    const payment = await paid(patient, 'wechatpay', 6_000);
    const { complaintId, dispute: d } = await complained('wechatpay', payment.outTradeNo, {
      problemType: 'SERVICE_NOT_WORK',
    });
    await client.api('POST', `/disputes/${d.disputeId}/reply`, staff(), {
      message: '抱歉，为您退还部分费用',
    });
    const refunded = await client.api('POST', `/disputes/${d.disputeId}/refund`, staff(), {
      amountFen: 1_000,
    });
    expect(refunded.status).toBe(201);
    const done = await client.api('POST', `/disputes/${d.disputeId}/complete`, staff(), {
      note: '已部分退款并致歉',
    });
    expect(done).toMatchObject({
      status: 200,
      body: { status: 'RESOLVED', refundIds: [refunded.body.refund.refundId] },
    });
    const wallet = await atWallet(complaintId);
    expect(wallet.state).toBe('PROCESSED');
    // No approval step for a complaint that did not ask for a refund; the completion reached WeChat.
    expect(wallet.history.map((h: Json) => h.action)).toEqual([
      'CREATE_COMPLAINT',
      'MERCHANT_RESPONSE',
      'MERCHANT_CONFIRM_COMPLETE',
    ]);
    await eventually(
      async () => his.received.find((r) => r.type === 'DisputeResolved' && r.data.disputeId === d.disputeId),
      'DisputeResolved at the HIS',
    );
  });

  it('Alipay: in the inbox, replied, partly refunded and completed at Alipay', async () => {
    const patient = await client.patient();
    const payment = await paid(patient, 'alipay', 8_000);
    const { complaintId, dispute: d } = await complained('alipay', payment.outTradeNo);
    expect(d).toMatchObject({
      source: 'alipay',
      paymentId: payment.paymentId,
      provider: { state: 'MERCHANT_PROCESSING' },
    });
    expect(
      (await client.api('POST', `/disputes/${d.disputeId}/reply`, staff(), { message: '您好，正在核实' }))
        .status,
    ).toBe(200);
    const refunded = await client.api('POST', `/disputes/${d.disputeId}/refund`, staff(), {
      amountFen: 3_000,
    });
    expect(refunded).toMatchObject({
      status: 201,
      body: { refund: { status: 'SUCCEEDED', amountFen: 3_000 } },
    });
    const done = await client.api('POST', `/disputes/${d.disputeId}/complete`, staff(), {
      note: '检查未做部分已退款',
    });
    expect(done).toMatchObject({
      status: 200,
      body: { status: 'RESOLVED', resolution: { note: '检查未做部分已退款' } },
    });
    const wallet = await atWallet(complaintId);
    expect(wallet.state).toBe('MERCHANT_FEEDBACKED');
    expect(wallet.history.map((h: Json) => h.action)).toEqual([
      'CREATE_COMPLAINT',
      'MERCHANT_REPLY',
      'MERCHANT_FEEDBACK_02',
      'MERCHANT_FEEDBACKED',
    ]);
    // Done: no longer in the inbox, and a second completion is refused.
    const inbox = await client.api('GET', '/disputes?limit=100', staff());
    expect((inbox.body.items as Json[]).map((x) => x.disputeId)).not.toContain(d.disputeId);
    expect(
      (await client.api('POST', `/disputes/${d.disputeId}/complete`, staff(), { note: 'again' })).status,
    ).toBe(409);
  });

  it('a forged complaint notification is refused on each channel', async () => {
    const forger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string;
    // WeChat: right serial and shape, wrong key.
    const body = JSON.stringify({
      id: 'EV-forged',
      create_time: '2026-12-06T10:00:00+08:00',
      resource_type: 'encrypt-resource',
      event_type: 'COMPLAINT.CREATE',
      summary: '投诉通知',
      resource: {
        original_type: 'complaint',
        algorithm: 'AEAD_AES_256_GCM',
        ciphertext: 'AAAA',
        nonce: 'n',
        associated_data: '',
      },
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(16).toString('hex');
    const wechat = await fetch(local.stack.wechatpay.notifyUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'wechatpay-timestamp': timestamp,
        'wechatpay-nonce': nonce,
        'wechatpay-serial': local.stack.wechatpay.publicKeyId,
        'wechatpay-signature': createSign('RSA-SHA256')
          .update(`${timestamp}\n${nonce}\n${body}\n`)
          .sign(forger, 'base64'),
      },
      body,
    });
    expect(wechat.status).toBe(401);
    const alipay = await fetch(local.stack.alipay.notifyUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: alipayNotificationBody(
        {
          notify_id: 'forged-complaint',
          msg_method: 'alipay.merchant.tradecomplain.changed',
          app_id: local.stack.alipay.appId,
          utc_timestamp: String(Date.now()),
          version: '1.1',
          charset: 'utf-8',
          biz_content: JSON.stringify({ complain_event_id: '2026082810002001234567890' }),
        },
        forger,
      ),
    });
    expect(await alipay.text()).toBe('fail');
  });

  it('a patient disputes a charge with the hospital, and staff answer it from the same inbox', async () => {
    const patient = await client.patient();
    const other = await client.patient();
    const payment = await paid(patient, 'wechatpay', 2_000);
    expect(
      (await client.api('POST', `/payments/${payment.paymentId}/disputes`, other.token, { description: 'x' }))
        .status,
    ).toBe(404);
    const opened = await client.api('POST', `/payments/${payment.paymentId}/disputes`, patient.token, {
      description: '挂号费收了两次',
    });
    expect(opened).toMatchObject({
      status: 201,
      body: { source: 'patient', status: 'OPEN', paymentId: payment.paymentId },
    });
    const id = opened.body.disputeId as string;
    expect((await client.api('GET', `/disputes/${id}`, other.token)).status).toBe(404);
    const inbox = await client.api('GET', '/disputes?limit=100', staff());
    expect((inbox.body.items as Json[]).map((x) => x.disputeId)).toContain(id);
    await client.api('POST', `/disputes/${id}/reply`, staff(), { message: '已核实，将退还一次' });
    const done = await client.api('POST', `/disputes/${id}/complete`, staff(), {
      note: '已退还重复的挂号费',
    });
    expect(done.body.status).toBe('RESOLVED');
    const seen = await dispute(id, patient.token);
    expect(seen.messages.map((m: Json) => m.from)).toEqual(['patient', 'staff', 'staff']);
  });
});
