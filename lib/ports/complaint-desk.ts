/**
 * A wallet's complaint system as medpay uses it (WeChat Pay 消费者投诉 2.0, Alipay 交易投诉): read a complaint,
 * answer the patient, say a refund was agreed, and report it handled. The adapter acts for the merchant its
 * provider acts for (the hospital's sub-merchant or app in partner mode).
 */
import type { Fen } from '../domain/money';

/** One order a complaint names. */
export interface ComplaintOrder {
  readonly outTradeNo: string;
  readonly providerTradeNo?: string;
  readonly amountFen: Fen;
}

/** A complaint as the provider reports it. */
export interface ProviderComplaint {
  readonly complaintId: string;
  /** The merchant complained about, where the provider names it (WeChat complainted_mchid). */
  readonly merchantId?: string;
  /** The provider's state, as reported. */
  readonly state: string;
  /** True once the provider holds it ended (WeChat PROCESSED; Alipay FINISHED, CANCELLED, CLOSED…). */
  readonly ended: boolean;
  /** True while it waits on the merchant (WeChat PENDING, Alipay MERCHANT_PROCESSING). */
  readonly awaitingMerchant: boolean;
  readonly description: string;
  readonly openedAt: Date;
  readonly complaintTimes: number;
  readonly problemType?: string;
  readonly requestedRefundFen?: Fen;
  readonly orders: readonly ComplaintOrder[];
}

/** How staff closed their side: with a refund made, or after an explanation. */
export interface ComplaintCompletion {
  readonly refunded: boolean;
  readonly note: string;
}

/** One merchant's complaint desk at one wallet. */
export interface ComplaintDesk {
  /** The merchant this desk acts for (WeChat mchid or sub_mchid); a complaint naming another is not ours. */
  readonly merchantId?: string;
  /** The complaint's details; NOT_FOUND (404) when the provider has none by that id. */
  fetch(complaintId: string): Promise<ProviderComplaint>;
  /** Sends the patient a reply. */
  reply(complaintId: string, text: string): Promise<void>;
  /**
   * Tells the provider a refund was agreed, before it is made (WeChat update-refund-progress APPROVE, only for
   * a complaint that asked for a refund); a no-op where the provider has no such step.
   */
  approveRefund(complaint: { complaintId: string; problemType?: string }): Promise<void>;
  /** Reports the complaint handled (WeChat complete; Alipay feedback.submit). */
  complete(complaintId: string, completion: ComplaintCompletion): Promise<void>;
}
