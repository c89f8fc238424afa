/** Medical insurance (医保): the split of an amount into its parts, and the refusals of the insurance platform. */
import { ErrorCode, MedpayError } from './errors';
import { addFen, type Fen } from './money';

/** An amount split into pooled fund, personal account and self-pay (fen). */
export interface Split {
  readonly fundFen: Fen;
  readonly personalAccountFen: Fen;
  readonly selfPayFen: Fen;
}

/**
 * A mixed order's cash adjustments (WeChat 医保 2.0, W1 §4): charges outside the insurance lists added to
 * the cash (cash_add_type OTHER_MEDICAL_EXPENSES, "其他医疗费用"), and the patient's 预交金 taken off it
 * (cash_reduce_type PRE_PAYMENT, "预缴金"). The split's self-pay is then what the wallet collects.
 */
export interface CashAdjustments {
  readonly unlistedFen: Fen;
  readonly prepaidFen: Fen;
}

/** The whole of a split. */
export const splitTotal = (s: Split): Fen => addFen(s.fundFen, s.personalAccountFen, s.selfPayFen);

/** The insured part of a split (fund and personal account): what the platform settles. */
export const insuredPart = (s: Split): Fen => addFen(s.fundFen, s.personalAccountFen);

/** Which parts a payment of this split carries (WeChat mix_pay_type, W1 §4). */
export function mixPayTypeOf(split: Split): 'CASH_ONLY' | 'INSURANCE_ONLY' | 'CASH_AND_INSURANCE' {
  if (insuredPart(split) === 0) return 'CASH_ONLY';
  return split.selfPayFen === 0 ? 'INSURANCE_ONLY' : 'CASH_AND_INSURANCE';
}

/** The hospital's order number at the platform for a payment (medOrgOrd; WeChat serial_no is string(20)). */
export const medOrgOrdFor = (paymentId: string) => `MO${paymentId.replace(/[^A-Za-z0-9]/g, '').slice(-18)}`;

/** The platform refused a business request (its code and message are kept); retrying it will not help. */
export class InsuranceRefusedError extends MedpayError {
  constructor(
    readonly infno: string,
    readonly platformCode: string,
    platformMessage: string,
  ) {
    super(
      ErrorCode.INSURANCE_REFUSED,
      `The insurance platform refused ${infno}: ${platformCode} ${platformMessage}`.trim(),
      { infno, platformCode },
    );
  }
}

/** An insured payment is refunded whole: whether the platform takes partial refunds is not published. */
export class PartialInsuredRefundError extends MedpayError {
  constructor(paymentId: string, leftFen: number) {
    super(
      ErrorCode.INSURANCE_PARTIAL_REFUND,
      `Payment ${paymentId} was paid with medical insurance and is refunded in full only: ${leftFen} fen.`,
      { paymentId, leftFen },
    );
  }
}

/** The patient's insurance authorisation is expired, used already or unknown: they must authorise again. */
export class InsuranceAuthInvalidError extends MedpayError {
  constructor(reason: string) {
    super(
      ErrorCode.INSURANCE_AUTH_INVALID,
      `The medical-insurance authorisation cannot be used (${reason}); ask the patient to authorise again.`,
      { reason },
    );
  }
}
