/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- request bodies are untyped JSON on the wire, checked field by field */
/**
 * The sandbox's credit products: Alipay fund authorisation (alipay.fund.auth.* and PREAUTH_PAY trades)
 * and WeChat Pay Score service orders (/v3/payscore/serviceorder*), plus WeChat medical-insurance mixed
 * orders (/v3/med-ins/orders) in front of the bureau simulator. Same signing rules as the rest of the
 * sandbox; captures become ordinary paid trades in the order book (so they appear in bills).
 */
import { randomBytes } from 'node:crypto';
import { formatYuan, parseYuan, type Fen } from '../lib/domain/money';
import type { createBureau } from './bureau';
import { alipaySignContent, alipayTime, payScoreTime, rsaVerify, wechatTime } from './signing';

type Channel = 'alipay' | 'wechatpay';

/** What the credit simulator needs from the sandbox server. */
export interface CreditContext {
  readonly alipay: { appId: string; sellerId: string; appPublicKey: string; platformPrivateKey: string };
  readonly wechatpay: { mchId: string; appId: string; apiV3Key: string };
  readonly bureau: ReturnType<typeof createBureau>;
  /** Failures to inject: the next N captures per channel fail (insufficient funds). */
  readonly settings: { captureFailures: Record<Channel, number> };
  /** Records a captured trade in the order book. */
  recordTrade(t: {
    channel: Channel;
    outTradeNo: string;
    amountFen: Fen;
    description: string;
    providerTradeNo: string;
    payer?: string;
  }): void;
  /** Posts an Alipay notification with these parameters (signed by the caller's rules). */
  notifyAlipay(kind: string, ref: string, url: string, params: Record<string, string>): Promise<unknown>;
  /** Posts a WeChat Pay notification with this resource. */
  notifyWechat(
    eventType: string,
    originalType: string,
    summary: string,
    resource: object,
    url: string,
  ): Promise<unknown>;
  later(fn: () => void, ms: number): void;
}

interface Freeze {
  outOrderNo: string;
  outRequestNo: string;
  authNo: string;
  operationId: string;
  amountFen: number;
  creditFen: number;
  status: 'INIT' | 'AUTHORIZED' | 'FINISH' | 'CLOSED';
  payFen: number;
  unfreezeFen: number;
  notifyUrl: string;
  payerUserId: string;
  title: string;
  createdAt: Date;
  authorisedAt?: Date;
  unfreezeRequests: Set<string>;
}

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
}

interface MedInsOrder {
  mixTradeNo: string;
  outTradeNo: string;
  payOrderId: string;
  request: Record<string, any>;
  mixPayStatus: 'MIX_PAY_CREATED' | 'MIX_PAY_SUCCESS' | 'MIX_PAY_REFUND' | 'MIX_PAY_FAIL';
  medInsPayStatus: 'MED_INS_PAY_CREATED' | 'MED_INS_PAY_SUCCESS' | 'MED_INS_PAY_REFUND' | 'MED_INS_PAY_FAIL';
  paidTime?: Date;
}

const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');

