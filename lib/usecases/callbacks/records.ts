/** What the callback use cases need: their policy, their dependencies, and loading an endpoint. */
import type { CallbackSender, CallbackSigner } from '../../ports/callbacks';
import type { Clock } from '../../ports/clock';
import type { OutboxStore } from '../../ports/event-publisher';
import type { IdGenerator } from '../../ports/id-generator';
import type { LedgerStore } from '../../ports/ledger-store';
import type { Metrics } from '../../ports/metrics';
import { loadOrNotFound } from '../shared/records';

/** The callbacks' policy and adapters. */
export interface CallbackPolicy {
  readonly signer: CallbackSigner;
  readonly sender: CallbackSender;
  /** The first retry's delay; each later one doubles, up to an hour. */
  readonly retryBaseMs: number;
  /** How long a delivery is retried before it ends FAILED. */
  readonly retryForMs: number;
  /** Local stacks accept http:// endpoints; deployed stages https only. */
  readonly allowHttp: boolean;
}

/** Dependencies of the callback use cases. */
export interface CallbackDeps {
  readonly ledger: LedgerStore;
  readonly outbox: OutboxStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly metrics: Metrics;
  readonly callbacks: CallbackPolicy;
}

/** Loads an endpoint, or NOT_FOUND. */
export const loadEndpoint = (ledger: LedgerStore, endpointId: string) =>
  loadOrNotFound(ledger.endpoints, 'Notification endpoint', endpointId);
