/** PaymentProvider for WeChat Pay APIv3 (JSAPI, native, H5, 付款码 with reverse, query, close, refunds) on the lean APIv3 client. */
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
import { hospitalUrl, type WechatSubMerchant } from '../../domain/hospital';
import type { Clock } from '../../ports/clock';
import type {
  CodePayRequest,
  CodePayState,
  CreateOrderRequest,
  CreateOrderResponse,
  OrderState,
  PaymentProvider,
  ReversalOutcome,
  RefundRequest,
  RefundState,
  RerouteRequest,
} from '../../ports/payment-provider';
import { wechatpayNotificationVerifier } from './notification';
import { oaepEncrypt } from './med-ins-orders';
import { wechatRefundState } from './refunds';
import { wechatComplaintDesk } from './complaints';
import { WECHAT_DESCRIPTION, providerText } from '../text/provider-text';

export type { WechatpayConfig } from './client';

/** The sub-merchant a partner-mode provider acts for, and the hospital it is (its notify_url names it). */
export type WechatPartner = WechatSubMerchant & { readonly hospitalId: string };

/**
 * Creates the WeChat Pay provider: for the merchant itself (direct mode), or, given `partner`, for its
 * sub-merchant through the service provider's partner APIs (服务商模式). Partner mode, from the partner API
 * reference (pay.weixin.qq.com/wiki/doc/apiv3/wxpay/pay/transactions/chapter5_1.shtml ff.; PROTOCOLS §3.1):
 *   - orders: POST /v3/pay/partner/transactions/{jsapi,native} with sp_appid, sp_mchid, sub_mchid, sub_appid?
 *     and payer.sp_openid (or payer.sub_openid under the hospital's own sub_appid);
 *   - query: GET /v3/pay/partner/transactions/out-trade-no/{no}?sp_mchid=&sub_mchid=; close: POST …/close
 *     with {sp_mchid, sub_mchid};
 *   - refunds: POST /v3/refund/domestic/refunds with sub_mchid in the body; query …/refunds/{no}?sub_mchid=;
 *   - every request is signed with the service provider's own key (Authorization mchid = sp_mchid).
 */
