/**
 * MedicalOrders through WeChat Pay 医保 2.0 (merchant mode), from WeChat Pay's own guide
 * (wechatpay-apiv3/wechatpay-skills, wechatpay-medical-insurance-payment):
 * - `POST /v3/med-ins/orders` with the fields of create_med_ins_order.go (W3); amounts in integer fen;
 *   mix_pay_type rules (W1 §4): CASH_ONLY has wechat_pay_cash_fee > 0 and a prepay_id and no 医保 fields;
 *   INSURANCE_ONLY has wechat_pay_cash_fee 0 and no prepay_id; CASH_AND_INSURANCE both.
 * - The amount identity (W1 §4), checked before sending: total_fee = gov + self + other + wechat_pay_cash_fee
 *   + Σcash_reduce_fee = gov + self + other + med_ins_cash_fee + Σcash_add_fee. An ordinary charge has no
 *   adjustments (wechat_pay_cash_fee = med_ins_cash_fee). A discharge (order_type IN_HOSP_PAY, "住院预交、
 *   出院结算", W2 §3) adds the charges outside the insurance lists as OTHER_MEDICAL_EXPENSES ("其他医疗费用")
 *   and takes the deposits off as PRE_PAYMENT ("预缴金"; DEPOSIT_DEDUCTION is "押金抵扣", a security
 *   deposit, which medpay does not hold), both enums from W1 §4 and W3.
 * - The self-pay prepay is an ordinary V3 JSAPI order with the SAME out_trade_no (W5 §2.6 #1, §2.8 A).
 * - payer.name and payer.id_digest are RSA/ECB/OAEPWithSHA-1AndMGF1Padding-encrypted with the WeChat Pay
 *   public key named in `Wechatpay-Serial` (W1 §5); id_digest = MD5 (lower-case hex) of the upper-cased ID
 *   number, a 15-digit one first converted to 18 digits (W1 §5, vector 44030019000101123x →
 *   09eb26e839ff3a2e3980352ae45ef09e).
 * - Queries `GET /v3/med-ins/orders/out-trade-no/{out_trade_no}` (W12); only MIX_PAY_SUCCESS is success
 *   (W5 §2.6 #10); MIX_PAY_USER_PAYING / MIX_PAY_REVERSED (W5 only) and anything unlisted are UNKNOWN.
 * - The insured refund is told to WeChat with `POST /v3/med-ins/refunds/notify?mix_trade_no=…` (W7: single
 *   underscore field names; 204 empty).
 * - Partner mode (服务商, for a hospital's sub-merchant; PROTOCOLS §3.1 "医保 2.0 partner differences", W8,
 *   W9 create_partner_med_ins_order.go, I1): the same path, the body keeps `appid` (the service provider's;
 *   no sp_appid, no sp_mchid) and adds `sub_mchid` and `sub_appid`, the patient is `openid` or `sub_openid`
 *   (under sub_appid); queries need `?sub_mchid=`; the refund notice carries `sub_mchid`. med_inst_no,
 *   med_inst_name and city_id are the hospital's own.
 */
import { constants, createHash, publicEncrypt, type KeyObject } from 'node:crypto';
import { ProviderUnavailableError, ValidationError } from '../../domain/errors';
import { addFen, fen } from '../../domain/money';
import type { Clock } from '../../ports/clock';
import type {
  MedicalOrderRequest,
  MedicalOrders,
  MedicalOrderState,
  PatientIdentity,
} from '../../ports/medical-orders';
import type { PaymentProvider } from '../../ports/payment-provider';
import {
  parseWechatTime,
  wechatBeijingTime,
  wechatFailed,
  wechatpayApi,
  type WechatJson,
  type WechatpayConfig,
} from './client';
import { splitTotal } from '../../domain/insurance';
import type { WechatSubMerchant } from '../../domain/hospital';

/** The hospital at WeChat medical insurance. */
export interface WechatMedicalConfig {
  /** med_inst_name and med_inst_no (must equal the 医保-registered code, W5 §2.6 #8). */
  readonly medInstName: string;
  readonly medInstNo: string;
  /** Where WeChat posts MEDICAL_INSURANCE.SUCCESS (HTTPS, no query string, W1 §2.9). */
  readonly callbackUrl: string;
  /** The platform key (serial or PUB_KEY_ID_…) payer fields are encrypted with; sent as Wechatpay-Serial. */
  readonly encryptionSerial: string;
  /** Sends the insured leg to the 医保局 test environment (W5 §2.6 #14: never in production). */
  readonly testEnv?: boolean;
}

