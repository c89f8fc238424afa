/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment -- request bodies are untyped JSON on the wire, checked field by field */
/**
 * WeChat medical insurance as the sandbox plays it: mixed orders (/v3/med-ins/orders) in front of the bureau
 * simulator, their query by mix_trade_no, and the refund notice. Never deployed.
 */
import { wechatError, type CreditShared, type WechatRouteResult } from '../credit';
import { wechatTime } from '../signing';

interface MedInsOrder {
  mixTradeNo: string;
  outTradeNo: string;
  payOrderId: string;
  request: Record<string, any>;
  mixPayStatus: 'MIX_PAY_CREATED' | 'MIX_PAY_SUCCESS' | 'MIX_PAY_REFUND' | 'MIX_PAY_FAIL';
  medInsPayStatus: 'MED_INS_PAY_CREATED' | 'MED_INS_PAY_SUCCESS' | 'MED_INS_PAY_REFUND' | 'MED_INS_PAY_FAIL';
  paidTime?: Date;
}

/** The medical-insurance product over the shared credit context. */
export function medInsSimulator({ ctx, digits }: CreditShared) {
  const medIns = new Map<string, MedInsOrder>();

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
    if (req.mix_pay_type !== 'CASH_AND_INSURANCE' || !req.out_trade_no || !req.pay_order_id)
      return wechatError(400, 'PARAM_ERROR', 'mix_pay_type、out_trade_no、pay_order_id 必填');
    const existing = [...medIns.values()].find((o) => o.outTradeNo === req.out_trade_no);
    if (existing) return { status: 200, body: medInsBody(existing) };
    const preauth = ctx.bureau.preauths.get(req.pay_order_id as string);
    if (!preauth) return wechatError(400, 'PARAM_ERROR', '医保支付单不存在');
    const gov = req.med_ins_gov_fee ?? 0;
    const self = req.med_ins_self_fee ?? 0;
    const cash = req.med_ins_cash_fee ?? 0;
    if (
      gov !== preauth.insuredFen ||
      self !== preauth.personalAccountFen ||
      cash !== preauth.selfPayFen ||
      req.total_fee !== gov + self + cash
    )
      return wechatError(400, 'PARAM_ERROR', '金额与医保预结算不一致');
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

  /** Handles /v3/med-ins/*; undefined for other paths. */
  function route(method: string, path: string, url: URL, req: Record<string, any>): WechatRouteResult {
    if (path === '/v3/med-ins/orders' && method === 'POST') return medInsCreate(req);
    const mix = /^\/v3\/med-ins\/orders\/mix-trade-no\/([^/]+)$/.exec(path);
    if (mix && method === 'GET') {
      const o = medIns.get(decodeURIComponent(mix[1] as string));
      return o ? { status: 200, body: medInsBody(o) } : wechatError(404, 'ORDER_NOT_EXIST', '订单不存在');
    }
    if (path === '/v3/med-ins/refunds/notify' && method === 'POST') {
      const o = medIns.get(String(url.searchParams.get('mix_trade_no') ?? req.mix_trade_no));
      if (!o) return wechatError(404, 'ORDER_NOT_EXIST', '订单不存在');
      ctx.bureau.reverse(o.payOrderId);
      o.mixPayStatus = 'MIX_PAY_REFUND';
      o.medInsPayStatus = 'MED_INS_PAY_REFUND';
      return { status: 204 };
    }
    return undefined;
  }

  return { medIns, route };
}
