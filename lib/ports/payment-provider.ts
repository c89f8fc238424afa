/** PaymentProvider port: one typed request and response per capability of a payment channel. */
import type { Channel } from '../domain/ledger/accounts';
import type { Fen } from '../domain/money';
import type { CashAdjustments, Split } from '../domain/insurance';
import type { RefundDestination, RerouteBank, RerouteType } from '../domain/refund-progress';
import type { PaymentMode } from '../domain/payment';
import type { Counter } from '../domain/payment-code';
import type { ComplaintDesk } from './complaint-desk';

/** Who pays: the payer's id at the provider. */
export type Payer = { readonly alipayUserId: string } | { readonly wechatOpenId: string };

/** The payer's id at their provider, whichever it is. */
export const payerIdOf = (payer: Payer): string =>
  'alipayUserId' in payer ? payer.alipayUserId : payer.wechatOpenId;

/**
 * `mini-program`: JSAPI / my.tradePay. `qr`: a code a kiosk shows (WeChat native, Alipay precreate). `h5`: a
 * phone browser outside the wallet (WeChat H5, Alipay wap.pay): the answer is the URL to send it to.
 */
export type OrderMode = Exclude<PaymentMode, 'payment-code'>;

export interface CreateOrderRequest {
  readonly outTradeNo: string;
  readonly amountFen: Fen;
  readonly description: string;
  readonly payer?: Payer;
  readonly expiresAt: Date;
  readonly mode: OrderMode;
  /** H5: the payer's browser, as the request that opened the link came from (WeChat scene_info.payer_client_ip). */
  readonly clientIp?: string;
  /** H5: where the wallet sends the browser back once paid (WeChat redirect_url, Alipay return_url). */
  readonly returnUrl?: string;
}

/**
 * What the front end needs to let the patient pay (API.md `clientParams`). `alreadyPaid`: the provider
 * answered that this out_trade_no is paid already (WeChat ORDERPAID, Alipay ACQ.TRADE_HAS_SUCCESS), so
 * there is nothing left to pay and the order's state must be asked for.
 */
export type CreateOrderResponse = {
  readonly clientParams: Readonly<Record<string, string>>;
  readonly alreadyPaid?: boolean;
};

/** The provider's view of an order. */
export interface OrderState {
  readonly status: 'NOT_FOUND' | 'PENDING' | 'PAID' | 'CLOSED';
  readonly providerTradeNo?: string;
  readonly amountFen?: Fen;
  readonly paidAt?: Date;
  /** Who paid, as the provider names them (WeChat payer.openid, Alipay buyer_user_id), once paid. */
  readonly payerId?: string;
}

/** A payment by the patient's payment code, scanned at `counter`. */
export interface CodePayRequest {
  readonly outTradeNo: string;
  readonly amountFen: Fen;
  readonly description: string;
  /** The scanned code: sent to the provider, never stored or logged. */
  readonly authCode: string;
  readonly counter: Counter;
}

/**
 * The provider's answer to a code payment: its view of the order (PENDING while the patient enters a
 * password, or when the answer is unknown), or `refused` when it turned the code down for good (expired or
 * used code, not enough balance): nothing was taken.
 */
export type CodePayState = OrderState & {
  readonly refused?: { readonly code: string; readonly message: string };
};

/**
 * A reversal's outcome: `done` (the provider accepted: the order is closed, or, if it had been paid, the money
 * goes back), or `retry` (not now: the patient is still paying, or the provider asks to call again).
 */
export type ReversalOutcome = 'done' | 'retry';

export interface RefundRequest {
  readonly outTradeNo: string;
  readonly outRefundNo: string;
  readonly amountFen: Fen;
  readonly totalFen: Fen;
  readonly reason: string;
}