/** Creates the credit simulator. */
export function createCreditSimulator(ctx: CreditContext) {
  const freezes = new Map<string, Freeze>();
  const serviceOrders = new Map<string, ServiceOrder>();
  const medIns = new Map<string, MedInsOrder>();
  const captures: Array<{ channel: Channel; outOrderNo: string; outTradeNo: string; amountFen: number }> = [];
  const failCapture = (channel: Channel) => {
    if (ctx.settings.captureFailures[channel] > 0) {
      ctx.settings.captureFailures[channel] -= 1;
      return true;
    }
    return false;
  };

  // ── Alipay ──

  /** The Alipay app submits the signed order string of alipay.fund.auth.order.app.freeze. */
  function submitAlipayOrderString(
    orderStr: string,
  ): { ok: true; freeze: Freeze } | { ok: false; error: string } {
    const params = Object.fromEntries(new URLSearchParams(orderStr));
    if (params.method !== 'alipay.fund.auth.order.app.freeze')
      return { ok: false, error: 'not a freeze order string' };
    if (params.app_id !== ctx.alipay.appId) return { ok: false, error: 'app_id mismatch' };
    if (!params.sign || !rsaVerify(alipaySignContent(params, ['sign']), params.sign, ctx.alipay.appPublicKey))
      return { ok: false, error: 'invalid signature on the order string' };
    const biz = JSON.parse(params.biz_content ?? '{}') as Record<string, string>;
    if (biz.product_code !== 'PRE_AUTH_ONLINE')
      return { ok: false, error: 'product_code must be PRE_AUTH_ONLINE' };
    const existing = freezes.get(biz.out_order_no ?? '');
    if (existing) return { ok: true, freeze: existing };
    const amountFen = parseYuan(biz.amount ?? '');
    const zhima = (biz.enable_pay_channels ?? '').includes('CREDITZHIMA');
    const freeze: Freeze = {
      outOrderNo: biz.out_order_no ?? '',
      outRequestNo: biz.out_request_no ?? '',
      authNo: `2026${digits(24)}`,
      operationId: `2026${digits(20)}`,
      amountFen,
      // With Zhima credit enabled the sandbox patient has enough credit: nothing is actually frozen.
      creditFen: zhima ? amountFen : 0,
      status: 'INIT',
      payFen: 0,
      unfreezeFen: 0,
      notifyUrl: params.notify_url ?? '',
      payerUserId: '2088102122524333',
      title: biz.order_title ?? '',
      createdAt: new Date(),
      unfreezeRequests: new Set(),
    };
    freezes.set(freeze.outOrderNo, freeze);
    return { ok: true, freeze };
  }

  const freezeNotification = (f: Freeze): Record<string, string> => ({
    notify_id: randomBytes(16).toString('hex'),
    notify_time: alipayTime(new Date()),
    notify_type: 'fund_auth_freeze',
    app_id: ctx.alipay.appId,
    auth_no: f.authNo,
    out_order_no: f.outOrderNo,
    operation_id: f.operationId,
    out_request_no: f.outRequestNo,
    operation_type: 'FREEZE',
    amount: formatYuan(f.amountFen as Fen),
    status: 'SUCCESS',
    gmt_create: alipayTime(f.createdAt),
    gmt_trans: alipayTime(f.authorisedAt ?? new Date()),
    payer_user_id: f.payerUserId,
    payee_user_id: ctx.alipay.sellerId,
    total_freeze_amount: formatYuan(f.amountFen as Fen),
    total_unfreeze_amount: formatYuan(f.unfreezeFen as Fen),
    total_pay_amount: formatYuan(f.payFen as Fen),
    rest_amount: formatYuan(rest(f) as Fen),
    credit_amount: formatYuan(f.creditFen as Fen),
    fund_amount: formatYuan((f.amountFen - f.creditFen) as Fen),
    ...(f.creditFen > 0 ? { pre_auth_type: 'CREDIT_AUTH' } : {}),
  });
  const rest = (f: Freeze) => f.amountFen - f.payFen - f.unfreezeFen;

  /** Handles alipay.fund.auth.* and PREAUTH_PAY alipay.trade.pay; undefined for other methods. */
  function alipayMethod(
    method: string,
    biz: Record<string, string>,
    reply: (o: Record<string, unknown>) => string,
    fail: (code: string, msg: string, sub: string, subMsg: string) => string,
  ): string | undefined {
    const byOrder = () =>
      freezes.get(biz.out_order_no ?? '') ?? [...freezes.values()].find((f) => f.authNo === biz.auth_no);
    const notExist = () => fail('40004', 'Business Failed', 'AUTH_ORDER_NOT_EXIST', '授权单不存在');
    switch (method) {
      case 'alipay.fund.auth.operation.detail.query': {
        const f = byOrder();
        if (!f) return notExist();
        return reply({
          code: '10000',
          msg: 'Success',
          auth_no: f.authNo,
          out_order_no: f.outOrderNo,
          operation_id: f.operationId,
          out_request_no: f.outRequestNo,
          operation_type: 'FREEZE',
          order_status: f.status,
          status: f.status === 'INIT' ? 'INIT' : 'SUCCESS',
          amount: formatYuan(f.amountFen as Fen),
          total_freeze_amount: formatYuan(f.amountFen as Fen),
          rest_amount: formatYuan(rest(f) as Fen),
          total_pay_amount: formatYuan(f.payFen as Fen),
          credit_amount: formatYuan(f.creditFen as Fen),
          fund_amount: formatYuan((f.amountFen - f.creditFen) as Fen),
          ...(f.authorisedAt ? { gmt_trans: alipayTime(f.authorisedAt) } : {}),
          ...(f.creditFen > 0 ? { pre_auth_type: 'CREDIT_AUTH' } : {}),
        });
      }
      case 'alipay.trade.pay': {
        if (biz.product_code !== 'PREAUTH_PAY') return undefined;
        const f = [...freezes.values()].find((x) => x.authNo === biz.auth_no);
        if (!f) return fail('40004', 'Business Failed', 'ACQ.AUTH_NO_ERROR', '预授权号错误或状态不对');
        const already = captures.find((c) => c.channel === 'alipay' && c.outTradeNo === biz.out_trade_no);
        if (already) return fail('40004', 'Business Failed', 'ACQ.TRADE_HAS_SUCCESS', '交易已被支付');
        if (f.status !== 'AUTHORIZED')
          return fail('40004', 'Business Failed', 'ACQ.AUTH_NO_ERROR', '预授权号错误或状态不对');
        let amountFen: number;
        try {
          amountFen = parseYuan(biz.total_amount ?? '');
        } catch {
          return fail('40002', 'Invalid Arguments', 'isv.invalid-parameter', 'total_amount 格式错误');
        }
        if (amountFen > rest(f))
          return fail('40004', 'Business Failed', 'ACQ.TOTAL_FEE_EXCEED', '订单金额超过可支付金额');
        if (failCapture('alipay'))
          return fail('40004', 'Business Failed', 'ACQ.BUYER_BALANCE_NOT_ENOUGH', '买家余额不足');
        const tradeNo = `${alipayTime(new Date()).replace(/\D/g, '').slice(0, 8)}2200${digits(16)}`;
        f.payFen += amountFen;
        if (biz.auth_confirm_mode === 'COMPLETE') {
          f.unfreezeFen += rest(f);
          f.status = 'FINISH';
        }
        captures.push({
          channel: 'alipay',
          outOrderNo: f.outOrderNo,
          outTradeNo: biz.out_trade_no ?? '',
          amountFen,
        });
        ctx.recordTrade({
          channel: 'alipay',
          outTradeNo: biz.out_trade_no ?? '',
          amountFen: amountFen as Fen,
          description: biz.subject ?? f.title,
          providerTradeNo: tradeNo,
          payer: f.payerUserId,
        });
        return reply({
          code: '10000',
          msg: 'Success',
          trade_no: tradeNo,
          out_trade_no: biz.out_trade_no,
          buyer_user_id: f.payerUserId,
          total_amount: biz.total_amount,
          receipt_amount: biz.total_amount,
          gmt_payment: alipayTime(new Date()),
        });
      }
      case 'alipay.fund.auth.order.unfreeze': {
        const f = byOrder();
        if (!f) return notExist();
        if (!f.unfreezeRequests.has(biz.out_request_no ?? '')) {
          const amountFen = parseYuan(biz.amount ?? '');
          if (amountFen > rest(f))
            return fail(
              '40004',
              'Business Failed',
              'UNFREEZE_AMOUNT_LESS_THAN_REST',
              '解冻金额超过剩余冻结金额',
            );
          f.unfreezeFen += amountFen;
          f.unfreezeRequests.add(biz.out_request_no ?? '');
          if (rest(f) === 0) f.status = f.payFen > 0 ? 'FINISH' : 'CLOSED';
        }
        return reply({
          code: '10000',
          msg: 'Success',
          auth_no: f.authNo,
          out_request_no: biz.out_request_no,
          amount: biz.amount,
          status: 'SUCCESS',
          gmt_trans: alipayTime(new Date()),
          credit_amount: '0.00',
          fund_amount: biz.amount,
        });
      }
      case 'alipay.fund.auth.operation.cancel': {
        const f = byOrder();
        if (!f) return notExist();
        const action = f.status === 'INIT' ? 'close' : 'unfreeze';
        if (f.status === 'AUTHORIZED') f.unfreezeFen += rest(f);
        if (f.status !== 'FINISH') f.status = 'CLOSED';
        return reply({
          code: '10000',
          msg: 'Success',
          auth_no: f.authNo,
          out_order_no: f.outOrderNo,
          action,
        });
      }
      default:
        return undefined;
    }
  }

  // ── WeChat Pay Score ──

  const serviceOrderBody = (o: ServiceOrder) => ({
    appid: ctx.wechatpay.appId,
    mchid: ctx.wechatpay.mchId,
    service_id: o.serviceId,
    out_order_no: o.outOrderNo,
    service_introduction: o.introduction,
    state: o.state,
    ...(o.stateDescription ? { state_description: o.stateDescription } : {}),
    risk_fund: { name: 'ESTIMATE_ORDER_COST', amount: o.riskFen },
    order_id: o.orderId,
    openid: o.openid,
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

  /** Handles /v3/payscore/serviceorder* and /v3/med-ins/*; undefined for other paths. */
  function wechatRoute(
    method: string,
    path: string,
    url: URL,
    req: Record<string, any>,
  ): { status: number; body?: object } | undefined {
    const error = (status: number, code: string, message: string) => ({ status, body: { code, message } });
    if (path === '/v3/payscore/serviceorder' && method === 'POST') {
      if (req.appid !== ctx.wechatpay.appId) return error(400, 'PARAM_ERROR', 'appid 不匹配');
      const risk = req.risk_fund?.amount;
      if (!req.out_order_no || !req.service_id || !req.openid || !Number.isSafeInteger(risk) || risk <= 0)
        return error(400, 'PARAM_ERROR', '参数错误');
      const existing = serviceOrders.get(req.out_order_no as string);
      const o: ServiceOrder = existing ?? {
        outOrderNo: req.out_order_no,
        orderId: `1000000000${digits(18)}`,
        serviceId: req.service_id,
        openid: req.openid,
        riskFen: risk,
        state: 'CREATED',
        notifyUrl: req.notify_url,
        introduction: req.service_introduction ?? '',
        createdAt: new Date(),
      };
      serviceOrders.set(o.outOrderNo, o);
      return { status: 200, body: { ...serviceOrderBody(o), package: `DJ${o.orderId}` } };
    }
    if (path === '/v3/payscore/serviceorder' && method === 'GET') {
      const o = serviceOrders.get(url.searchParams.get('out_order_no') ?? '');
      return o ? { status: 200, body: serviceOrderBody(o) } : error(404, 'ORDER_NOT_EXIST', '订单不存在');
    }
    const action = /^\/v3\/payscore\/serviceorder\/([^/]+)\/(complete|cancel|pay)$/.exec(path);
    if (action && method === 'POST') {
      const o = serviceOrders.get(decodeURIComponent(action[1] as string));
      if (!o) return error(404, 'ORDER_NOT_EXIST', '订单不存在');
      if (action[2] === 'cancel') {
        if (o.state === 'DONE' || o.stateDescription === 'MCH_COMPLETE')
          return error(400, 'INVALID_REQUEST', '订单状态不允许取消');
        o.state = 'REVOKED';
        return { status: 200, body: serviceOrderBody(o) };
      }
      if (action[2] === 'complete') {
        if (o.state !== 'DOING' || o.stateDescription !== 'USER_CONFIRM')
          return error(400, 'INVALID_REQUEST', '订单状态不正确');
        const total = req.total_amount;
        const sum = Array.isArray(req.post_payments)
          ? (req.post_payments as Array<{ amount?: number }>).reduce((n, p) => n + (p.amount ?? 0), 0)
          : Number.NaN;
        if (!Number.isSafeInteger(total) || total < 0 || total > o.riskFen || sum !== total)
          return error(400, 'PARAM_ERROR', 'total_amount 须等于 post_payments 之和且不超过风险金额');
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
      if (o.collection?.state !== 'USER_PAYING') return error(400, 'INVALID_REQUEST', '订单不是待支付状态');
      collect(o);
      return { status: 204 };
    }
    if (path === '/v3/med-ins/orders' && method === 'POST') return medInsCreate(req);
    const mix = /^\/v3\/med-ins\/orders\/mix-trade-no\/([^/]+)$/.exec(path);
    if (mix && method === 'GET') {
      const o = medIns.get(decodeURIComponent(mix[1] as string));
      return o ? { status: 200, body: medInsBody(o) } : error(404, 'ORDER_NOT_EXIST', '订单不存在');
    }
    if (path === '/v3/med-ins/refunds/notify' && method === 'POST') {
      const o = medIns.get(String(url.searchParams.get('mix_trade_no') ?? req.mix_trade_no));
      if (!o) return error(404, 'ORDER_NOT_EXIST', '订单不存在');
      ctx.bureau.reverse(o.payOrderId);
      o.mixPayStatus = 'MIX_PAY_REFUND';
      o.medInsPayStatus = 'MED_INS_PAY_REFUND';
      return { status: 204 };
    }
    return undefined;
  }

  const medInsBody = (o: MedInsOrder) => ({
    ...o.request,
    mix_trade_no: o.mixTradeNo,
    mix_pay_status: o.mixPayStatus,
    self_pay_status: 'NO_SELF_PAY',
    med_ins_pay_status: o.medInsPayStatus,
    ...(o.paidTime ? { paid_time: wechatTime(o.paidTime) } : {}),
  });

  /**
   * A mixed order whose cash part is deducted from the visit's deposit (the credit authorisation): WeChat
   * pays the insured part with the bureau at once, because the patient authorised it (pay_auth_no).
   */
  function medInsCreate(req: Record<string, any>) {
    const error = (status: number, code: string, message: string) => ({ status, body: { code, message } });
    if (req.mix_pay_type !== 'CASH_AND_INSURANCE' || !req.out_trade_no || !req.pay_order_id)
      return error(400, 'PARAM_ERROR', 'mix_pay_type、out_trade_no、pay_order_id 必填');
    const existing = [...medIns.values()].find((o) => o.outTradeNo === req.out_trade_no);
    if (existing) return { status: 200, body: medInsBody(existing) };
    const preauth = ctx.bureau.preauths.get(req.pay_order_id as string);
    if (!preauth) return error(400, 'PARAM_ERROR', '医保支付单不存在');
    const gov = req.med_ins_gov_fee ?? 0;
    const self = req.med_ins_self_fee ?? 0;
    const cash = req.med_ins_cash_fee ?? 0;
    if (
      gov !== preauth.insuredFen ||
      self !== preauth.personalAccountFen ||
      cash !== preauth.selfPayFen ||
      req.total_fee !== gov + self + cash
    )
      return error(400, 'PARAM_ERROR', '金额与医保预结算不一致');
    const o: MedInsOrder = {
      mixTradeNo: `MIX${digits(20)}`,
      outTradeNo: req.out_trade_no,
      payOrderId: req.pay_order_id,
      request: req,
      mixPayStatus: 'MIX_PAY_CREATED',
      medInsPayStatus: 'MED_INS_PAY_CREATED',
    };
    medIns.set(o.mixTradeNo, o);
    ctx.later(() => {
      const settled = ctx.bureau.settle(o.payOrderId);
      const ok = settled.status === 200;
      o.mixPayStatus = ok ? 'MIX_PAY_SUCCESS' : 'MIX_PAY_FAIL';
      o.medInsPayStatus = ok ? 'MED_INS_PAY_SUCCESS' : 'MED_INS_PAY_FAIL';
      o.paidTime = new Date();
    }, 50);
    return { status: 200, body: medInsBody(o) };
  }

  /** /sandbox/authorise: the patient confirms the authorisation; the provider notifies the service. */
  async function authorise(channel: Channel, outOrderNo: string, orderStr?: string) {
    if (channel === 'alipay') {
      let f = freezes.get(outOrderNo);
      if (!f && orderStr) {
        const submitted = submitAlipayOrderString(orderStr);
        if (!submitted.ok) return { status: 400, body: { error: submitted.error } };
        f = submitted.freeze;
      }
      if (!f)
        return {
          status: 404,
          body: { error: 'no such authorisation; pass clientParams.orderStr as orderStr' },
        };
      if (f.status === 'INIT') {
        f.status = 'AUTHORIZED';
        f.authorisedAt = new Date();
      }
      const record = await ctx.notifyAlipay(
        'fund_auth_freeze',
        f.outOrderNo,
        f.notifyUrl,
        freezeNotification(f),
      );
      return { status: 200, body: { status: f.status, authNo: f.authNo, notification: record } };
    }
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

  return { freezes, serviceOrders, medIns, captures, alipayMethod, wechatRoute, authorise };
}
