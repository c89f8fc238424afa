/** PaymentProvider for WeChat Pay APIv3 (JSAPI, native, query, close, refunds) on the lean APIv3 client. */
import { randomBytes } from 'node:crypto';
import {
  lines,
  wechatBeijingTime,
  wechatFailed,
  wechatpayApi,
  wechatSign,
  type WechatJson,
  type WechatpayConfig,
} from './client';
import { ProviderUnavailableError, ValidationError } from '../../domain/errors';
import { fen } from '../../domain/money';
import type { Clock } from '../../ports/clock';
import type {
  CreateOrderRequest,
  CreateOrderResponse,
  OrderState,
  PaymentProvider,
  RefundRequest,
  RefundState,
} from '../../ports/payment-provider';
import { wechatpayNotificationVerifier } from './notification';
import { WECHAT_DESCRIPTION, providerText } from '../text/provider-text';

export type { WechatpayConfig } from './client';

/** Creates the WeChat Pay provider. */
export function wechatpayProvider(config: WechatpayConfig, clock: Clock): PaymentProvider {
  const call = wechatpayApi(config, () => clock.now());
  const failure = wechatFailed;
  const enc = encodeURIComponent;

  async function createOrder(req: CreateOrderRequest): Promise<CreateOrderResponse> {
    const kind = req.mode === 'qr' ? 'native' : 'jsapi';
    if (kind === 'jsapi' && !(req.payer && 'wechatOpenId' in req.payer)) {
      throw new ValidationError('A WeChat Pay mini-program payment needs payer.wechatOpenId.', [
        { path: 'body.payer', message: 'wechatOpenId required' },
      ]);
    }
    const body = {
      appid: config.appId,
      mchid: config.mchId,
      description: providerText(req.description, WECHAT_DESCRIPTION),
      out_trade_no: req.outTradeNo,
      time_expire: wechatBeijingTime(req.expiresAt),
      notify_url: config.notifyUrl,
      amount: { total: req.amountFen, currency: 'CNY' },
      ...(kind === 'jsapi' && req.payer && 'wechatOpenId' in req.payer
        ? { payer: { openid: req.payer.wechatOpenId } }
        : {}),
    };
    const r = await call('createOrder', 'POST', `/v3/pay/transactions/${kind}`, body);
    // ORDERPAID (400, "订单已支付"): this out_trade_no is paid; the order's state must be asked for.
    if (failure(r) && r.code === 'ORDERPAID') return { clientParams: {}, alreadyPaid: true };
    if (failure(r))
      throw new ProviderUnavailableError(`WeChat Pay refused the order: ${r.code ?? r.status}.`, {
        channel: 'wechatpay',
        code: r.code,
      });
    if (kind === 'native') return { clientParams: { codeUrl: String(r.data.code_url) } };
    const timeStamp = String(Math.floor(clock.now().getTime() / 1000));
    const nonceStr = randomBytes(16).toString('hex');
    const pkg = `prepay_id=${String(r.data.prepay_id)}`;
    // wx.requestPayment's paySign: SHA256-RSA over "appId\ntimeStamp\nnonceStr\npackage\n" (JSAPI 调起支付).
    const paySign = wechatSign(lines(config.appId, timeStamp, nonceStr, pkg), config.merchantPrivateKey);
    return {
      clientParams: { appId: config.appId, timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign },
    };
  }

  async function queryOrder(outTradeNo: string): Promise<OrderState> {
    const r = await call(
      'queryOrder',
      'GET',
      `/v3/pay/transactions/out-trade-no/${enc(outTradeNo)}?mchid=${enc(config.mchId)}`,
    );
    if (failure(r)) {
      if (r.code === 'ORDER_NOT_EXIST' || r.status === 404) return { status: 'NOT_FOUND' };
      throw new ProviderUnavailableError(`WeChat Pay query failed: ${r.code ?? r.status}.`, {
        channel: 'wechatpay',
      });
    }
    const d = r.data;
    const total: unknown = (d.amount as { total?: unknown } | undefined)?.total;
    const state = String(d.trade_state);
    const paid = state === 'SUCCESS' || state === 'REFUND';
    return {
      status: paid
        ? 'PAID'
        : state === 'CLOSED' || state === 'REVOKED' || state === 'PAYERROR'
          ? 'CLOSED'
          : 'PENDING',
      providerTradeNo: d.transaction_id as string | undefined,
      amountFen: typeof total === 'number' ? fen(total) : undefined,
      paidAt: paid && d.success_time ? new Date(String(d.success_time)) : undefined,
    };
  }

  async function closeOrder(outTradeNo: string): Promise<OrderState> {
    const r = await call('closeOrder', 'POST', `/v3/pay/transactions/out-trade-no/${enc(outTradeNo)}/close`, {
      mchid: config.mchId,
    });
    // Paid meanwhile, or never created: the query tells which.
    if (failure(r)) return queryOrder(outTradeNo);
    return { status: 'CLOSED' };
  }

  const refundState = (d: WechatJson): RefundState => ({
    status: d.status === 'SUCCESS' ? 'SUCCEEDED' : d.status === 'PROCESSING' ? 'PROCESSING' : 'FAILED',
    providerRefundId: d.refund_id as string | undefined,
    succeededAt: d.success_time ? new Date(String(d.success_time)) : undefined,
  });

  async function refund(req: RefundRequest): Promise<RefundState> {
    const r = await call('refund', 'POST', '/v3/refund/domestic/refunds', {
      out_trade_no: req.outTradeNo,
      out_refund_no: req.outRefundNo,
      reason: req.reason.slice(0, 80),
      notify_url: config.notifyUrl,
      amount: { refund: req.amountFen, total: req.totalFen, currency: 'CNY' },
    });
    if (failure(r)) return { status: 'FAILED' };
    return refundState(r.data);
  }

  async function queryRefund(_outTradeNo: string, outRefundNo: string): Promise<RefundState> {
    const r = await call('queryRefund', 'GET', `/v3/refund/domestic/refunds/${enc(outRefundNo)}`);
    if (failure(r)) return { status: r.status === 404 ? 'NOT_FOUND' : 'FAILED' };
    return refundState(r.data);
  }

  return {
    channel: 'wechatpay',
    createOrder,
    queryOrder,
    closeOrder,
    refund,
    queryRefund,
    verifyNotification: wechatpayNotificationVerifier(config, clock).verifyNotification,
  };
}
