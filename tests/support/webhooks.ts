/**
 * The real webhook handlers on DynamoDB Local with the real adapters (keys from a sandbox), plus
 * notifications signed with those keys the way each provider documents it (tests/conformance/support):
 * authentic by construction, so what they claim is the only thing under test.
 */
import { vi } from 'vitest';
import type { AppDeps } from '../../lib/config/container';
import type { Channel } from '../../lib/domain/ledger/accounts';
import type { Fen } from '../../lib/domain/money';
import type { Payment } from '../../lib/domain/payment';
import { webhookHandler } from '../../lib/http/webhook';
import { applyProviderEvent } from '../../lib/usecases/notifications';
import { createPayment } from '../../lib/usecases/payments/create';
import { alipayNotificationBody } from '../conformance/support/alipay';
import { wechatNotification } from '../conformance/support/wechatpay';
import { testDeps } from './dynamo';
import { recordingMetrics } from './metrics';
import { httpEvent, lambdaContext } from './http';
import { sandboxWithProviders } from './sandbox';

/** A raw notification: headers and body bytes. */
export type Raw = { headers: Record<string, string>; body: Buffer };

export const PAYERS = { alipay: '2088102122524333', wechatpay: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' } as const;

/** Builds the harness: a sandbox for keys and provider calls (its own notifications go nowhere). */
export async function webhookHarness() {
  const env = await sandboxWithProviders('http://127.0.0.1:9');
  const metrics = recordingMetrics();
  const counted = metrics.recorded;
  const deps: AppDeps = await testDeps({ providers: env.providers, credit: env.credit, metrics });
  const alerts = vi.spyOn(deps.logger, 'error');
  const handlers = {
    alipay: webhookHandler('alipay', applyProviderEvent, () => Promise.resolve(deps)),
    wechatpay: webhookHandler('wechatpay', applyProviderEvent, () => Promise.resolve(deps)),
  };
  const wechat = {
    apiV3Key: env.apiV3Key,
    serial: env.ids.wechatpay.certificateSerial,
    platformPrivateKey: env.keys.certificate.privateKey,
  };

  /** Posts a raw notification to the channel's webhook; `acknowledged` as the provider would read the reply. */
  async function deliver(channel: Channel, raw: Raw) {
    const res = await handlers[channel](
      httpEvent('POST', `/webhooks/${channel}`, { headers: raw.headers, body: raw.body.toString('utf8') }),
      lambdaContext(),
    );
    const acknowledged =
      channel === 'alipay' ? res.body === 'success' : res.statusCode >= 200 && res.statusCode < 300;
    return { ...res, acknowledged };
  }

  /** A PENDING payment with its provider order in the sandbox. */
  async function pendingPayment(channel: Channel, amountFen: number, referenceId: string) {
    const payer = channel === 'alipay' ? { alipayUserId: PAYERS.alipay } : { wechatOpenId: PAYERS.wechatpay };
    const { payment } = await createPayment(deps, {
      patientId: `P-${referenceId}`,
      channel,
      purpose: 'examination',
      referenceId,
      amountFen: amountFen as Fen,
      description: '检查费',
      payer,
      mode: 'mini-program',
    });
    return payment;
  }

  /** What the provider would say about a payment: the documented fields, overridable one by one. */
  function paidNotification(channel: Channel, p: Payment, o: PaidOverrides = {}): Raw {
    const amountFen = o.amountFen ?? p.amountFen;
    const tradeNo =
      o.tradeNo ?? (channel === 'alipay' ? '2026112322001400000000000777' : '4200000000202611230000000777');
    const paidAt = o.paidAt ?? '2026-11-23 10:00:07';
    if (channel === 'alipay') {
      const params: Record<string, string> = {
        notify_time: '2026-11-23 10:00:08',
        notify_type: 'trade_status_sync',
        notify_id: `n${tradeNo}${amountFen}`,
        charset: 'utf-8',
        version: '1.0',
        app_id: o.appId ?? env.ids.alipay.appId,
        seller_id: o.merchantId ?? env.ids.alipay.sellerId,
        trade_no: tradeNo,
        out_trade_no: o.outTradeNo ?? p.outTradeNo,
        buyer_id: o.payerId ?? PAYERS.alipay,
        trade_status: o.status ?? 'TRADE_SUCCESS',
        total_amount: (amountFen / 100).toFixed(2),
        gmt_payment: paidAt,
        ...(o.currency ? { trans_currency: o.currency } : {}),
      };
      return {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: alipayNotificationBody(params, env.keys.alipayPlatform.privateKey),
      };
    }
    return wechatNotification(wechat, 'TRANSACTION.SUCCESS', {
      appid: o.appId ?? env.ids.wechatpay.appId,
      mchid: o.merchantId ?? env.ids.wechatpay.mchId,
      out_trade_no: o.outTradeNo ?? p.outTradeNo,
      transaction_id: tradeNo,
      trade_type: 'JSAPI',
      trade_state: o.status ?? 'SUCCESS',
      trade_state_desc: '支付成功',
      bank_type: 'OTHERS',
      success_time: `${paidAt.replace(' ', 'T')}+08:00`,
      payer: { openid: o.payerId ?? PAYERS.wechatpay },
      amount: {
        total: amountFen,
        payer_total: amountFen,
        currency: o.currency ?? 'CNY',
        payer_currency: 'CNY',
      },
    });
  }

  /** A WeChat REFUND.* notification for a refund (documented fields, overridable). */
  function wechatRefundNotification(
    p: Payment,
    r: { outRefundNo: string; amountFen: number; refundId?: string },
    o: {
      status?: 'SUCCESS' | 'ABNORMAL' | 'CLOSED';
      outTradeNo?: string;
      amountFen?: number;
      totalFen?: number;
      tradeNo?: string;
    } = {},
  ): Raw {
    const status = o.status ?? 'SUCCESS';
    return wechatNotification(wechat, `REFUND.${status}`, {
      mchid: env.ids.wechatpay.mchId,
      transaction_id: o.tradeNo ?? p.providerTradeNo,
      out_trade_no: o.outTradeNo ?? p.outTradeNo,
      refund_id: r.refundId ?? '50300000012026112300000000777',
      out_refund_no: r.outRefundNo,
      refund_status: status,
      ...(status === 'SUCCESS' ? { success_time: '2026-11-23T11:00:00+08:00' } : {}),
      user_received_account: '支付用户零钱',
      amount: {
        total: o.totalFen ?? p.amountFen,
        refund: o.amountFen ?? r.amountFen,
        payer_total: p.amountFen,
        payer_refund: r.amountFen,
      },
    });
  }

  /** An Alipay refund sync (refund_fee = the total refunded) for a refund. */
  function alipayRefundNotification(
    p: Payment,
    outRefundNo: string,
    o: { refundedFen: number; outTradeNo?: string; totalFen?: number },
  ): Raw {
    const params: Record<string, string> = {
      notify_time: '2026-11-23 11:00:01',
      notify_type: 'trade_status_sync',
      notify_id: `r${outRefundNo}${o.refundedFen}`,
      charset: 'utf-8',
      version: '1.0',
      app_id: env.ids.alipay.appId,
      seller_id: env.ids.alipay.sellerId,
      trade_no: p.providerTradeNo ?? '',
      out_trade_no: o.outTradeNo ?? p.outTradeNo,
      buyer_id: PAYERS.alipay,
      trade_status: o.refundedFen >= p.amountFen ? 'TRADE_CLOSED' : 'TRADE_SUCCESS',
      total_amount: ((o.totalFen ?? p.amountFen) / 100).toFixed(2),
      refund_fee: (o.refundedFen / 100).toFixed(2),
      gmt_refund: '2026-11-23 11:00:00.000',
      out_biz_no: outRefundNo,
      gmt_payment: '2026-11-23 10:00:07',
    };
    return { headers: {}, body: alipayNotificationBody(params, env.keys.alipayPlatform.privateKey) };
  }

  /** Pays the order at the sandbox, then delivers the provider's notification for it, as the provider says. */
  async function payAtProvider(channel: Channel, p: Payment) {
    await fetch(`${env.sandbox.url}/sandbox/pay`, {
      method: 'POST',
      body: JSON.stringify({ channel, outTradeNo: p.outTradeNo }),
    });
    const state = await env.providers[channel].queryOrder(p.outTradeNo);
    const beijing = new Date((state.paidAt as Date).getTime() + 8 * 3600_000).toISOString();
    return deliver(
      channel,
      paidNotification(channel, p, {
        tradeNo: state.providerTradeNo,
        paidAt: `${beijing.slice(0, 10)} ${beijing.slice(11, 19)}`,
      }),
    );
  }

  return {
    env,
    payAtProvider,
    deps,
    counted,
    alerts,
    wechat,
    deliver,
    pendingPayment,
    paidNotification,
    wechatRefundNotification,
    alipayRefundNotification,
    close: () => env.sandbox.close(),
  };
}

/** Fields of a paid notification a case may change. */
export interface PaidOverrides {
  amountFen?: number;
  currency?: string;
  outTradeNo?: string;
  tradeNo?: string;
  payerId?: string;
  paidAt?: string;
  status?: string;
  appId?: string;
  merchantId?: string;
}
