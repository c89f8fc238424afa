/** The ports and policy the visit use cases depend on. */
import { ValidationError } from '../../domain/errors';
import type { Channel } from '../../domain/ledger/accounts';
import type { CreditPolicy } from '../../domain/visit';
import type { Clock } from '../../ports/clock';
import type { CreditProvider } from '../../ports/credit-provider';
import type { IdGenerator } from '../../ports/id-generator';
import type { InsuranceGateway } from '../../ports/insurance-gateway';
import type { AuthExchange } from '../../ports/insurance-auth';
import type { LedgerStore } from '../../ports/ledger-store';
import type { Metrics } from '../../ports/metrics';

/** A hospital's pay-later policy (one deployment per hospital, so one policy per stage). */
export interface VisitPolicy extends CreditPolicy {
  /** An authorisation not confirmed within this is cancelled. */
  readonly authoriseWithinMinutes: number;
  /** How long to wait before asking the insurance platform again, or about a pending capture. */
  readonly recheckAfterMs: number;
}

/** What the visit use cases that only record need (applying a verified notification). */
export interface VisitRecordDeps {
  readonly ledger: LedgerStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly visits: VisitPolicy;
  /** Business counts: failed settlements and their retries. */
  readonly metrics: Metrics;
}

/** The national insurance platform and the wallets' authorisation exchanges, as a visit's insurance step uses them. */
export interface VisitInsuranceParts {
  readonly platform: InsuranceGateway;
  readonly auth: Partial<Record<Channel, AuthExchange>>;
  /** 医疗类别 (medType) when the HIS sends none. */
  readonly defaultMedicalType: string;
}

/** Dependencies of the visit use cases that call the credit providers or the insurer. */
export interface VisitDeps extends VisitRecordDeps {
  readonly credit: Partial<Record<Channel, CreditProvider>>;
  readonly insurance?: VisitInsuranceParts;
}

/** The configured credit provider of a channel, or a 400 naming what is configured. */
export function creditFor(deps: VisitDeps, channel: Channel): CreditProvider {
  const provider = deps.credit[channel];
  if (!provider)
    throw new ValidationError(
      `Pay-later is not configured for ${channel} here; use ${Object.keys(deps.credit).join(' or ') || 'none'}.`,
      [{ path: 'body.channel', message: 'channel not configured for credit' }],
    );
  return provider;
}
