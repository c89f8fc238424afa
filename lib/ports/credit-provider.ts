/** CreditProvider port: a channel's credit authorisation for pay-later visits (freeze → capture → release). */
import type { Channel } from '../domain/ledger/accounts';
import type { Fen } from '../domain/money';
import type { Payer } from './payment-provider';

/** Start an authorisation the patient confirms in the mini-program. */
export interface AuthoriseRequest {
  readonly outOrderNo: string;
  readonly outRequestNo: string;
  readonly amountFen: Fen;
  readonly title: string;
  readonly payer: Payer;
  readonly expiresAt: Date;
}

/** The provider's view of an authorisation. */
export interface AuthorisationState {
  readonly status: 'NOT_FOUND' | 'PENDING' | 'AUTHORISED' | 'CLOSED' | 'FINISHED';
  readonly authNo?: string;
  readonly authorisedFen?: Fen;
  /** The part covered by credit rather than frozen funds. */
  readonly creditFen?: Fen;
  readonly confirmedAt?: Date;
}

/** Take the self-pay part from a confirmed authorisation. */
export interface CaptureRequest {
  readonly outOrderNo: string;
  readonly outTradeNo: string;
  readonly authNo: string;
  readonly amountFen: Fen;
  readonly authorisedFen: Fen;
  readonly description: string;
  /** The lines shown to the patient (Pay Score post_payments). */
  readonly lines: ReadonlyArray<{ readonly name: string; readonly amountFen: Fen }>;
  readonly payer: Payer;
}

/** `PENDING`: accepted, the money is still being collected (Pay Score USER_PAYING, Alipay WAIT_BUYER_PAY). */
export interface CaptureState {
  readonly status: 'SUCCEEDED' | 'PENDING' | 'FAILED';
  readonly providerTradeNo?: string;
  readonly capturedFen?: Fen;
  readonly at?: Date;
  readonly reason?: string;
}

/**
 * One channel's credit authorisation. Every call is safe to repeat with the same numbers: settlement is a
 * saga that re-runs steps after a crash.
 * @example
 * const { clientParams } = await credit.authorise({ outOrderNo, outRequestNo, amountFen, title, payer, expiresAt });
 * const captured = await credit.capture({ outOrderNo, outTradeNo, authNo, amountFen, authorisedFen, description, lines, payer });
 */
export interface CreditProvider {
  readonly channel: Channel;
  authorise(request: AuthoriseRequest): Promise<{ clientParams: Readonly<Record<string, unknown>> }>;
  queryAuthorisation(outOrderNo: string, outRequestNo: string): Promise<AuthorisationState>;
  /** Captures `amountFen` (> 0); the rest of the authorisation is released by the provider with it. */
  capture(request: CaptureRequest): Promise<CaptureState>;
  /** Asks about a capture already requested (without starting one). */
  queryCapture(request: CaptureRequest): Promise<CaptureState>;
  /** Releases the whole authorisation when nothing is captured (cancel, expiry, zero self-pay, overdue). */
  release(request: {
    outOrderNo: string;
    outRequestNo: string;
    authNo?: string;
    amountFen: Fen;
    reason: string;
  }): Promise<void>;
}
