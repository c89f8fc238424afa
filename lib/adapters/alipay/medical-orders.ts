/**
 * MedicalOrders through Alipay's medical trade (医保移动支付), from the SDK's models (alipay/alipay-sdk-java-all
 * v2 domain/response, 2024-09):
 * - `alipay.commerce.medical.trade.createandpay` (AlipayCommerceMedicalTradeCreateandpayModel): amounts in
 *   yuan strings (total_amount, gov_amount 医保基金, account_amount 个账, other_amount, real_amount 自费实付),
 *   pay_auth_no, pay_order_id, med_org_ord, chrg_bch_no, org_no, alipay_user_id | open_id, out_trade_no,
 *   subject, gmt_out_create, gmt_time_expire, callback_url, result_notify_url, extend_params
 *   (InsurancePayExtendParams: medical_card_id, medical_card_inst_id); the answer carries trade_no and
 *   `pay_url`, the page the mini-program opens.
 * - `alipay.commerce.medical.trade.query` (AlipayCommerceMedicalTradeQueryResponse): trade_status,
 *   medical_pay_status, own_pay_status, the amounts, pay_order_id, gmt_medical_paid, gmt_own_paid.
 * - `alipay.commerce.medical.trade.refund` ("交易自费退款接口"): refund_amount is the self-pay part;
 *   refund_request_no unique per refund ("同一笔交易多次请求退款需保证唯一"); answers refund_status.
 * Not published (configuration with named assumptions, docs/insurance.md): the enumerations of trade_status
 * and refund_status (TRADE_SUCCESS is what a published hospital front end checks, cqc-hub/stand3.0
 * payDetail.vue; the rest are assumptions), order_type / industry / insurance_pay_scene values (left out),
 * and the result_notify_url payload (its notifications are not read: the sweep queries).
 * Partner mode (PROTOCOLS §3.2): the client acts for the hospital's merchant (its app_auth_token on every
 * call), and InsurancePayExtendParams carries `sys_service_provider_id` (A8), the platform's PID.
 */
import { ProviderUnavailableError, ValidationError } from '../../domain/errors';
import { toShanghaiDateTime } from '../../domain/business-day';
import { addFen, fen, formatYuan, parseYuan, type Fen } from '../../domain/money';
import { splitTotal } from '../../domain/insurance';
import type { MedicalOrders, MedicalOrderState } from '../../ports/medical-orders';
import type { RefundState } from '../../ports/payment-provider';
import { alipayOk, alipaySystemError, type AlipayClient, type AlipayResult } from './client';
import { parseAlipayTime } from './notification';
import { ALIPAY_SUBJECT, providerText } from '../text/provider-text';

/** What the hospital's Alipay medical product needs beyond the app. */
export interface AlipayMedicalOrdersConfig {
  /** 新国标定点医药机构编码 (org_no). */
  readonly orgNo: string;
  /** Where Alipay returns the patient (callback_url) and posts results (result_notify_url). */
  readonly returnUrl: string;
  readonly notifyUrl: string;
  /** The meaning of trade_status and refund_status values (not published). */
  readonly tradeStatuses: Readonly<Record<string, MedicalOrderState['status']>>;
  readonly refundStatuses: Readonly<Record<string, RefundState['status']>>;
  /** Partner mode: the platform's PID, sent as extend_params.sys_service_provider_id. */
  readonly serviceProviderId?: string;
}

/** The defaults a contract with Alipay's medical team replaces (docs/insurance.md). */
export const ASSUMED_ALIPAY_MEDICAL = {
  tradeStatuses: { TRADE_SUCCESS: 'PAID', WAIT_BUYER_PAY: 'PENDING', TRADE_CLOSED: 'FAILED' },
  refundStatuses: { REFUND_SUCCESS: 'SUCCEEDED', REFUND_PROCESSING: 'PROCESSING', REFUND_FAIL: 'FAILED' },
} as const satisfies Pick<AlipayMedicalOrdersConfig, 'tradeStatuses' | 'refundStatuses'>;

/** A yuan field of an answer in fen, or undefined when absent or malformed. */
function yuanOf(r: AlipayResult, name: string): Fen | undefined {
  const v = r[name];
  if (v === undefined || v === '') return undefined;
  try {
    return parseYuan(v, name);
  } catch {
    return undefined;
  }
}

/** The medical trade as Alipay answers a query, in medpay's terms. */
export function medicalTradeState(
  r: AlipayResult,
  config: Pick<AlipayMedicalOrdersConfig, 'tradeStatuses'>,
): MedicalOrderState {
  const [gov, account, other, real, total] = [
    'gov_amount',
    'account_amount',
    'other_amount',
    'real_amount',
    'total_amount',
  ].map((k) => yuanOf(r, k));
  const paidAt = parseAlipayTime(r.gmt_own_paid) ?? parseAlipayTime(r.gmt_medical_paid);
  return {
    status: config.tradeStatuses[r.trade_status ?? ''] ?? 'UNKNOWN',
    ...(r.trade_no ? { channelOrderNo: r.trade_no } : {}),
    ...(r.out_trade_no ? { outTradeNo: r.out_trade_no } : {}),
    ...(total !== undefined ? { totalFen: total } : {}),
    ...(gov !== undefined && account !== undefined && real !== undefined
      ? { split: { fundFen: addFen(gov, other ?? fen(0)), personalAccountFen: account, selfPayFen: real } }
      : {}),
    ...(r.pay_order_id ? { payOrdId: r.pay_order_id } : {}),
    cashTaken: r.gmt_own_paid !== undefined && r.gmt_own_paid !== '',
    ...(paidAt ? { paidAt } : {}),
  };
}

