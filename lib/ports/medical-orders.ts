/**
 * MedicalOrders port: a wallet's mixed insurance + self-pay order (WeChat 医保自费混合收款
 * `/v3/med-ins/orders`; Alipay `alipay.commerce.medical.trade.*`). The platform's 6201 split decides the
 * amounts; the wallet collects the self-pay part and has the platform settle the insured part with one
 * password (PROTOCOLS §1.2–1.3).
 */
import type { CashAdjustments, Split } from '../domain/insurance';
import type { Channel } from '../domain/ledger/accounts';
import type { Fen } from '../domain/money';
import type { PaymentPurpose } from '../domain/payment';
import type { Payer, RefundRequest, RefundState } from './payment-provider';

/** Which parts the order carries (WeChat mix_pay_type; W1 §4 rules). */
export type MixPayType = 'CASH_ONLY' | 'INSURANCE_ONLY' | 'CASH_AND_INSURANCE';

/** The patient's identity as the wallet checks it against the insured person; used once, never stored. */
export interface PatientIdentity {
  readonly name: string;
  /** The ID number as written (15 or 18 characters for an ID card). */
  readonly idNumber: string;
  readonly cardType:
    'ID_CARD' | 'HOUSEHOLD_REGISTRATION' | 'FOREIGNER_PASSPORT' | 'FOREIGN_PERMANENT_RESIDENT';
}

/** The platform order a mixed order settles (absent for CASH_ONLY). */
export interface PlatformPart {
  readonly payAuthNo: string;
  readonly payOrdId: string;
  readonly medOrgOrd: string;
  readonly chargeBatchNo: string;
  /** "longitude,latitude" (WeChat geo_location). */
  readonly location: string;
  /** The city the authorisation named (WeChat city_id). */
  readonly city: string;
  readonly medicalCard?: { readonly id: string; readonly instId: string };
  /** When the platform order was made (WeChat med_ins_order_create_time). */
  readonly createdAt: Date;
}

export interface MedicalOrderRequest {
  readonly outTradeNo: string;
  readonly description: string;
  readonly purpose: PaymentPurpose;
  readonly payer: Payer;
  readonly patient?: PatientIdentity;
  readonly mixPayType: MixPayType;
  /** What the order settles: the split's parts (with adjustments, total_fee less the deposits taken off). */
  readonly totalFen: Fen;
  readonly split: Split;
  /** WeChat only (W1 §4): unlisted charges added to the cash, deposits taken off it; selfPayFen is the rest. */
  readonly cashAdjustments?: CashAdjustments;
  readonly platform?: PlatformPart;
  readonly expiresAt: Date;
}

/** What the front end needs to open the wallet's cashier (wx.requestMedicalInsurancePay; Alipay pay_url). */
export interface MedicalOrderCreated {
  /** WeChat mix_trade_no; Alipay trade_no (蚂蚁逸康平台交易号). */
  readonly channelOrderNo: string;
  readonly clientParams: Readonly<Record<string, string>>;
}

/** The wallet's view of a mixed order, in medpay's terms, with every amount it reported. */
export interface MedicalOrderState {
  /** PAID only when both parts succeeded (WeChat MIX_PAY_SUCCESS); UNKNOWN: ask again later. */
  readonly status: 'NOT_FOUND' | 'PENDING' | 'PAID' | 'FAILED' | 'REFUNDED' | 'UNKNOWN';
  readonly channelOrderNo?: string;
  readonly outTradeNo?: string;
  /** total_fee less the deductions (cash_reduce_detail): what the insured parts and the wallet's cash make. */
  readonly totalFen?: Fen;
  /** The self-pay part is what the wallet collected (wechat_pay_cash_fee). */
  readonly split?: Split;
  /** The adjustments it reported (absent: none). */
  readonly cashAdjustments?: CashAdjustments;
  readonly payOrdId?: string;
  /** Whether the self-pay part was taken (a FAILED order whose cash was taken must be refunded). */
  readonly cashTaken?: boolean;
  readonly paidAt?: Date;
}

/** One insured refund, told to the wallet after the platform refunded (WeChat `/v3/med-ins/refunds/notify`). */
export interface InsuranceRefundNotice {
  readonly channelOrderNo: string;
  readonly outRefundNo: string;
  readonly split: Split;
  readonly at: Date;
}

/** One wallet's mixed orders. */
export interface MedicalOrders {
  readonly channel: Channel;
  create(request: MedicalOrderRequest): Promise<MedicalOrderCreated>;
  query(outTradeNo: string): Promise<MedicalOrderState>;
  /** Gives the self-pay part back (WeChat's basic refund, W1 §7; Alipay's 交易自费退款, A6); repeatable by outRefundNo. */
  refundCash(request: RefundRequest): Promise<RefundState>;
  /** Tells the wallet the insured part was refunded (WeChat only; Alipay learns it from the platform). */
  notifyInsuranceRefund(notice: InsuranceRefundNotice): Promise<void>;
}