export function wechatpayProvider(
  config: WechatpayConfig,
  clock: Clock,
  partner?: WechatPartner,
): PaymentProvider {
  const call = wechatpayApi(config, () => clock.now());
  const failure = wechatFailed;
  const enc = encodeURIComponent;
  /** The path of a transaction operation: the partner family in partner mode. */
  const transactions = partner ? '/v3/pay/partner/transactions' : '/v3/pay/transactions';
  /** The query naming the merchant of an order. */
  const merchantQuery = partner
    ? `sp_mchid=${enc(config.mchId)}&sub_mchid=${enc(partner.subMchId)}`
    : `mchid=${enc(config.mchId)}`;
  /**
   * The app and merchant an order, a payment code or a reversal names: the merchant's own, or the service
   * provider's with the sub-merchant (and its app) in partner mode (I5, I7; sp_appid required, WXC4).
   */
  const merchantNames = partner
    ? {
        sp_appid: config.appId,
        sp_mchid: config.mchId,
        sub_mchid: partner.subMchId,
        ...(partner.subAppId ? { sub_appid: partner.subAppId } : {}),
      }
    : { appid: config.appId, mchid: config.mchId };
  /** The body fields naming the merchant of a close. */
  const merchantBody = partner
    ? { sp_mchid: config.mchId, sub_mchid: partner.subMchId }
    : { mchid: config.mchId };
  /** The app a JSAPI payment is invoked with: the hospital's own app when it has one (its openids are sub_openid). */
  const invokeAppId = partner?.subAppId ?? config.appId;
  /** Each partner order's notify_url names its hospital, so a notification is checked against where it was sent. */
  const notifyUrl = hospitalUrl(config.notifyUrl, partner?.hospitalId);

  async function createOrder(req: CreateOrderRequest): Promise<CreateOrderResponse> {
    const kind = req.mode === 'qr' ? 'native' : req.mode === 'h5' ? 'h5' : 'jsapi';
    if (kind === 'h5' && !req.clientIp)
      throw new ValidationError("A WeChat Pay H5 order needs the payer browser's IP address.", [
        { path: 'clientIp', message: 'required for h5' },
      ]);
    if (kind === 'jsapi' && !(req.payer && 'wechatOpenId' in req.payer)) {
      throw new ValidationError('A WeChat Pay mini-program payment needs payer.wechatOpenId.', [
        { path: 'body.payer', message: 'wechatOpenId required' },
      ]);
    }
    const openid =
      kind === 'jsapi' && req.payer && 'wechatOpenId' in req.payer ? req.payer.wechatOpenId : undefined;
    const body = {
      ...merchantNames,
      description: providerText(req.description, WECHAT_DESCRIPTION),
      out_trade_no: req.outTradeNo,
      time_expire: wechatBeijingTime(req.expiresAt),
      notify_url: notifyUrl,
      amount: { total: req.amountFen, currency: 'CNY' },
      ...(openid === undefined
        ? {}
        : { payer: partner ? { [partner.subAppId ? 'sub_openid' : 'sp_openid']: openid } : { openid } }),
      // H5 (pay.weixin.qq.com/wiki/doc/apiv3/wxpay/pay/transactions/chapter3_4.shtml; wechatpay-im
      // openapi/v3/pay/transactions/h5.md): the payer's IP and h5_info.type (iOS, Android or Wap) are required.
      ...(kind === 'h5' ? { scene_info: { payer_client_ip: req.clientIp, h5_info: { type: 'Wap' } } } : {}),
    };
    const r = await call('createOrder', 'POST', `${transactions}/${kind}`, body);
    // ORDERPAID (400, "订单已支付"): this out_trade_no is paid; the order's state must be asked for.
    if (failure(r) && r.code === 'ORDERPAID') return { clientParams: {}, alreadyPaid: true };
    if (failure(r))
      throw new ProviderUnavailableError(`WeChat Pay refused the order: ${r.code ?? r.status}.`, {
        channel: 'wechatpay',
        code: r.code,
      });
    if (kind === 'native') return { clientParams: { codeUrl: String(r.data.code_url) } };
    // h5_url opens WeChat's cashier from the browser (valid 5 minutes); redirect_url, URL-encoded, is where
    // the browser returns afterwards (H5支付 开发指引: "&redirect_url=" + urlencode).
    if (kind === 'h5')
      return {
        clientParams: {
          h5Url: `${String(r.data.h5_url)}${req.returnUrl ? `&redirect_url=${enc(req.returnUrl)}` : ''}`,
        },
      };
    const timeStamp = String(Math.floor(clock.now().getTime() / 1000));
    const nonceStr = randomBytes(16).toString('hex');
    const pkg = `prepay_id=${String(r.data.prepay_id)}`;
    // wx.requestPayment's paySign: SHA256-RSA over "appId\ntimeStamp\nnonceStr\npackage\n" (JSAPI 调起支付).
    const paySign = wechatSign(lines(invokeAppId, timeStamp, nonceStr, pkg), config.merchantPrivateKey);
    return {
      clientParams: { appId: invokeAppId, timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign },
    };
  }

  async function queryOrder(outTradeNo: string): Promise<OrderState> {
    const r = await call(
      'queryOrder',
      'GET',
      `${transactions}/out-trade-no/${enc(outTradeNo)}?${merchantQuery}`,
    );
    if (failure(r)) {
      if (r.code === 'ORDER_NOT_EXIST' || r.status === 404) return { status: 'NOT_FOUND' };
      throw new ProviderUnavailableError(`WeChat Pay query failed: ${r.code ?? r.status}.`, {
        channel: 'wechatpay',
      });
    }
    return transactionState(r.data);
  }

  /**
   * An order as a transaction (query, codepay) describes it. trade_state: SUCCESS | REFUND | NOTPAY | CLOSED |
   * REVOKED (已撤销) | USERPAYING (用户支付中) | PAYERROR (B2; G1; PROTOCOLS §2.2): SUCCESS and REFUND were paid;
   * CLOSED, REVOKED and PAYERROR are final and unpaid; NOTPAY and USERPAYING are still open. The payer is
   * payer.openid, or in partner mode payer.sub_openid under the hospital's app, else payer.sp_openid.
   */
  function transactionState(d: WechatJson): OrderState {
    const total: unknown = (d.amount as { total?: unknown } | undefined)?.total;
    const state = String(d.trade_state);
    const paid = state === 'SUCCESS' || state === 'REFUND';
    const payer = (d.payer ?? {}) as Record<string, unknown>;
    const payerId: unknown = payer.openid ?? payer.sub_openid ?? payer.sp_openid;
    return {
      status: paid
        ? 'PAID'
        : state === 'CLOSED' || state === 'REVOKED' || state === 'PAYERROR'
          ? 'CLOSED'
          : 'PENDING',
      providerTradeNo: d.transaction_id as string | undefined,
      amountFen: typeof total === 'number' ? fen(total) : undefined,
      paidAt: paid && d.success_time ? new Date(String(d.success_time)) : undefined,
      payerId: paid && typeof payerId === 'string' && payerId !== '' ? payerId : undefined,
    };
  }

  /**
   * 付款码 (I4 /v3/pay/transactions/codepay; partner I5 /v3/pay/partner/transactions/codepay, sp_appid required
   * by the 2025 page, WXC4). No notify_url: the v3 payment code sends no notification (WX-CP, ISS-PW, B3,
   * WXC1). scene_info is required: device_id is the terminal, store_info.out_id the hospital's own code for the
   * window (WXC4). Answers: 200 with trade_state SUCCESS (paid); 202 with USERPAYING, the patient entering a
   * password (ISS-WXJ): query on; no answer, 429 or 5xx SYSTEM_ERROR: unknown, query after 5 s (WX-MP2); any
   * other 4xx (付款码不存在或无法支付, 余额不足, … B3 §6): refused, ask for a fresh code.
   */
  async function payByCode(req: CodePayRequest): Promise<CodePayState> {
    const body = {
      ...merchantNames,
      description: providerText(req.description, WECHAT_DESCRIPTION),
      out_trade_no: req.outTradeNo,
      payer: { auth_code: req.authCode },
      amount: { total: req.amountFen, currency: 'CNY' },
      scene_info: {
        device_id: req.counter.deviceId,
        store_info: { out_id: req.counter.windowId ?? req.counter.deviceId },
      },
    };
    let r;
    try {
      r = await call('payByCode', 'POST', `${transactions}/codepay`, body);
    } catch (error) {
      if (error instanceof ProviderUnavailableError) return { status: 'PENDING' };
      throw error;
    }
    if (failure(r)) {
      // An order already paid with this out_trade_no: the query says by whom and when.
      if (r.code === 'ORDERPAID') return queryOrder(req.outTradeNo);
      return { status: 'CLOSED', refused: { code: r.code ?? String(r.status), message: r.message ?? '' } };
    }
    return transactionState(r.data);
  }

  /**
   * 撤销 (I6: POST …/out-trade-no/{no}/reverse with {appid, mchid}; partner I7 with {sp_appid, sp_mchid,
   * sub_appid?, sub_mchid}). An unpaid order is closed; a paid one is refunded to the payer (WX-RV2). Refused
   * while the patient is still paying (正在支付中不能发起撤销, WXC3), or no answer: call again (WX-MP2).
   */
  async function reverseOrder(outTradeNo: string): Promise<ReversalOutcome> {
    try {
      const r = await call(
        'reverseOrder',
        'POST',
        `${transactions}/out-trade-no/${enc(outTradeNo)}/reverse`,
        merchantNames,
      );
      // ORDER_NOT_EXIST: nothing was ordered, so nothing can be taken; the last query says so.
      return failure(r) && r.status !== 404 ? 'retry' : 'done';
    } catch (error) {
      if (error instanceof ProviderUnavailableError) return 'retry';
      throw error;
    }
  }

  async function closeOrder(outTradeNo: string): Promise<OrderState> {
    const r = await call(
      'closeOrder',
      'POST',
      `${transactions}/out-trade-no/${enc(outTradeNo)}/close`,
      merchantBody,
    );
    // Paid meanwhile, or never created: the query tells which.
    if (failure(r)) return queryOrder(outTradeNo);
    return { status: 'CLOSED' };
  }

  async function refund(req: RefundRequest): Promise<RefundState> {
    const r = await call('refund', 'POST', '/v3/refund/domestic/refunds', {
      ...(partner ? { sub_mchid: partner.subMchId } : {}),
      out_trade_no: req.outTradeNo,
      out_refund_no: req.outRefundNo,
      reason: req.reason.slice(0, 80),
      notify_url: notifyUrl,
      amount: { refund: req.amountFen, total: req.totalFen, currency: 'CNY' },
    });
    if (failure(r)) return { status: 'FAILED' };
    return wechatRefundState(r.data);
  }

  async function queryRefund(_outTradeNo: string, outRefundNo: string): Promise<RefundState> {
    const query = partner ? `?sub_mchid=${enc(partner.subMchId)}` : '';
    const r = await call('queryRefund', 'GET', `/v3/refund/domestic/refunds/${enc(outRefundNo)}${query}`);
    if (failure(r)) return { status: r.status === 404 ? 'NOT_FOUND' : 'FAILED' };
    return wechatRefundState(r.data);
  }

  /**
   * apply-abnormal-refund (pay.weixin.qq.com/docs/merchant/apis/refund/refunds/create-abnormal-refund.html;
   * wechatpay-im/website openapi/v3/refund/domestic/refunds/{refund_id}/apply-abnormal-refund.md): out_refund_no,
   * type, and for USER_BANK_CARD bank_type, bank_account and real_name, the last two RSA-OAEP-encrypted with
   * the platform key named in Wechatpay-Serial (as every sensitive field, W1 §5); sub_mchid for a partner.
   * The answer is the refund resource. Refused: the refund stays where it was and staff see why (400).
   */
  async function rerouteRefund(req: RerouteRequest): Promise<RefundState> {
    // The WeChat Pay public key (PUB_KEY_ID_…, WeChat's recommended one) when configured, else the certificate.
    const serials = Object.keys(config.platformKeys);
    const serial = serials.find((s) => s.startsWith('PUB_KEY_ID_')) ?? serials[0] ?? '';
    const key = config.platformKeys[serial];
    if (req.type === 'USER_BANK_CARD' && !key)
      throw new ProviderUnavailableError('WeChat Pay platform key for encryption is not configured.', {
        channel: 'wechatpay',
      });
    const sensitive = (v: string | undefined) => (v !== undefined && key ? oaepEncrypt(v, key) : undefined);
    const r = await call(
      'rerouteRefund',
      'POST',
      `/v3/refund/domestic/refunds/${enc(req.providerRefundId)}/apply-abnormal-refund`,
      {
        ...(partner ? { sub_mchid: partner.subMchId } : {}),
        out_refund_no: req.outRefundNo,
        type: req.type,
        ...(req.bankType ? { bank_type: req.bankType } : {}),
        ...(req.bankAccount ? { bank_account: sensitive(req.bankAccount) } : {}),
        ...(req.realName ? { real_name: sensitive(req.realName) } : {}),
      },
      { 'Wechatpay-Serial': serial },
    );
    if (failure(r))
      throw new ValidationError(
        `WeChat Pay refused to re-route the refund: ${r.code ?? r.status} ${r.message ?? ''}`.trim(),
        [{ path: 'body', message: r.code ?? String(r.status) }],
      );
    return wechatRefundState(r.data);
  }

  return {
    channel: 'wechatpay',
    createOrder,
    queryOrder,
    closeOrder,
    refund,
    queryRefund,
    rerouteRefund,
    verifyNotification: wechatpayNotificationVerifier(config, clock).verifyNotification,
    payByCode,
    reverseOrder,
    complaints: wechatComplaintDesk(call, partner?.subMchId ?? config.mchId),
  };
}