/** The provider's view of a refund. */
export interface RefundState {
  /** ABNORMAL (WeChat): the card could not take the money; it waits until the merchant re-routes it. */
  readonly status: 'NOT_FOUND' | 'PROCESSING' | 'ABNORMAL' | 'SUCCEEDED' | 'FAILED';
  readonly providerRefundId?: string;
  readonly succeededAt?: Date;
  /** Where the money goes, where the provider says (WeChat channel and user_received_account). */
  readonly destination?: RefundDestination;
}

/** Staff's re-routing of an ABNORMAL refund (WeChat apply-abnormal-refund); card and name never stored. */
export interface RerouteRequest {
  readonly providerRefundId: string;
  readonly outRefundNo: string;
  readonly type: RerouteType;
  readonly bankType?: RerouteBank;
  readonly bankAccount?: string;
  readonly realName?: string;
}

/** The raw HTTP request of a notification, before anything has parsed it. */
export interface RawNotification {
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
}

/**
 * A verified notification, translated into medpay's terms. Besides what it changes, each event carries
 * every field the provider sent that medpay can compare with its record (amount, currency, the other side
 * of the order pairing, provider numbers): the use cases refuse an event that contradicts the record.
 */
export type ProviderEvent = ProviderEventBody & {
  /**
   * The merchant a partner-mode notification names for the order (WeChat Pay's decrypted `sub_mchid`,
   * Alipay's `auth_app_id`); absent for the platform's own merchant (direct mode). The webhook routes the
   * event to the hospital that holds it.
   */
  readonly subMerchant?: string;
  /** Alipay partner mode: the seller the notification names (`seller_id`), checked against the hospital's. */
  readonly merchantId?: string;
};

/** What a verified notification says happened. */
export type ProviderEventBody =
  | {
      readonly kind: 'payment.succeeded';
      readonly channel: Channel;
      readonly notificationId: string;
      readonly outTradeNo: string;
      readonly providerTradeNo: string;
      readonly amountFen: Fen;
      /** ISO 4217 code when the provider states one (WeChat amount.currency); medpay records only CNY. */
      readonly currency?: string;
      /** Who paid, as the provider names them (WeChat payer.openid, Alipay buyer_id). */
      readonly payerId?: string;
      readonly paidAt: Date;
    }
  /**
   * An unpaid trade: closed (Alipay TRADE_CLOSED with no refund) or still waiting for the payer
   * (WAIT_BUYER_PAY). Neither changes anything, but both contradict a payment medpay holds as paid.
   */
  | {
      readonly kind: 'payment.closed' | 'payment.waiting';
      readonly channel: Channel;
      readonly notificationId: string;
      readonly outTradeNo: string;
      readonly providerTradeNo?: string;
      readonly amountFen: Fen;
    }
  /**
   * A refund's outcome. `abnormal` (WeChat REFUND.ABNORMAL): the money could not reach the payer and waits
   * for the merchant to re-route it (apply-abnormal-refund); the refund stays PROCESSING, marked ABNORMAL.
   */
  | {
      readonly kind: 'refund.succeeded' | 'refund.failed' | 'refund.abnormal';
      readonly channel: Channel;
      readonly notificationId: string;
      readonly outTradeNo: string;
      readonly outRefundNo: string;
      readonly providerRefundId?: string;
      readonly providerTradeNo?: string;
      /** This refund's amount (WeChat amount.refund). */
      readonly amountFen?: Fen;
      /** The payment's total as the provider knows it (WeChat amount.total, Alipay total_amount). */
      readonly paymentTotalFen?: Fen;
      /** Everything refunded on the trade so far (Alipay refund_fee). */
      readonly refundedTotalFen?: Fen;
      readonly at: Date;
      /** Where the money goes (WeChat user_received_account). */
      readonly destination?: RefundDestination;
    }
  /**
   * A wallet's mixed insurance + self-pay order completed (WeChat MEDICAL_INSURANCE.SUCCESS, only sent at
   * MIX_PAY_SUCCESS), with every amount it reported.
   */
  | {
      readonly kind: 'insurance.succeeded';
      readonly channel: Channel;
      readonly notificationId: string;
      readonly outTradeNo: string;
      /** WeChat mix_trade_no. */
      readonly channelOrderNo: string;
      readonly totalFen: Fen;
      readonly split: Split;
      readonly cashAdjustments?: CashAdjustments;
      readonly payOrdId?: string;
      readonly payerId?: string;
      readonly paidAt: Date;
    }
  /** The patient confirmed a credit authorisation (Alipay fund_auth_freeze, PAYSCORE.USER_CONFIRM). */
  | {
      readonly kind: 'authorisation.confirmed';
      readonly channel: Channel;
      readonly notificationId: string;
      readonly outOrderNo: string;
      readonly authNo: string;
      readonly authorisedFen?: Fen;
      readonly creditFen?: Fen;
      readonly currency?: string;
      readonly at: Date;
    }
  /** The provider collected a credit capture (PAYSCORE.USER_PAID). */
  | {
      readonly kind: 'authorisation.captured';
      readonly channel: Channel;
      readonly notificationId: string;
      readonly outOrderNo: string;
      readonly providerTradeNo: string;
      readonly amountFen: Fen;
      readonly at: Date;
    }
  /**
   * A merchant cancelled its authorisation of the platform's app (Alipay's alipay.open.auth.appauth.cancelled
   * message): `subMerchant` names it, and its hospital's channel is revoked.
   */
  | {
      readonly kind: 'merchant.revoked';
      readonly channel: Channel;
      readonly notificationId: string;
    }
  /**
   * A patient's complaint was made or changed (WeChat COMPLAINT.CREATE / COMPLAINT.STATE_CHANGE, Alipay
   * alipay.merchant.tradecomplain.changed): only its id (and WeChat's action_type) is sent; the details are
   * asked for, and compared, by the use case.
   */
  | {
      readonly kind: 'complaint.changed';
      readonly channel: Channel;
      readonly notificationId: string;
      readonly complaintId: string;
      readonly action?: string;
    }
  /** Verified, but nothing medpay acts on (for example Alipay's WAIT_BUYER_PAY). */
  | {
      readonly kind: 'ignored';
      readonly channel: Channel;
      readonly notificationId: string;
      readonly reason: string;
    };

