/** The ports the payment use cases depend on. */
import type { Channel } from '../../domain/ledger/accounts';
import { ValidationError } from '../../domain/errors';
import type { Clock } from '../../ports/clock';
import type { IdGenerator } from '../../ports/id-generator';
import type { LedgerStore } from '../../ports/ledger-store';
import type { Metrics } from '../../ports/metrics';
import type { PaymentProvider } from '../../ports/payment-provider';

/** What a use case that only records needs (applying a verified notification, reading, storing a request). */
export interface RecordDeps {
  readonly ledger: LedgerStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Business counts: payments created and paid, refunds (the alarms and dashboards read them). */
  readonly metrics: Metrics;
}

/** Dependencies of the payment use cases that call a provider. */
export interface PaymentDeps extends RecordDeps {
  readonly providers: Partial<Record<Channel, PaymentProvider>>;
  readonly payments: { readonly expiryMinutes: number };
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
