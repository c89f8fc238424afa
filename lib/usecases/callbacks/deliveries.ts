/**
 * Deliver domain events to the hospital's endpoints, off the outbox (never inside a request).
 *
 * Primary course:
 *   1. Fan out: for each event the relay publishes, every active endpoint subscribed to its type gets a
 *      PENDING delivery, queued in its lane (endpoint × the entity the event is about) in event order.
 *   2. Deliver (every minute, and right after a fan-out): each due delivery at the head of its lane is
 *      claimed, signed (Medpay-Signature over "t.body" with each valid secret) and POSTed; the attempt is
 *      recorded.
 *   3. A 2xx makes it DELIVERED and lets the lane's next delivery go; anything else schedules a retry
 *      (doubling from the base delay, at most an hour apart) until 24 h have passed, then FAILED.
 * Delivery is at least once: a HIS deduplicates by Medpay-Event-Id.
 */
import {
  afterAttempt,
  subjectOf,
  subscribes,
  signingVersions,
  callbackBody,
  type CallbackDelivery,
  type DeliveryLane,
  type NotificationEndpoint,
} from '../../domain/callbacks';
import type { OutboxEvent } from '../../ports/ledger-store';
import type { LedgerStore } from '../../ports/ledger-store';
import type { Versioned } from '../shared/records';
import { retryOnConflict } from '../shared/retry';
import type { CallbackDeps } from './records';

/** How long a claimed attempt holds its delivery before another runner may try it. */
const CLAIM_MS = 60_000;

/** The lane of an endpoint and an event's entity. */
const laneOf = (endpointId: string, event: Pick<OutboxEvent, 'eventId' | 'payload'>) =>
  `${endpointId}:${subjectOf(event.eventId, event.payload)}`;

/**
 * Queues one delivery of `event` to `endpoint` (unless `deliveryId` is already stored): the delivery and
 * its place in the lane are written together. Originals take their place by event id; a redelivery goes last.
 */
export async function enqueueDelivery(
  deps: CallbackDeps,
  event: Pick<OutboxEvent, 'eventId' | 'type' | 'payload'>,
  endpoint: NotificationEndpoint,
  deliveryId: string,
  redeliveredBy?: string,
): Promise<CallbackDelivery> {
  return retryOnConflict(async () => {
    const stored = await deps.ledger.deliveries.get(deliveryId);
    if (stored) return stored.value;
    const now = deps.clock.now();
    const lane = laneOf(endpoint.endpointId, event);
    const delivery: CallbackDelivery = {
      deliveryId,
      eventId: event.eventId,
      eventType: event.type,
      endpointId: endpoint.endpointId,
      lane,
      status: 'PENDING',
      attempts: [],
      nextAttemptAt: now.toISOString(),
      giveUpAt: new Date(now.getTime() + deps.callbacks.retryForMs).toISOString(),
      createdAt: now.toISOString(),
      ...(redeliveredBy ? { redeliveredBy } : {}),
    };
    const current = await deps.ledger.lanes.get(lane);
    const queue = [...(current?.value.queue ?? [])];
    const entry = { eventId: event.eventId, deliveryId };
    const at = redeliveredBy ? -1 : queue.findIndex((q) => q.eventId > event.eventId);
    if (at < 0) queue.push(entry);
    else queue.splice(at, 0, entry);
    await deps.ledger.commit({
      entities: [
        deps.ledger.deliveries.write(delivery, { kind: 'absent' }),
        laneWrite(deps.ledger, { lane, queue }, current),
      ],
    });
    return delivery;
  });
}

/** The lane's next state, guarded by the version it was read at (or its absence). */
const laneWrite = (ledger: LedgerStore, next: DeliveryLane, current: Versioned<DeliveryLane> | undefined) =>
  ledger.lanes.write(next, current ? { kind: 'version', version: current.version } : { kind: 'absent' });

/** Step 1: a delivery to every active endpoint subscribed to the event's type (replays add nothing). */
export async function fanOut(
  deps: CallbackDeps,
  event: Pick<OutboxEvent, 'eventId' | 'type' | 'payload'>,
): Promise<number> {
  const endpoints = (await deps.ledger.endpoints.all()).filter((e) => subscribes(e, event.type));
  for (const endpoint of endpoints)
    await enqueueDelivery(
      deps,
      event,
      endpoint,
      deps.ids.derive('delivery', `${event.eventId}\n${endpoint.endpointId}`),
    );
  return endpoints.length;
}

