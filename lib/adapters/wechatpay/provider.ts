/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access -- the plugin is a dynamic Proxy chain, and API bodies are untyped JSON on the wire */
/** PaymentProvider for WeChat Pay APIv3 on wechatpay-axios-plugin (JSAPI, native, query, close, refunds). */
import { randomBytes } from 'node:crypto';
import { Formatter, Rsa } from './sdk';
import {
  wechatBeijingTime,
  wechatCall,
  wechatFailed,
  wechatpayClient,
  type Call,
  type Post,
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
  RawNotification,
  RefundRequest,
  RefundState,
} from '../../ports/payment-provider';
import { verifyWechatpayNotification } from './notification';
import { fetchWechatBill } from './bill';

export type { WechatpayConfig } from './client';

/** Creates the WeChat Pay provider. */
export function wechatpayProvider(config: WechatpayConfig, clock: Clock): PaymentProvider {
  const v3 = wechatpayClient(config);
  const call = wechatCall;
  const failure = wechatFailed;

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
      description: req.description.slice(0, 127),
      out_trade_no: req.outTradeNo,
      time_expire: wechatBeijingTime(req.expiresAt),
      notify_url: config.notifyUrl,
      amount: { total: req.amountFen, currency: 'CNY' },
      ...(kind === 'jsapi' && req.payer && 'wechatOpenId' in req.payer
        ? { payer: { openid: req.payer.wechatOpenId } }
        : {}),
    };
    const r = await call('createOrder', () => (v3.pay.transactions[kind].post as Post)(body));
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
    const paySign = Rsa.sign(
      Formatter.joinedByLineFeed(config.appId, timeStamp, nonceStr, pkg),
      config.merchantPrivateKey,
    );
    return {
      clientParams: { appId: config.appId, timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign },
    };
  }

  async function queryOrder(outTradeNo: string): Promise<OrderState> {
    const r = await call('queryOrder', () =>
      (v3.pay.transactions.outTradeNo._out_trade_no_.get as Call)({
        params: { mchid: config.mchId },
        out_trade_no: outTradeNo,
      }),
    );
    if (failure(r)) {
      if (r.code === 'ORDER_NOT_EXIST' || r.status === 404) return { status: 'NOT_FOUND' };
      throw new ProviderUnavailableError(`WeChat Pay query failed: ${r.code ?? r.status}.`, {
        channel: 'wechatpay',
      });
    }
    const d = r.data;
    const state = String(d.trade_state);
    const paid = state === 'SUCCESS' || state === 'REFUND';
    return {
      status: paid
        ? 'PAID'
        : state === 'CLOSED' || state === 'REVOKED' || state === 'PAYERROR'
          ? 'CLOSED'
          : 'PENDING',
      providerTradeNo: d.transaction_id as string | undefined,
      amountFen: d.amount?.total === undefined ? undefined : fen(d.amount.total as number),
      paidAt: paid && d.success_time ? new Date(String(d.success_time)) : undefined,
    };
  }

  async function closeOrder(outTradeNo: string): Promise<OrderState> {
    const r = await call('closeOrder', () =>
      (v3.pay.transactions.outTradeNo._out_trade_no_.close.post as Post)(
        { mchid: config.mchId },
        { out_trade_no: outTradeNo },
      ),
    );
    // Paid meanwhile, or never created: the query tells which.
    if (failure(r)) return queryOrder(outTradeNo);
    return { status: 'CLOSED' };
  }

  const refundState = (d: Record<string, any>): RefundState => ({
    status: d.status === 'SUCCESS' ? 'SUCCEEDED' : d.status === 'PROCESSING' ? 'PROCESSING' : 'FAILED',
    providerRefundId: d.refund_id as string | undefined,
    succeededAt: d.success_time ? new Date(String(d.success_time)) : undefined,
  });

  async function refund(req: RefundRequest): Promise<RefundState> {
    const r = await call('refund', () =>
      (v3.refund.domestic.refunds.post as Post)({
        out_trade_no: req.outTradeNo,
        out_refund_no: req.outRefundNo,
        reason: req.reason.slice(0, 80),
        notify_url: config.notifyUrl,
        amount: { refund: req.amountFen, total: req.totalFen, currency: 'CNY' },
      }),
    );
    if (failure(r)) return { status: 'FAILED' };
    return refundState(r.data);
  }

  async function queryRefund(_outTradeNo: string, outRefundNo: string): Promise<RefundState> {
    const r = await call('queryRefund', () =>
      (v3.refund.domestic.refunds._out_refund_no_.get as Call)({ out_refund_no: outRefundNo }),
    );
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
    verifyNotification: (n: RawNotification) =>
      Promise.resolve(verifyWechatpayNotification(config, n, clock.now())),
    fetchBill: (day: string) => fetchWechatBill(v3, day),
  };
}
