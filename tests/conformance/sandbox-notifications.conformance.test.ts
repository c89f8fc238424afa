/**
 * Conformance of the sandbox: the notifications it sends for payments, refunds and Pay Score collections
 * must have the documented shapes and signatures (support/documented.ts, facts N1–N5 and L1–L4), checked
 * with node:crypto alone, never with the adapter under test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fen } from '../../lib/domain/money';
import { notificationReceiver, sandboxWithProviders } from '../support/sandbox';
import { decryptResource } from './support/wechatpay';
import {
  expectAlipaySignature,
  expectAlipayTradeParams,
  expectRefundResource,
  expectServiceOrderResource,
  expectTransactionResource,
  expectWechatSignature,
} from './support/documented';

describe('the sandbox sends notifications as the providers document them', () => {
  let env: Awaited<ReturnType<typeof sandboxWithProviders>>;
  let receiver: Awaited<ReturnType<typeof notificationReceiver>>;
  beforeAll(async () => {
    receiver = await notificationReceiver((channel) =>
      Promise.resolve(channel === 'alipay' ? { status: 200, body: 'success' } : { status: 204, body: '' }),
    );
    env = await sandboxWithProviders(receiver.url);
  });
  afterAll(async () => {
    await env.sandbox.close();
    await receiver.close();
  });

  const sandbox = (path: string, body: unknown) =>
    fetch(`${env.sandbox.url}${path}`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());
  const order = (outTradeNo: string, payer: Record<string, string>) => ({
    outTradeNo,
    amountFen: fen(2500),
    description: '挂号费',
    payer: payer as never,
    expiresAt: new Date(Date.now() + 15 * 60_000),
    mode: 'mini-program' as const,
  });
  const wechat = () =>
    receiver.received
      .filter((r) => r.channel === 'wechatpay')
      .map(({ notification: n }) => {
        expectWechatSignature(n.headers, n.body, env.keys.certificate.publicKey);
        const envelope = JSON.parse(n.body.toString('utf8')) as { event_type: string; resource: never };
        return {
          type: envelope.event_type,
          r: JSON.parse(decryptResource(env.apiV3Key, envelope.resource)) as Record<string, any>,
        };
      });
  const alipay = () =>
    receiver.received
      .filter((r) => r.channel === 'alipay')
      .map(({ notification: n }) => Object.fromEntries(new URLSearchParams(n.body.toString('utf8'))));

  it('WeChat Pay: TRANSACTION.SUCCESS and REFUND.SUCCESS (N1, N2, N5)', async () => {
    const p = env.providers.wechatpay;
    await p.createOrder(order('MPCONF1', { wechatOpenId: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' }));
    await sandbox('/sandbox/pay', { channel: 'wechatpay', outTradeNo: 'MPCONF1' });
    await p.refund({
      outTradeNo: 'MPCONF1',
      outRefundNo: 'MRCONF1',
      amountFen: fen(1000),
      totalFen: fen(2500),
      reason: '退号',
    });
    await expect
      .poll(() => wechat().map((n) => n.type), { timeout: 10_000 })
      .toEqual(['TRANSACTION.SUCCESS', 'REFUND.SUCCESS']);
    const [paid, refunded] = wechat();
    expectTransactionResource(paid?.r ?? {});
    expectRefundResource(refunded?.r ?? {}, 'REFUND.SUCCESS');
  });

  it('Alipay: a paid trade and its refund sync (L1, L2, L4)', async () => {
    const p = env.providers.alipay;
    await p.createOrder(order('MPCONF2', { alipayUserId: '2088102122524333' }));
    await sandbox('/sandbox/pay', { channel: 'alipay', outTradeNo: 'MPCONF2' });
    await p.refund({
      outTradeNo: 'MPCONF2',
      outRefundNo: 'MRCONF2',
      amountFen: fen(2500),
      totalFen: fen(2500),
      reason: '退号',
    });
    await expect.poll(() => alipay().length, { timeout: 10_000 }).toBe(2);
    for (const params of alipay()) {
      expectAlipaySignature(params, env.keys.alipayPlatform.publicKey);
      expectAlipayTradeParams(params);
    }
    expect(alipay()[1]).toMatchObject({
      trade_status: 'TRADE_CLOSED',
      refund_fee: '25.00',
      out_biz_no: 'MRCONF2',
    });
  });

  it('Pay Score: USER_CONFIRM and USER_PAID with yyyyMMddHHmmss times (N3, N4)', async () => {
    const credit = env.credit.wechatpay;
    const payer = { wechatOpenId: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' } as never;
    await credit.authorise({
      outOrderNo: 'VACONF3',
      outRequestNo: 'VFCONF3',
      amountFen: fen(200_000),
      title: '就医信用付',
      payer,
      expiresAt: new Date(Date.now() + 600_000),
    });
    await sandbox('/sandbox/authorise', { channel: 'wechatpay', outOrderNo: 'VACONF3' });
    const state = await credit.queryAuthorisation('VACONF3', 'VFCONF3');
    await credit.capture({
      outOrderNo: 'VACONF3',
      outTradeNo: 'VACONF3',
      authNo: state.authNo ?? '',
      amountFen: fen(3900),
      authorisedFen: fen(200_000),
      description: '就诊费用',
      lines: [{ name: '诊疗费', amountFen: fen(3900) }],
      payer,
    });
    await expect
      .poll(
        () =>
          wechat()
            .filter((n) => n.type.startsWith('PAYSCORE'))
            .map((n) => n.type),
        { timeout: 10_000 },
      )
      .toEqual(['PAYSCORE.USER_CONFIRM', 'PAYSCORE.USER_PAID']);
    for (const n of wechat().filter((x) => x.type.startsWith('PAYSCORE')))
      expectServiceOrderResource(n.r, n.type);
  });
});