/** Steps 2–3 for every delivery due now, `concurrency` lanes at a time; returns what happened. */
export async function deliverDue(deps: CallbackDeps, { limit = 100, concurrency = 8 } = {}) {
  const now = deps.clock.now();
  const due = await deps.ledger.deliveries.dueBy(now.toISOString(), limit);
  const outcomes = { delivered: 0, retrying: 0, failed: 0, waiting: 0 };
  let next = 0;
  const worker = async () => {
    while (next < due.length) {
      const item = due[next++];
      if (!item) break;
      const outcome = await attempt(deps, item);
      outcomes[outcome]++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, due.length) }, worker));
  return outcomes;
}

/** One attempt at a due delivery, if it heads its lane; the outcome for the tally. */
async function attempt(
  deps: CallbackDeps,
  current: Versioned<CallbackDelivery>,
): Promise<'delivered' | 'retrying' | 'failed' | 'waiting'> {
  const delivery = current.value;
  const lane = await deps.ledger.lanes.get(delivery.lane);
  if (lane?.value.queue[0]?.deliveryId !== delivery.deliveryId) return 'waiting';

  // Claim it: a concurrent runner reading the same due item fails this guard and moves on.
  const claimedUntil = new Date(deps.clock.now().getTime() + CLAIM_MS).toISOString();
  const claimed = { ...delivery, nextAttemptAt: claimedUntil };
  try {
    await deps.ledger.commit({ entities: [deps.ledger.deliveries.transition(current, claimed)] });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'CONCURRENT_MODIFICATION' || code === 'INVALID_STATE') return 'waiting'; // taken

    throw error;
  }

  const endpoint = (await deps.ledger.endpoints.get(delivery.endpointId))?.value;
  const event = await deps.outbox.get(delivery.eventId);
  const at = deps.clock.now();
  const result =
    endpoint?.status === 'ACTIVE' && event
      ? // A failure before the POST (the signing key unreadable) is an attempt too: recorded, and retried.
        await send(deps, endpoint, event, at).catch((error: unknown) => ({
          error: `not sent: ${(error as Error).message}`,
          durationMs: 0,
        }))
      : { error: event ? 'endpoint disabled' : 'event not found', durationMs: 0 };
  const done = afterAttempt(
    claimed,
    { at: at.toISOString(), ...result },
    deps.callbacks.retryBaseMs,
    endpoint?.status === 'ACTIVE' && event !== undefined,
  );
  await finish(deps, { value: claimed, version: current.version + 1 }, done);
  if (done.status === 'DELIVERED') deps.metrics.count('CallbacksDelivered');
  if (done.status === 'FAILED') deps.metrics.count('CallbacksFailed');
  return done.status === 'DELIVERED' ? 'delivered' : done.status === 'FAILED' ? 'failed' : 'retrying';
}

/** Signs and POSTs the event with its headers. */
async function send(deps: CallbackDeps, endpoint: NotificationEndpoint, event: OutboxEvent, at: Date) {
  const body = callbackBody(event);
  const secrets = await Promise.all(
    signingVersions(endpoint, at).map((v) => deps.callbacks.signer.secret(endpoint.endpointId, v)),
  );
  const t = Math.floor(at.getTime() / 1000);
  return deps.callbacks.sender.post(endpoint.url, body, {
    'Medpay-Signature': deps.callbacks.signer.header(secrets, t, body),
    'Medpay-Event-Id': event.eventId,
    'Medpay-Event-Type': event.type,
  });
}

/** Writes the attempt's outcome; a finished delivery leaves its lane, so the next one may go. */
async function finish(deps: CallbackDeps, claimed: Versioned<CallbackDelivery>, done: CallbackDelivery) {
  await retryOnConflict(async () => {
    const entities = [deps.ledger.deliveries.transition(claimed, done)];
    if (done.status !== 'PENDING') {
      const lane = await deps.ledger.lanes.get(done.lane);
      if (lane) {
        const queue = lane.value.queue.filter((q) => q.deliveryId !== done.deliveryId);
        entities.push(laneWrite(deps.ledger, { lane: done.lane, queue }, lane));
      }
    }
    await deps.ledger.commit({ entities });
  });
}