/** A channel's notification check alone: what a webhook holds (verification keys, never a private key). */
export type NotificationVerifier = Pick<PaymentProvider, 'channel' | 'verifyNotification'>;

/**
 * One payment channel (Alipay, WeChat Pay). Adapters convert amounts at this boundary only.
 * @example
 * const { clientParams } = await alipay.createOrder({ outTradeNo, amountFen, description, payer, expiresAt, mode: 'mini-program' });
 * const event = await alipay.verifyNotification({ headers, body }); // throws NotificationRejectedError
 */
export interface PaymentProvider {
  readonly channel: Channel;
  createOrder(request: CreateOrderRequest): Promise<CreateOrderResponse>;
  queryOrder(outTradeNo: string): Promise<OrderState>;
  closeOrder(outTradeNo: string): Promise<OrderState>;
  refund(request: RefundRequest): Promise<RefundState>;
  queryRefund(outTradeNo: string, outRefundNo: string): Promise<RefundState>;
  /** Sends an ABNORMAL refund on (WeChat apply-abnormal-refund); absent where the provider has no such step. */
  rerouteRefund?(request: RerouteRequest): Promise<RefundState>;
  /** Verifies the raw bytes (signature, merchant ids, timestamp) and translates the event; never trusts unverified input. */
  verifyNotification(notification: RawNotification): Promise<ProviderEvent>;
  /** Pays by the patient's payment code (WeChat codepay, Alipay trade.pay bar_code). */
  payByCode(request: CodePayRequest): Promise<CodePayState>;
  /** Reverses a code payment whose outcome stayed unknown (WeChat reverse, Alipay trade.cancel). */
  reverseOrder(outTradeNo: string): Promise<ReversalOutcome>;
  /** The wallet's complaint desk for this merchant (disputes); absent where it is not built. */
  readonly complaints?: ComplaintDesk;
}
