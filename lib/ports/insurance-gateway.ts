/**
 * InsuranceGateway port: the national medical-insurance mobile-payment platform (医保移动支付中心) as the
 * hospital calls it: 6201 fee-detail upload (with the pre-settled split), 6202 order, 6301 settlement-result
 * query, 6401 upload revocation, 6203 insurance refund, and the platform's result push. Amounts are fen
 * here; the adapter converts the platform's yuan at its boundary.
 */
import type { Split } from '../domain/insurance';
import type { Fen } from '../domain/money';

/**
 * The split (PROTOCOLS §1.5 "split terms"): fund = national fundPay (WeChat med_ins_gov_fee +
 * med_ins_other_fee), personal account = psnAcctPay (med_ins_self_fee), self-pay = ownpayAmt (med_ins_cash_fee).
 */
export type InsuredSplit = Split;

/** One fee line as the HIS itemises it for 6201 (FeeDetailDTO names in brackets). */
export interface FeeLine {
  /** The line's serial number at the hospital (feedetlSn). */
  readonly lineId: string;
  /** The national medical-list code (medListCodg). */
  readonly listCode: string;
  /** The hospital's own list code (medinsListCodg). */
  readonly hospitalListCode: string;
  readonly name: string;
  /** Quantity as the HIS writes it, a decimal string (cnt). */
  readonly quantity: string;
  /** The line's total (detItemFeeSumamt). */
  readonly amountFen: Fen;
  /** Prescription number (rxno), where the line is a prescription. */
  readonly prescriptionNo?: string;
}

/** What 6201 needs: the patient's authorisation, the hospital's order numbers and the fee lines. */
export interface FeeUpload {
  /** The single-use payment authorisation from the wallet (payAuthNo). Never stored. */
  readonly payAuthNo: string;
  /** Where the patient is insured (insuCode), as the authorisation reported it. */
  readonly insuredRegion: string;
  /** "longitude,latitude" of the patient at authorisation (uldLatlnt). */
  readonly location: string;
  /** The hospital's order number at the platform (medOrgOrd); unique per upload. */
  readonly medOrgOrd: string;
  /** The HIS charge batch (chrgBchno). */
  readonly chargeBatchNo: string;
  /** 医疗类别 (medType), as the HIS assigns it. */
  readonly medicalType: string;
  readonly departmentCode?: string;
  readonly doctorCode?: string;
  readonly totalFen: Fen;
  readonly lines: readonly FeeLine[];
  readonly at: Date;
}

/** The platform's answer to 6201: its order id and token, and the pre-settled split. */
export interface UploadedFees {
  readonly payOrdId: string;
  readonly payToken: string;
  readonly split: InsuredSplit;
}

/** The platform's order, by its id and token. */
export interface PlatformOrderRef {
  readonly payOrdId: string;
  readonly payToken: string;
}

/**
 * The platform's view of an order. `ordStas` is kept as the platform sent it; `status` is its meaning under
 * the configured mapping (the ordStas enumeration is not published: docs/insurance.md).
 */
export interface PlatformOrderState {
  readonly payOrdId: string;
  readonly ordStas: string;
  readonly status: 'UPLOADED' | 'SETTLED' | 'FAILED' | 'REVOKED' | 'REFUNDED' | 'UNKNOWN';
  readonly split?: InsuredSplit;
  /** The platform's settlement serial (hiDocSn / setlId) once settled. */
  readonly settlementId?: string;
  readonly settledAt?: Date;
}

/** 6203: what to give back, in which parts. */
export interface PlatformRefundRequest extends PlatformOrderRef {
  /** Unique per refund (appRefdSn); repeating one repeats the same refund. */
  readonly refundNo: string;
  readonly at: Date;
  readonly split: InsuredSplit;
  /** ALL (全部), HI (only the insured parts) or CASH (only cash) (refdType). */
  readonly type: 'ALL' | 'HI' | 'CASH';
}

/** The platform's view of a refund (RefundResponseDTO). */
export interface PlatformRefundState {
  readonly refundNo: string;
  readonly platformRefundId: string;
  readonly status: 'SUCCEEDED' | 'PROCESSING' | 'FAILED';
}

/** A verified result push (支付结果通知, SeltSucCallbackDTO), in fen. */
export interface PlatformResult {
  readonly payOrdId: string;
  readonly medOrgOrd: string;
  readonly ordStas: string;
  readonly status: PlatformOrderState['status'];
  readonly totalFen: Fen;
  readonly split: InsuredSplit;
  readonly settlementId?: string;
}

/**
 * The national platform. Protocol failures (unreachable, system busy, a reply that does not verify) are
 * PROVIDER_UNAVAILABLE: retry the same request. Business refusals are InsuranceRefusedError with the
 * platform's code: do not retry.
 * @example
 * const up = await insurance.uploadFees({ payAuthNo, medOrgOrd, lines, ... }); // 6201: up.split
 * await insurance.revoke(up); // 6401, when the wallet order cannot be placed
 */
export interface InsuranceGateway {
  /** 6201: uploads the fee lines and answers the pre-settled split. */
  uploadFees(upload: FeeUpload): Promise<UploadedFees>;
  /** 6202: settles an uploaded order with the patient's authorisation; `orgBizSer` is unique per call. */
  placeOrder(
    order: PlatformOrderRef & { payAuthNo: string; orgBizSer: string; chargeBatchNo: string },
  ): Promise<PlatformOrderState>;
  /** 6301: the order's settlement result. */
  queryOrder(order: PlatformOrderRef): Promise<PlatformOrderState>;
  /** 6401: abandons an upload that was never paid; repeating it is harmless. */
  revoke(order: PlatformOrderRef): Promise<void>;
  /** 6203: refunds a settled order's parts. */
  refund(request: PlatformRefundRequest): Promise<PlatformRefundState>;
  /** Opens and verifies a result push's raw body; throws NotificationRejectedError when it does not verify. */
  verifyResult(body: Buffer): PlatformResult;
}
