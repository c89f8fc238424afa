/** TabInsurance port: a pay-later visit tab's insurance pre-settlement, settlement and reversal (the bureau, or WeChat medical insurance in front of it). */
import type { ChargeCategory } from '../domain/visit';
import type { Fen } from '../domain/money';

/** The bureau's answer to a pre-settlement: the split, held until `expiresAt`. */
export interface PreSettlement {
  readonly preauthId: string;
  /** Pooled fund (统筹). */
  readonly insuredFen: Fen;
  /** Personal medical-insurance account (个人账户). */
  readonly personalAccountFen: Fen;
  readonly selfPayFen: Fen;
  readonly expiresAt: Date;
}

/** The visit and lines a pre-settlement is computed for. */
export interface PreSettleRequest {
  readonly visitId: string;
  readonly patientId: string;
  /** Makes the request idempotent at the bureau: one pre-settlement per visit and tab version. */
  readonly tabVersion: number;
  readonly charges: ReadonlyArray<{ chargeId: string; category: ChargeCategory; amountFen: Fen }>;
  /** The patient's payer ids (WeChat medical insurance needs the openid). */
  readonly payer?: Readonly<{ wechatOpenId?: string; alipayUserId?: string }>;
}

/**
 * The insurance bureau (or a channel that fronts it, such as WeChat medical insurance).
 * Unavailability is PROVIDER_UNAVAILABLE; settlement then waits and retries.
 * @example
 * const split = await insurance.preSettle({ visitId, patientId, tabVersion, charges });
 * await insurance.settle(split.preauthId);
 */
export interface TabInsurance {
  preSettle(request: PreSettleRequest): Promise<PreSettlement>;
  /** Settles a held pre-settlement; repeating it returns the same result. */
  settle(preauthId: string): Promise<{ readonly settlementId: string; readonly settledAt: Date }>;
  /** Releases a held pre-settlement (tab changed, cancelled, expired); repeating it is harmless. */
  reverse(preauthId: string): Promise<void>;
}
