/* eslint-disable @typescript-eslint/no-unsafe-assignment -- API bodies are untyped JSON on the wire */
/**
 * TabInsurance through WeChat medical insurance (医保自费混合收款, `/v3/med-ins/orders`): the bureau
 * pre-settles (its pay order id goes in `pay_order_id`), then a CASH_AND_INSURANCE mixed order carries the
 * split. The cash part is not collected by WeChat here: it is deducted from the visit's credit
 * authorisation (`cash_reduce_type=DEPOSIT_DEDUCTION`), which medpay captures itself. The order's three
 * statuses (mix_pay_status, med_ins_pay_status, self_pay_status) decide whether the insured part settled.
 */
import { InvalidStateError, ProviderUnavailableError } from '../../domain/errors';
import type { Clock } from '../../ports/clock';
import type { TabInsurance } from '../../ports/tab-insurance';
import {
  parseWechatTime,
  wechatBeijingTime,
  wechatFailed,
  wechatpayApi,
  type WechatJson,
  type WechatpayConfig,
} from './client';

/** The hospital's identity at WeChat medical insurance. */
export interface MedInsConfig {
  readonly cityId: string;
  readonly medInstName: string;
  readonly medInstNo: string;
  /** The hospital's own sub-merchant and app (service-provider mode), and where WeChat posts results. */
  readonly subMchId: string;
  readonly subAppId: string;
  readonly callbackUrl: string;
}

/** Creates the gateway: `bureau` does the pre-settlement, WeChat medical insurance settles it. */
export function wechatMedInsGateway(
  wechat: WechatpayConfig,
  medIns: MedInsConfig,
  bureau: TabInsurance,
  clock: Clock,
): TabInsurance {
  const call = wechatpayApi(wechat, () => clock.now());
  const enc = encodeURIComponent;
  const unavailable = (what: string, code?: string) =>
    new ProviderUnavailableError(`WeChat medical insurance ${what} failed: ${code ?? 'unknown'}.`, {
      channel: 'wechatpay',
      code,
    });

  async function query(mixTradeNo: string): Promise<WechatJson> {
    const r = await call(
      'medins.query',
      'GET',
      `/v3/med-ins/orders/mix-trade-no/${enc(mixTradeNo)}?sub_mchid=${enc(medIns.subMchId)}`,
    );
    if (wechatFailed(r)) throw unavailable('query', r.code);
    return r.data;
  }

  return {
    async preSettle(req) {
      const split = await bureau.preSettle(req);
      const total = split.insuredFen + split.personalAccountFen + split.selfPayFen;
      const r = await call('medins.create', 'POST', '/v3/med-ins/orders', {
        mix_pay_type: 'CASH_AND_INSURANCE',
        order_type: 'DIAG_PAY',
        appid: wechat.appId,
        sub_appid: medIns.subAppId,
        sub_mchid: medIns.subMchId,
        sub_openid: req.payer?.wechatOpenId ?? '',
        out_trade_no: `MI${req.visitId.replace(/[^A-Za-z0-9]/g, '').slice(-24)}V${req.tabVersion}`,
        serial_no: req.visitId,
        pay_order_id: split.preauthId,
        city_id: medIns.cityId,
        med_inst_name: medIns.medInstName,
        med_inst_no: medIns.medInstNo,
        med_ins_order_create_time: wechatBeijingTime(clock.now()),
        total_fee: total,
        med_ins_gov_fee: split.insuredFen,
        med_ins_self_fee: split.personalAccountFen,
        med_ins_other_fee: 0,
        med_ins_cash_fee: split.selfPayFen,
        wechat_pay_cash_fee: 0,
        ...(split.selfPayFen > 0
          ? {
              cash_reduce_detail: [
                { cash_reduce_fee: split.selfPayFen, cash_reduce_type: 'DEPOSIT_DEDUCTION' },
              ],
            }
          : {}),
        callback_url: medIns.callbackUrl,
      });
      if (wechatFailed(r)) throw unavailable('order', r.code);
      // The mixed order's number is the pre-authorisation id medpay keeps.
      return { ...split, preauthId: String(r.data.mix_trade_no) };
    },

    async settle(mixTradeNo) {
      const o = await query(mixTradeNo);
      if (o.mix_pay_status === 'MIX_PAY_SUCCESS' && o.med_ins_pay_status === 'MED_INS_PAY_SUCCESS')
        return {
          settlementId: String(o.pay_order_id ?? mixTradeNo),
          settledAt: parseWechatTime(o.paid_time) ?? clock.now(),
        };
      if (o.mix_pay_status === 'MIX_PAY_CREATED')
        throw new ProviderUnavailableError('The insured part is still being paid; settlement will retry.', {
          mixTradeNo,
          status: o.med_ins_pay_status,
        });
      throw new InvalidStateError(`The medical-insurance order is ${String(o.mix_pay_status)}.`, {
        mixTradeNo,
        medInsPayStatus: o.med_ins_pay_status,
      });
    },

    async reverse(mixTradeNo) {
      const o = await query(mixTradeNo);
      if (o.mix_pay_status === 'MIX_PAY_SUCCESS') {
        const r = await call(
          'medins.refund',
          'POST',
          `/v3/med-ins/refunds/notify?mix_trade_no=${enc(mixTradeNo)}`,
          {
            sub_mchid: medIns.subMchId,
            med_refund_total_fee: o.total_fee,
            med_refund_gov_fee: o.med_ins_gov_fee,
            med_refund_self_fee: o.med_ins_self_fee,
            med_refund_other_fee: 0,
            refund_time: wechatBeijingTime(clock.now()),
            out_refund_no: `MR${mixTradeNo}`.slice(0, 64),
          },
        );
        if (wechatFailed(r)) throw unavailable('refund notify', r.code);
      }
      await bureau.reverse(String(o.pay_order_id));
    },
  };
}