/** order_type by what is paid (W3 enum; "不可跨场景使用", W2 §3). */
const ORDER_TYPE = {
  registration: 'REG_PAY',
  examination: 'DIAG_PAY',
  prescription: 'DIAG_PAY',
  'copy-fee': 'DIAG_PAY',
  // An inpatient's money is the 住院 scene (W3 order_type IN_HOSP_PAY; "不可跨场景使用", W2 §3).
  deposit: 'IN_HOSP_PAY',
  other: 'DIAG_PAY',
} as const;

/** GB 11643-1999: a 15-digit ID number as 18 digits (century 19 inserted, ISO 7064 MOD 11-2 check digit). */
export function eighteenDigitId(id: string): string {
  const upper = id.trim().toUpperCase();
  if (!/^\d{15}$/.test(upper)) return upper;
  const body = `${upper.slice(0, 6)}19${upper.slice(6)}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((n, d, i) => n + Number(d) * (weights[i] ?? 0), 0);
  return `${body}${'10X98765432'[sum % 11] ?? ''}`;
}

/** id_digest (W1 §5): MD5, lower-case hex, of the 18-character upper-case ID number. */
export const idDigest = (id: string) => createHash('md5').update(eighteenDigitId(id), 'utf8').digest('hex');

/** RSA-OAEP (SHA-1, MGF1) with the platform key, Base64 (W1 §5). */
export const oaepEncrypt = (text: string, key: string | KeyObject) =>
  publicEncrypt(
    { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
    Buffer.from(text, 'utf8'),
  ).toString('base64');

const MIX_STATUS: Readonly<Record<string, MedicalOrderState['status']>> = {
  MIX_PAY_CREATED: 'PENDING',
  MIX_PAY_SUCCESS: 'PAID',
  MIX_PAY_FAIL: 'FAILED',
  MIX_PAY_REFUND: 'REFUNDED',
};

/** The order as WeChat reports it (query, callback), in medpay's terms. */
export function medInsOrderState(o: WechatJson): MedicalOrderState {
  const amount = (v: unknown) =>
    Number.isSafeInteger(v) && (v as number) >= 0 ? fen(v as number) : undefined;
  const [gov, self, other, cash, total] = [
    o.med_ins_gov_fee,
    o.med_ins_self_fee,
    o.med_ins_other_fee,
    o.med_ins_cash_fee,
    o.total_fee,
  ].map(amount);
  /** Σ of a detail list's amounts (W1 §4), or undefined when an entry's amount is not an integer ≥ 0. */
  const sum = (list: unknown, field: string) => {
    const amounts = (Array.isArray(list) ? list : []).map((e: unknown) =>
      amount(typeof e === 'object' && e !== null ? (e as WechatJson)[field] : undefined),
    );
    return amounts.every((a) => a !== undefined) ? addFen(fen(0), ...amounts) : undefined;
  };
  const added = sum(o.cash_add_detail, 'cash_add_fee');
  const reduced = sum(o.cash_reduce_detail, 'cash_reduce_fee');
  // What the wallet collected; without adjustments it equals med_ins_cash_fee (W1 §4).
  const walletCash = amount(o.wechat_pay_cash_fee) ?? cash;
  const paidAt = parseWechatTime(o.paid_time);
  return {
    status: MIX_STATUS[String(o.mix_pay_status)] ?? 'UNKNOWN',
    ...(typeof o.mix_trade_no === 'string' ? { channelOrderNo: o.mix_trade_no } : {}),
    ...(typeof o.out_trade_no === 'string' ? { outTradeNo: o.out_trade_no } : {}),
    ...(total !== undefined && reduced !== undefined && total >= reduced
      ? { totalFen: fen(total - reduced) }
      : {}),
    ...(gov !== undefined && self !== undefined && walletCash !== undefined
      ? {
          split: { fundFen: addFen(gov, other ?? fen(0)), personalAccountFen: self, selfPayFen: walletCash },
        }
      : {}),
    ...(added !== undefined && reduced !== undefined && added + reduced > 0
      ? { cashAdjustments: { unlistedFen: added, prepaidFen: reduced } }
      : {}),
    ...(typeof o.pay_order_id === 'string' && o.pay_order_id !== '' ? { payOrdId: o.pay_order_id } : {}),
    cashTaken: o.self_pay_status === 'SELF_PAY_SUCCESS',
    ...(paidAt ? { paidAt } : {}),
  };
}

/** Refuses a request the published rules forbid, before anything is sent. */
function assertOrderRules(req: MedicalOrderRequest): void {
  const fail = (message: string) =>
    new ValidationError(`The mixed order breaks WeChat's rules: ${message}.`, [
      { path: 'insurance', message },
    ]);
  if (splitTotal(req.split) !== req.totalFen) throw fail('the parts do not add up to total_fee');
  const adjusted = req.cashAdjustments;
  if (adjusted && req.split.selfPayFen + adjusted.prepaidFen < adjusted.unlistedFen)
    throw fail('med_ins_cash_fee would be negative');
  const insured = req.split.fundFen + req.split.personalAccountFen;
  if (req.mixPayType === 'CASH_ONLY' && (insured !== 0 || req.split.selfPayFen === 0 || req.platform))
    throw fail('CASH_ONLY carries cash only, and no 医保 order');
  if (req.mixPayType === 'INSURANCE_ONLY' && req.split.selfPayFen !== 0)
    throw fail('INSURANCE_ONLY carries no cash');
  if (req.mixPayType !== 'CASH_ONLY' && !req.platform) throw fail(`${req.mixPayType} needs the 医保 order`);
}

