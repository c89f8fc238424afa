/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- request bodies are untyped JSON on the wire, checked field by field */
/**
 * WeChat Pay Score as the sandbox plays it: service orders (/v3/payscore/serviceorder*), the patient's
 * confirmation (PAYSCORE.USER_CONFIRM), completion with post_payments and the collection that follows
 * (PAYSCORE.USER_PAID). Never deployed.
 *
 * The service provider's partner paths (/v3/payscore/partner/serviceorder*) act for a sub-merchant that
 * authorised it: create names the service provider's appid and the sub_mchid (and sub_appid), query and
 * the actions name service_id and sub_mchid, and a sub-merchant's service order is found only under it.
 */
import type { Fen } from '../../lib/domain/money';
import { isSubMerchant } from '../books';
import { wechatError, type CreditShared, type WechatRouteResult } from '../credit';
import { payScoreTime } from '../signing';

interface ServiceOrder {
  outOrderNo: string;
  orderId: string;
  serviceId: string;
  openid: string;
  riskFen: number;
  state: 'CREATED' | 'DOING' | 'DONE' | 'REVOKED' | 'EXPIRED';
  stateDescription?: 'USER_CONFIRM' | 'MCH_COMPLETE';
  notifyUrl: string;
  introduction: string;
  totalFen?: number;
  postPayments?: unknown[];
  collection?: {
    state: 'USER_PAYING' | 'USER_PAID';
    paidFen: number;
    transactionId?: string;
    paidTime?: Date;
  };
  createdAt: Date;
  /** Partner mode: the sub-merchant the service order is for, and its app (its users are sub_openid). */
  subMchId?: string;
  subAppId?: string;
}