/** Creates the Alipay medical orders. */
export function alipayMedicalOrders(client: AlipayClient, config: AlipayMedicalOrdersConfig): MedicalOrders {
  const unavailable = (method: string, r: AlipayResult) =>
    new ProviderUnavailableError(`Alipay ${method} did not complete: ${r.sub_code ?? r.code ?? 'unknown'}.`, {
      channel: 'alipay',
      method,
      subCode: r.sub_code,
    });

  async function query(outTradeNo: string): Promise<MedicalOrderState> {
    const r = await client.exec('alipay.commerce.medical.trade.query', { out_trade_no: outTradeNo });
    if (r.sub_code === 'ACQ.TRADE_NOT_EXIST' || r.sub_code === 'TRADE_NOT_EXIST')
      return { status: 'NOT_FOUND' };
    if (!alipayOk(r)) throw unavailable('alipay.commerce.medical.trade.query', r);
    return medicalTradeState(r, config);
  }

  return {
    channel: 'alipay',

    async create(req) {
      if (!('alipayUserId' in req.payer))
        throw new ValidationError('An Alipay medical-insurance payment needs payer.alipayUserId.', [
          { path: 'body.payer', message: 'alipayUserId required' },
        ]);
      if (splitTotal(req.split) !== req.totalFen)
        throw new ValidationError('The parts do not add up to the total.', [
          { path: 'insurance', message: 'split' },
        ]);
      const p = req.platform;
      const r = await client.exec('alipay.commerce.medical.trade.createandpay', {
        out_trade_no: req.outTradeNo,
        subject: providerText(req.description, ALIPAY_SUBJECT),
        alipay_user_id: req.payer.alipayUserId,
        total_amount: formatYuan(req.totalFen),
        gov_amount: formatYuan(req.split.fundFen),
        account_amount: formatYuan(req.split.personalAccountFen),
        other_amount: '0.00',
        real_amount: formatYuan(req.split.selfPayFen),
        org_no: config.orgNo,
        ...(p
          ? {
              pay_auth_no: p.payAuthNo,
              pay_order_id: p.payOrdId,
              med_org_ord: p.medOrgOrd,
              chrg_bch_no: p.chargeBatchNo,
              gmt_out_create: toShanghaiDateTime(p.createdAt),
            }
          : {}),
        ...(p?.medicalCard || config.serviceProviderId
          ? {
              extend_params: {
                ...(p?.medicalCard
                  ? { medical_card_id: p.medicalCard.id, medical_card_inst_id: p.medicalCard.instId }
                  : {}),
                ...(config.serviceProviderId ? { sys_service_provider_id: config.serviceProviderId } : {}),
              },
            }
          : {}),
        gmt_time_expire: toShanghaiDateTime(req.expiresAt),
        callback_url: config.returnUrl,
        result_notify_url: config.notifyUrl,
      });
      if (!alipayOk(r)) {
        if (alipaySystemError(r)) throw unavailable('alipay.commerce.medical.trade.createandpay', r);
        throw new ValidationError(
          `Alipay refused the medical trade: ${r.sub_code ?? r.code} ${r.sub_msg ?? ''}`.trim(),
          [{ path: 'insurance', message: r.sub_code ?? String(r.code) }],
        );
      }
      if (!r.trade_no || !r.pay_url) throw unavailable('alipay.commerce.medical.trade.createandpay', r);
      return { channelOrderNo: r.trade_no, clientParams: { payUrl: r.pay_url, tradeNo: r.trade_no } };
    },

    query,

    async refundCash(req) {
      const r = await client.exec('alipay.commerce.medical.trade.refund', {
        out_trade_no: req.outTradeNo,
        refund_amount: formatYuan(req.amountFen),
        refund_reason: providerText(req.reason, ALIPAY_SUBJECT),
        refund_request_no: req.outRefundNo,
      });
      if (!alipayOk(r)) {
        if (alipaySystemError(r)) throw unavailable('alipay.commerce.medical.trade.refund', r);
        return { status: 'FAILED' };
      }
      const at = parseAlipayTime(r.refund_time);
      return {
        status: config.refundStatuses[r.refund_status ?? ''] ?? 'PROCESSING',
        ...(at ? { succeededAt: at } : {}),
      };
    },

    // Alipay learns of the insured refund from the platform: nothing to tell it.
    notifyInsuranceRefund: () => Promise.resolve(),
  };
}
