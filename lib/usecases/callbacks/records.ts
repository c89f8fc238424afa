/** How endpoints, deliveries and delivery lanes are stored through the LedgerStore, and what the use cases need. */
import type { CallbackDelivery, NotificationEndpoint } from '../../domain/callbacks';
import { NotFoundError } from '../../domain/errors';
import type { CallbackSender, CallbackSigner } from '../../ports/callbacks';
import type { Clock } from '../../ports/clock';
import type { OutboxStore } from '../../ports/event-publisher';
import type { IdGenerator } from '../../ports/id-generator';
import type { LedgerStore } from '../../ports/ledger-store';
import type { Metrics } from '../../ports/metrics';
import type { EntityKind, Versioned } from '../shared/records';

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

/** byTime partition of every endpoint, by creation. */
export const ENDPOINTS = 'CALLBACK#ENDPOINTS';
/** byTime partition of pending deliveries, by when their next attempt is due. */
export const DUE = 'CALLBACK#DUE';
/** byRef partition of an event's deliveries. */
export const eventDeliveries = (eventId: string) => `CALLBACK#EVENT#${eventId}`;

/** Endpoints, listed by creation. */
export const ENDPOINT: EntityKind<NotificationEndpoint> = {
  type: 'endpoint',
  id: (e) => e.endpointId,
  indexes: (e) => ({ byTime: { partition: ENDPOINTS, sort: `${e.createdAt}#${e.endpointId}` } }),
};

/** Deliveries: under their event always, in the due list while PENDING. */
export const DELIVERY: EntityKind<CallbackDelivery> = {
  type: 'delivery',
  id: (d) => d.deliveryId,
  indexes: (d) => ({
    byRef: { partition: eventDeliveries(d.eventId), sort: `${d.createdAt}#${d.deliveryId}` },
    ...(d.status === 'PENDING' && d.nextAttemptAt
      ? { byTime: { partition: DUE, sort: `${d.nextAttemptAt}#${d.deliveryId}` } }
      : {}),
  }),
};

/** The deliveries waiting in one lane (endpoint × entity), in the order they go. */
export interface DeliveryLane {
  readonly lane: string;
  readonly queue: readonly { readonly eventId: string; readonly deliveryId: string }[];
}

/** Delivery lanes, by endpoint × entity. */
export const LANE: EntityKind<DeliveryLane> = { type: 'callbacklane', id: (l) => l.lane };

/** Loads an endpoint, or NOT_FOUND. */
export async function loadEndpoint(ledger: LedgerStore, endpointId: string) {
  const stored = await ledger.getEntity(ENDPOINT.type, endpointId);
  if (!stored) throw new NotFoundError('Notification endpoint', endpointId);
  return { value: stored.state as unknown as NotificationEndpoint, version: stored.version };
}

/** Every endpoint, oldest first (a hospital registers a handful). */
export async function allEndpoints(ledger: LedgerStore): Promise<NotificationEndpoint[]> {
  const out: NotificationEndpoint[] = [];
  for await (const e of ledger.scanByTime(ENDPOINTS, '\uffff'))
    out.push(e.state as unknown as NotificationEndpoint);
  return out;
}

/** A lane as stored, or undefined when it was never written. */
export async function loadLane(
  ledger: LedgerStore,
  lane: string,
): Promise<Versioned<DeliveryLane> | undefined> {
  const stored = await ledger.getEntity(LANE.type, lane);
  return stored && { value: stored.state as unknown as DeliveryLane, version: stored.version };
}