/** The Pay Score product over the shared credit context. */
export function payScoreSimulator({ ctx, captures, failCapture, digits }: CreditShared) {
  const serviceOrders = new Map<string, ServiceOrder>();

  /** The partner service order names the service provider as appid and mchid beside sub_mchid. */
  const serviceOrderBody = (o: ServiceOrder) => ({
    appid: ctx.wechatpay.appId,
    mchid: ctx.wechatpay.mchId,
    ...(o.subMchId ? { sub_mchid: o.subMchId } : {}),
    ...(o.subAppId ? { sub_appid: o.subAppId } : {}),
    service_id: o.serviceId,
    out_order_no: o.outOrderNo,
    service_introduction: o.introduction,
    state: o.state,
    ...(o.stateDescription ? { state_description: o.stateDescription } : {}),
    risk_fund: { name: 'ESTIMATE_ORDER_COST', amount: o.riskFen },
    order_id: o.orderId,
    ...(o.subAppId ? { sub_openid: o.openid } : { openid: o.openid }),
    notify_url: o.notifyUrl,
    need_collection: o.totalFen !== undefined && o.totalFen > 0,
    ...(o.totalFen !== undefined ? { total_amount: o.totalFen, post_payments: o.postPayments } : {}),
    ...(o.collection
      ? {
          collection: {
            state: o.collection.state,
            total_amount: o.totalFen,
            paying_amount:
              o.collection.state === 'USER_PAYING' ? (o.totalFen ?? 0) - o.collection.paidFen : 0,
            paid_amount: o.collection.paidFen,
            details: o.collection.transactionId
              ? [
                  {
                    seq: 1,
                    amount: o.collection.paidFen,
                    paid_type: 'NEWTON',
                    paid_time: payScoreTime(o.collection.paidTime ?? new Date()),
                    transaction_id: o.collection.transactionId,
                  },
                ]
              : [],
          },
        }
      : {}),
  });

  /** Pay Score collects the completed amount from the user (WeChat does this asynchronously). */
  function collect(o: ServiceOrder) {
    ctx.later(() => {
      if (!o.collection || o.collection.state !== 'USER_PAYING' || failCapture('wechatpay')) return;
      const transactionId = `42000${digits(23)}`;
      o.collection = { state: 'USER_PAID', paidFen: o.totalFen ?? 0, transactionId, paidTime: new Date() };
      o.state = 'DONE';
      captures.push({
        channel: 'wechatpay',
        outOrderNo: o.outOrderNo,
        outTradeNo: o.outOrderNo,
        amountFen: o.totalFen ?? 0,
      });
      ctx.recordTrade({
        channel: 'wechatpay',
        outTradeNo: o.outOrderNo,
        amountFen: (o.totalFen ?? 0) as Fen,
        description: o.introduction,
        providerTradeNo: transactionId,
        payer: o.openid,
        ...(o.subMchId ? { subMchId: o.subMchId } : {}),
      });
      void ctx.notifyWechat(
        'PAYSCORE.USER_PAID',
        'payscore',
        '微信支付分服务订单支付成功',
        serviceOrderBody(o),
        o.notifyUrl,
      );
    }, 100);
  }

  /**
   * Handles /v3/payscore/serviceorder* and the partner /v3/payscore/partner/serviceorder*; undefined for
   * other paths.
   */
  function route(method: string, path: string, url: URL, req: Record<string, any>): WechatRouteResult {
    const partnerPath = path.startsWith('/v3/payscore/partner/');
    const p = partnerPath ? path.replace('/partner/', '/') : path;
    // Who the request names: the sub-merchant (partner paths: body or query sub_mchid) or the merchant.
    const sub: unknown = partnerPath ? (req.sub_mchid ?? url.searchParams.get('sub_mchid')) : undefined;
    if (partnerPath && typeof sub !== 'string')
      return wechatError(400, 'PARAM_ERROR', '受理机构必须传入sub_mch_id');
    if (partnerPath && !isSubMerchant(ctx.wechatpay, sub))
      return wechatError(400, 'INVALID_REQUEST', '受理关系不存在');
    /** A service order is found only under the merchant that made it. */
    const find = (outOrderNo: string) => {
      const o = serviceOrders.get(outOrderNo);
      return o && o.subMchId === sub ? o : undefined;
    };
    if (p === '/v3/payscore/serviceorder' && method === 'POST') {
      if (req.appid !== ctx.wechatpay.appId) return wechatError(400, 'PARAM_ERROR', 'appid 不匹配');
      const risk = req.risk_fund?.amount;
      // A sub_openid is the user under the sub-merchant's own app, so it needs sub_appid.
      const openid: unknown = req.sub_openid ?? req.openid;
      if (req.sub_openid !== undefined && (!partnerPath || !req.sub_appid))
        return wechatError(400, 'PARAM_ERROR', 'sub_openid 需要 sub_appid');
      if (!req.out_order_no || !req.service_id || !openid || !Number.isSafeInteger(risk) || risk <= 0)
        return wechatError(400, 'PARAM_ERROR', '参数错误');
      const existing = serviceOrders.get(req.out_order_no as string);
      if (existing && existing.subMchId !== sub) return wechatError(400, 'INVALID_REQUEST', '商户订单号重复');
      const o: ServiceOrder = existing ?? {
        outOrderNo: req.out_order_no,
        orderId: `1000000000${digits(18)}`,
        serviceId: req.service_id,
        openid: openid as string,
        riskFen: risk,
        state: 'CREATED',
        notifyUrl: req.notify_url,
        introduction: req.service_introduction ?? '',
        createdAt: new Date(),
        ...(partnerPath ? { subMchId: sub as string } : {}),
        ...(partnerPath && req.sub_appid ? { subAppId: req.sub_appid as string } : {}),
      };
      serviceOrders.set(o.outOrderNo, o);
      return { status: 200, body: { ...serviceOrderBody(o), package: `DJ${o.orderId}` } };
    }
    if (p === '/v3/payscore/serviceorder' && method === 'GET') {
      const o = find(url.searchParams.get('out_order_no') ?? '');
      return o
        ? { status: 200, body: serviceOrderBody(o) }
        : wechatError(404, 'ORDER_NOT_EXIST', '订单不存在');
    }
    const action = /^\/v3\/payscore\/serviceorder\/([^/]+)\/(complete|cancel|pay)$/.exec(p);
    if (action && method === 'POST') {
      const o = find(decodeURIComponent(action[1] as string));
      if (!o) return wechatError(404, 'ORDER_NOT_EXIST', '订单不存在');
      if (action[2] === 'cancel') {
        if (o.state === 'DONE' || o.stateDescription === 'MCH_COMPLETE')
          return wechatError(400, 'INVALID_REQUEST', '订单状态不允许取消');
        o.state = 'REVOKED';
        return { status: 200, body: serviceOrderBody(o) };
      }
      if (action[2] === 'complete') {
        if (o.state !== 'DOING' || o.stateDescription !== 'USER_CONFIRM')
          return wechatError(400, 'INVALID_REQUEST', '订单状态不正确');
        const total = req.total_amount;
        const sum = Array.isArray(req.post_payments)
          ? (req.post_payments as Array<{ amount?: number }>).reduce((n, p) => n + (p.amount ?? 0), 0)
          : Number.NaN;
        if (!Number.isSafeInteger(total) || total < 0 || total > o.riskFen || sum !== total)
          return wechatError(400, 'PARAM_ERROR', 'total_amount 须等于 post_payments 之和且不超过风险金额');
        o.totalFen = total;
        o.postPayments = req.post_payments;
        o.stateDescription = 'MCH_COMPLETE';
        if (total === 0) o.state = 'DONE';
        else {
          o.collection = { state: 'USER_PAYING', paidFen: 0 };
          collect(o);
        }
        return { status: 200, body: serviceOrderBody(o) };
      }
      // pay: 商户发起催收扣款
      if (o.collection?.state !== 'USER_PAYING')
        return wechatError(400, 'INVALID_REQUEST', '订单不是待支付状态');
      collect(o);
      return { status: 204 };
    }
    return undefined;
  }

  /** /sandbox/authorise: the patient confirms in WeChat; WeChat Pay sends PAYSCORE.USER_CONFIRM. */
  async function authorise(outOrderNo: string) {
    const o = serviceOrders.get(outOrderNo);
    if (!o) return { status: 404, body: { error: 'no such service order' } };
    if (o.state === 'CREATED') {
      o.state = 'DOING';
      o.stateDescription = 'USER_CONFIRM';
    }
    const record = await ctx.notifyWechat(
      'PAYSCORE.USER_CONFIRM',
      'payscore',
      '微信支付分服务订单用户已确认',
      serviceOrderBody(o),
      o.notifyUrl,
    );
    return { status: 200, body: { status: o.state, orderId: o.orderId, notification: record } };
  }

  return { serviceOrders, route, authorise };
}