/**
 * Creates the WeChat mixed orders; `cashier` places the self-pay JSAPI prepay (same out_trade_no). Given
 * `partner`, they are the sub-merchant's (partner mode; `cashier` is then its partner provider).
 */
export function wechatMedicalOrders(
  config: WechatpayConfig,
  medical: WechatMedicalConfig,
  cashier: PaymentProvider,
  clock: Clock,
  partner?: WechatSubMerchant,
): MedicalOrders {
  const call = wechatpayApi(config, () => clock.now());
  /** The query naming the sub-merchant whose order it is (partner mode), or nothing. */
  const subQuery = partner ? `?sub_mchid=${encodeURIComponent(partner.subMchId)}` : '';
  const platformKey = config.platformKeys[medical.encryptionSerial];
  const unavailable = (what: string, code?: string) =>
    new ProviderUnavailableError(`WeChat medical insurance ${what} failed: ${code ?? 'unknown'}.`, {
      channel: 'wechatpay',
      code,
    });
  const encryptedPayer = (p: PatientIdentity) => {
    if (!platformKey) throw unavailable('encryption', `no platform key ${medical.encryptionSerial}`);
    return {
      name: oaepEncrypt(p.name, platformKey),
      id_digest: oaepEncrypt(idDigest(p.idNumber), platformKey),
      card_type: p.cardType,
    };
  };

  /** The order by out_trade_no (W12). */
  async function query(outTradeNo: string): Promise<MedicalOrderState> {
    const r = await call(
      'medins.query',
      'GET',
      `/v3/med-ins/orders/out-trade-no/${encodeURIComponent(outTradeNo)}${subQuery}`,
      undefined,
      { 'Wechatpay-Serial': medical.encryptionSerial },
    );
    if (wechatFailed(r)) {
      if (r.status === 404 || r.code === 'ORDER_NOT_EXIST' || r.code === 'NOT_FOUND')
        return { status: 'NOT_FOUND' };
      throw unavailable('query', r.code);
    }
    return medInsOrderState(r.data);
  }

  return {
    channel: 'wechatpay',

    async create(req) {
      assertOrderRules(req);
      if (!('wechatOpenId' in req.payer))
        throw new ValidationError('A WeChat medical-insurance payment needs payer.wechatOpenId.', [
          { path: 'body.payer', message: 'wechatOpenId required' },
        ]);
      const cash = req.split.selfPayFen;
      const unlisted = req.cashAdjustments?.unlistedFen ?? 0;
      const prepaid = req.cashAdjustments?.prepaidFen ?? 0;
      const prepay =
        cash > 0
          ? await cashier.createOrder({
              outTradeNo: req.outTradeNo,
              amountFen: cash,
              description: req.description,
              payer: req.payer,
              expiresAt: req.expiresAt,
              mode: 'mini-program',
            })
          : undefined;
      const p = req.platform;
      const body = {
        mix_pay_type: req.mixPayType,
        order_type: ORDER_TYPE[req.purpose],
        appid: config.appId,
        ...(partner
          ? {
              sub_mchid: partner.subMchId,
              ...(partner.subAppId
                ? { sub_appid: partner.subAppId, sub_openid: req.payer.wechatOpenId }
                : { openid: req.payer.wechatOpenId }),
            }
          : { openid: req.payer.wechatOpenId }),
        ...(req.patient ? { payer: encryptedPayer(req.patient) } : {}),
        pay_for_relatives: false,
        out_trade_no: req.outTradeNo,
        ...(p
          ? {
              serial_no: p.medOrgOrd,
              pay_order_id: p.payOrdId,
              pay_auth_no: p.payAuthNo,
              geo_location: p.location,
              city_id: p.city,
              med_ins_order_create_time: wechatBeijingTime(p.createdAt),
              // "三件套" (W5 §1.2 268547120; I1's schema): without them 268545967.
              passthrough_request_content: JSON.stringify({
                payAuthNo: p.payAuthNo,
                payOrdId: p.payOrdId,
                setlLatlnt: p.location,
              }),
            }
          : {}),
        med_inst_name: medical.medInstName,
        med_inst_no: medical.medInstNo,
        // W1 §4: total_fee = gov + self + other + wechat_pay_cash_fee + Σreduce
        //                  = gov + self + other + med_ins_cash_fee + Σadd.
        total_fee: req.totalFen + prepaid,
        med_ins_gov_fee: req.split.fundFen,
        med_ins_self_fee: req.split.personalAccountFen,
        med_ins_other_fee: 0,
        med_ins_cash_fee: cash + prepaid - unlisted,
        wechat_pay_cash_fee: cash,
        ...(unlisted > 0
          ? { cash_add_detail: [{ cash_add_fee: unlisted, cash_add_type: 'OTHER_MEDICAL_EXPENSES' }] }
          : {}),
        ...(prepaid > 0
          ? { cash_reduce_detail: [{ cash_reduce_fee: prepaid, cash_reduce_type: 'PRE_PAYMENT' }] }
          : {}),
        callback_url: medical.callbackUrl,
        ...(prepay ? { prepay_id: String(prepay.clientParams.package).replace(/^prepay_id=/, '') } : {}),
        ...(medical.testEnv ? { med_ins_test_env: true } : {}),
      };
      const r = await call('medins.create', 'POST', '/v3/med-ins/orders', body, {
        'Wechatpay-Serial': medical.encryptionSerial,
      });
      if (wechatFailed(r)) {
        // ALREADY_EXISTS (268512536): this out_trade_no is taken; query and reuse it if it is ours (W5 §2.6 #5).
        if (r.code === 'ALREADY_EXISTS' || r.code === 'INVALID_REQUEST') {
          const existing = await query(req.outTradeNo);
          if (existing.channelOrderNo && existing.totalFen === req.totalFen && existing.status === 'PENDING')
            return {
              channelOrderNo: existing.channelOrderNo,
              clientParams: { ...prepay?.clientParams, mixTradeNo: existing.channelOrderNo },
            };
        }
        throw new ValidationError(
          `WeChat refused the mixed order: ${r.code ?? r.status} ${r.message ?? ''}`.trim(),
          [{ path: 'insurance', message: r.code ?? String(r.status) }],
        );
      }
      const mixTradeNo = String(r.data.mix_trade_no);
      // wx.requestMedicalInsurancePay({mixTradeNo, timeStamp, nonceStr, package, signType, paySign}) (W6).
      return { channelOrderNo: mixTradeNo, clientParams: { ...prepay?.clientParams, mixTradeNo } };
    },

    query,

    refundCash: (request) => cashier.refund(request),

    async notifyInsuranceRefund(n) {
      const r = await call(
        'medins.refundNotify',
        'POST',
        `/v3/med-ins/refunds/notify?mix_trade_no=${encodeURIComponent(n.channelOrderNo)}`,
        {
          med_refund_total_fee: n.split.fundFen + n.split.personalAccountFen,
          med_refund_gov_fee: n.split.fundFen,
          med_refund_self_fee: n.split.personalAccountFen,
          med_refund_other_fee: 0,
          refund_time: wechatBeijingTime(n.at),
          out_refund_no: n.outRefundNo,
          ...(partner ? { sub_mchid: partner.subMchId } : {}),
        },
      );
      if (wechatFailed(r)) throw unavailable('refund notify', r.code);
    },
  };
}
