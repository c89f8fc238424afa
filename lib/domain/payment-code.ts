/**
 * 付款码 at a window or kiosk (B scans C): the code formats, the counter that took the payment, and where the
 * code's payment stands. PROTOCOLS §2 gathers the sources cited here.
 */
import { MedpayError, ErrorCode } from './errors';
import type { Channel } from './ledger/accounts';

/**
 * The published formats of a payment code:
 *   - WeChat Pay: "18位纯数字，以10、11、12、13、14、15开头" (付款码支付 规则, quoted in CODEFMT; the v3
 *     codepay example's payer.auth_code 130061098828009406, I4);
 *   - Alipay: "25~30开头的长度为16~24位的数字" (AlipayTradePayModel.auth_code, A11; opendocs.alipay.com/open/194/106039
 *     quoted in CODEFMT).
 * The formats do not overlap, so a code also names its wallet.
 */
export const PAYMENT_CODE_FORMATS: Readonly<Record<Channel, RegExp>> = {
  wechatpay: /^1[0-5]\d{16}$/,
  alipay: /^(2[5-9]|30)\d{14,22}$/,
};

/** The wallet a payment code belongs to by its format, or undefined for a code of neither. */
export function paymentCodeChannel(code: string): Channel | undefined {
  return (Object.keys(PAYMENT_CODE_FORMATS) as Channel[]).find((c) => PAYMENT_CODE_FORMATS[c].test(code));
}

/** A payment code that is malformed, or another wallet's than the payment's channel. */
export class PaymentCodeInvalidError extends MedpayError {
  constructor(channel: Channel, codeChannel: Channel | undefined) {
    super(
      ErrorCode.PAYMENT_CODE_INVALID,
      codeChannel
        ? `This is a ${codeChannel} payment code; the payment's channel is ${channel}.`
        : `This is not a payment code of ${channel} (${PAYMENT_CODE_HINT[channel]}); scan the code again.`,
      { channel, codeChannel },
    );
  }
}

const PAYMENT_CODE_HINT: Readonly<Record<Channel, string>> = {
  wechatpay: '18 digits starting 10 to 15',
  alipay: '16 to 24 digits starting 25 to 30',
};

/** Throws PAYMENT_CODE_INVALID unless `code` has the published format of `channel`'s codes. */
export function assertPaymentCode(channel: Channel, code: string): void {
  const of = paymentCodeChannel(code);
  if (of !== channel) throw new PaymentCodeInvalidError(channel, of);
}

/** A code medpay has already taken a payment with (a code pays once: WXC2; A11). */
export class PaymentCodeUsedError extends MedpayError {
  constructor(paymentId: string) {
    super(
      ErrorCode.PAYMENT_CODE_USED,
      `This payment code already paid payment ${paymentId}; ask the patient to refresh the code.`,
      { paymentId },
    );
  }
}

/** The wallet refused the code (expired, used elsewhere, not enough balance): the payment is CLOSED. */
export class PaymentCodeRefusedError extends MedpayError {
  constructor(paymentId: string, refusal: { readonly code: string; readonly message: string }) {
    super(
      ErrorCode.PAYMENT_CODE_REFUSED,
      `The wallet refused the payment code (${refusal.code}: ${refusal.message}); nothing was taken. Ask the patient to refresh the code.`,
      { paymentId, providerCode: refusal.code },
    );
  }
}

/** Where a window payment was taken, for the audit trail: the clerk (the token's subject) and the device. */
export interface Counter {
  readonly staffId: string;
  /** The scanner or terminal (WeChat scene_info.device_id, Alipay terminal_id). */
  readonly deviceId: string;
  /** The window or kiosk, as the hospital names it (WeChat store_info.out_id, Alipay store_id). */
  readonly windowId?: string;
}

/**
 * Where a code's payment stands: PAYING until the wallet's answer (the patient may be entering a password);
 * REVERSING once the cut-off has passed and the order is being reversed (WeChat) or cancelled (Alipay);
 * then PAID, REFUSED (the wallet said no) or REVERSED (the money never taken, or given back by the reversal).
 */
export type PaymentCodeState = 'PAYING' | 'REVERSING' | 'PAID' | 'REFUSED' | 'REVERSED';

/** A payment-code payment's progress. The code itself is never stored: only its digest, to refuse a reuse. */
export interface PaymentCodeProgress {
  readonly state: PaymentCodeState;
  /** The cut-off: still unknown then, the order is reversed or cancelled. */
  readonly deadline: string;
  readonly refusal?: { readonly code: string; readonly message: string };
  readonly reversedAt?: string;
}

/**
 * How long to wait for a code's outcome, by channel. The published schedules disagree (PROTOCOLS §4):
 *   - WeChat Pay: query every 10 s up to 45 s, then reverse (v2 付款码 page, WX-MP2); WeChat's staff and its own
 *     guide say every 5 s for 30 s (WXC1, B3 §6). Default: every 5 s, reverse at 45 s.
 *   - Alipay: query every 3–6 s for about 60 s, then cancel at once (AL-POLL). Default: every 5 s, 60 s.
 * All configurable (docs/configuration.md).
 */
export interface PaymentCodePolicy {
  readonly pollMs: number;
  readonly deadlineMs: Readonly<Record<Channel, number>>;
  /** How long the request itself waits for an outcome before answering 202 and handing over. */
  readonly waitMs: number;
}

/** The default schedule (PaymentCodePolicy's sources): poll every 5 s; WeChat reversed at 45 s, Alipay at 60 s. */
export const DEFAULT_PAYMENT_CODE_POLICY: PaymentCodePolicy = {
  pollMs: 5_000,
  deadlineMs: { wechatpay: 45_000, alipay: 60_000 },
  waitMs: 20_000,
};
