/**
 * Alipay fund authorisation as the sandbox plays it: the signed app order string of
 * alipay.fund.auth.order.app.freeze, fund_auth_freeze notifications, PREAUTH_PAY trades that capture from
 * the authorisation, and unfreeze/cancel. For a merchant that authorised the platform's app (partner mode)
 * the order string and every call carry its app_auth_token; its freezes are its own, the merchant is the
 * payee and the notification names its app as auth_app_id. Never deployed.
 */
import { randomBytes } from 'node:crypto';
import { formatYuan, parseYuan, type Fen } from '../../lib/domain/money';
import type { CreditShared } from '../credit';
import { ALIPAY_MERCHANTS } from '../books';
import { alipaySignContent, alipayTime, rsaVerify } from '../signing';

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
  /** Partner mode: the merchant app whose app_auth_token made the freeze. */
  authAppId?: string;
  createdAt: Date;
  authorisedAt?: Date;
  unfreezeRequests: Set<string>;
}

/** The fund-authorisation product over the shared credit context. */
export function fundAuthSimulator({ ctx, captures, failCapture, digits }: CreditShared) {
  const freezes = new Map<string, Freeze>();

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
    const authAppId = params.app_auth_token === undefined ? undefined : ctx.actingFor(params.app_auth_token);
    if (params.app_auth_token !== undefined && !authAppId)
      return { ok: false, error: 'aop.invalid-app-auth-token: 无效的应用授权令牌' };
    const biz = JSON.parse(params.biz_content ?? '{}') as Record<string, string>;
    if (biz.product_code !== 'PRE_AUTH_ONLINE')
      return { ok: false, error: 'product_code must be PRE_AUTH_ONLINE' };
    const existing = freezes.get(biz.out_order_no ?? '');
    if (existing)
      return existing.authAppId === authAppId
        ? { ok: true, freeze: existing }
        : { ok: false, error: 'out_order_no 重复' };
    // The payee is the merchant the order string acts for (the platform's own seller in direct mode).
    if (biz.payee_user_id !== undefined && biz.payee_user_id !== payeeOf(authAppId))
      return { ok: false, error: 'payee_user_id 与授权商户不一致' };
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
      ...(authAppId ? { authAppId } : {}),
    };
    freezes.set(freeze.outOrderNo, freeze);
    return { ok: true, freeze };
  }

  const freezeNotification = (f: Freeze): Record<string, string> => ({
    notify_id: randomBytes(16).toString('hex'),
    notify_time: alipayTime(new Date()),
    notify_type: 'fund_auth_freeze',
    app_id: ctx.alipay.appId,
    ...(f.authAppId ? { auth_app_id: f.authAppId } : {}),
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
    payee_user_id: payeeOf(f.authAppId),
    total_freeze_amount: formatYuan(f.amountFen as Fen),
    total_unfreeze_amount: formatYuan(f.unfreezeFen as Fen),
    total_pay_amount: formatYuan(f.payFen as Fen),
    rest_amount: formatYuan(rest(f) as Fen),
    credit_amount: formatYuan(f.creditFen as Fen),
    fund_amount: formatYuan((f.amountFen - f.creditFen) as Fen),
    ...(f.creditFen > 0 ? { pre_auth_type: 'CREDIT_AUTH' } : {}),
  });
  const rest = (f: Freeze) => f.amountFen - f.payFen - f.unfreezeFen;
  /** The payee of a freeze: the authorising merchant's PID, or the platform's own seller. */
  function payeeOf(authAppId: string | undefined): string {
    return ALIPAY_MERCHANTS.find((m) => m.authAppId === authAppId)?.merchantId ?? ctx.alipay.sellerId;
  }

  /**
   * Handles alipay.fund.auth.* and PREAUTH_PAY alipay.trade.pay; undefined for other methods. `actingFor`
   * is the merchant app the call's app_auth_token names: only its own freezes are found.
   */
  function alipayMethod(
    method: string,
    biz: Record<string, string>,
    reply: (o: Record<string, unknown>) => string,
    fail: (code: string, msg: string, sub: string, subMsg: string) => string,
    actingFor?: string,
  ): string | undefined {
    const mine = (f: Freeze | undefined) => (f && f.authAppId === actingFor ? f : undefined);
    const byOrder = () =>
      mine(
        freezes.get(biz.out_order_no ?? '') ?? [...freezes.values()].find((f) => f.authNo === biz.auth_no),
      );
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
        const f = mine([...freezes.values()].find((x) => x.authNo === biz.auth_no));
        if (!f) return fail('40004', 'Business Failed', 'ACQ.AUTH_NO_ERROR', '预授权号错误或状态不对');
        if (biz.seller_id !== undefined && biz.seller_id !== payeeOf(f.authAppId))
          return fail('40002', 'Invalid Arguments', 'isv.invalid-parameter', 'seller_id 与授权收款方不一致');
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
          ...(f.authAppId ? { authAppId: f.authAppId } : {}),
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

  /** /sandbox/authorise: the patient confirms in the Alipay app; Alipay sends fund_auth_freeze. */
  async function authorise(outOrderNo: string, orderStr?: string) {
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

  return { freezes, alipayMethod, authorise };
}
