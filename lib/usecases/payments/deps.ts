/** The ports the payment use cases depend on. */
import type { Channel } from '../../domain/ledger/accounts';
import { ValidationError } from '../../domain/errors';
import type { Clock } from '../../ports/clock';
import type { IdGenerator } from '../../ports/id-generator';
import type { LedgerStore } from '../../ports/ledger-store';
import type { Metrics } from '../../ports/metrics';
import type { PaymentProvider } from '../../ports/payment-provider';
import type { InsuranceGateway } from '../../ports/insurance-gateway';
import type { AuthExchange } from '../../ports/insurance-auth';
import type { MedicalOrders } from '../../ports/medical-orders';
import type { ReceiptIssuer } from '../../ports/receipt-issuer';
import type { PaymentCodePolicy } from '../../domain/payment-code';
import type { RefundPolicy } from '../../domain/refund-progress';

/** What a use case that only records needs (applying a verified notification, reading, storing a request). */
export interface RecordDeps {
  readonly ledger: LedgerStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Business counts: payments created and paid, refunds (the alarms and dashboards read them). */
  readonly metrics: Metrics;
  /** The refund promises' policy (DEFAULT_REFUND_POLICY where absent). */
  readonly refunds?: RefundPolicy;
}

/** What insured payments need: the national platform, and per wallet its authorisation and mixed orders. */
export interface InsuredParts {
  readonly platform: InsuranceGateway;
  readonly auth: Partial<Record<Channel, AuthExchange>>;
  readonly orders: Partial<Record<Channel, MedicalOrders>>;
  /** 医疗类别 (medType) when the HIS sends none: "11" (普通门诊, as U1 sends; an assumption). */
  readonly defaultMedicalType: string;
}

/** How long orders live, and how long a payment code's outcome is waited for. */
export interface PaymentPolicy {
  readonly expiryMinutes: number;
  readonly paymentCode: PaymentCodePolicy;
}

/** Dependencies of the payment use cases that call a provider. */
export interface PaymentDeps extends RecordDeps {
  readonly providers: Partial<Record<Channel, PaymentProvider>>;
  readonly payments: PaymentPolicy;
  /** Medical insurance for charges, where configured. */
  readonly insured?: InsuredParts;
  /** The fiscal e-receipt platform, where configured (receipts/sync-receipt.ts). */
  readonly receipts?: ReceiptIssuer;
}

/** The insured-payment parts of a channel, or a 400 saying insurance is not available on it. */
export function insuredFor(deps: PaymentDeps, channel: Channel) {
  const parts = deps.insured;
  const auth = parts?.auth[channel];
  const orders = parts?.orders[channel];
  if (!parts || !auth || !orders)
    throw new ValidationError(`Medical insurance is not configured for ${channel} here.`, [
      { path: 'body.insurance', message: 'insurance not configured on this channel' },
    ]);
  return { platform: parts.platform, auth, orders, defaultMedicalType: parts.defaultMedicalType };
}

/** The configured provider of a channel, or a 400 naming what is configured. */
export function providerFor(deps: PaymentDeps, channel: Channel): PaymentProvider {
  const provider = deps.providers[channel];
  if (!provider) {
    throw new ValidationError(
      `The ${channel} channel is not configured here; use ${Object.keys(deps.providers).join(' or ') || 'none'}.`,
      [{ path: 'body.channel', message: 'channel not configured' }],
    );
  }
  return provider;
}
