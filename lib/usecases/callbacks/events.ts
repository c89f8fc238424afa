/**
 * The event log a HIS catches up from: list events after the last one it saw, read one with its
 * deliveries and their attempts, and ask for one to be delivered again.
 *
 * Primary course (list): walk the business days from the `after` event's day (or 30 days back) to today,
 * reading each day's events above `after` in id order (ids sort by time), keeping those of `type`, until
 * `limit` are found. The answer's `after` is the cursor to pass next time (the last event read, kept or
 * not), so a filtered walk always moves on.
 */
import { addDays, businessDayOf, type BusinessDay } from '../../domain/business-day';
import { subscribes, type CallbackDelivery } from '../../domain/callbacks';
import { NotFoundError, ValidationError } from '../../domain/errors';
import { timeOfId } from '../../domain/ids';
import type { OutboxEvent } from '../../ports/ledger-store';
import { enqueueDelivery } from './deliveries';
import { loadEndpoint, type CallbackDeps } from './records';

/** How far back a listing without `after` starts. */
const DEFAULT_DAYS_BACK = 30;

/** An event as the API shows it (and as the callback's body carries it). */
export const eventView = (e: OutboxEvent) => ({
  id: e.eventId,
  type: e.type,
  createdAt: e.occurredAt.toISOString(),
  data: e.payload,
});

/** Events after `after` (exclusive), oldest first, of `type` if given. */
export async function listEvents(
  deps: Pick<CallbackDeps, 'outbox' | 'clock'>,
  query: { after?: string; type?: string; limit: number },
) {
  const today = businessDayOf(deps.clock.now());
  let after = query.after;
  let day: BusinessDay;
  if (after) {
    const at = timeOfId(after);
    if (!after.startsWith('evt_') || !at)
      throw new ValidationError('after must be an event id (evt_…).', [
        { path: 'query.after', message: 'not an event id' },
      ]);
    day = businessDayOf(at);
  } else {
    day = addDays(today, -DEFAULT_DAYS_BACK);
  }
  const items: ReturnType<typeof eventView>[] = [];
  while (items.length < query.limit && day <= today) {
    const page = await deps.outbox.pageOfDay(day, after, query.type ? 100 : query.limit);
    for (const event of page.events) {
      after = event.eventId;
      if (!query.type || event.type === query.type) items.push(eventView(event));
      if (items.length === query.limit) break;
    }
    // The next day's ids are all above this day's, so `after` carries over.
    if (items.length < query.limit && !page.more) day = addDays(day, 1);
  }
  return { items, ...(after ? { after } : {}), hasMore: items.length === query.limit };
}

/** One event with its deliveries (each attempt: when, the status answered or the error). */
export async function getEvent(deps: Pick<CallbackDeps, 'outbox' | 'ledger'>, eventId: string) {
  const event = await deps.outbox.get(eventId);
  if (!event) throw new NotFoundError('Event', eventId);
  const page = await deps.ledger.deliveries.ofEvent(eventId, { limit: 100 });
  return {
    ...eventView(event),
    deliveries: page.values.map(deliveryView),
  };
}

/** A delivery as the API shows it. */
export const deliveryView = (d: CallbackDelivery) => ({
  deliveryId: d.deliveryId,
  endpointId: d.endpointId,
  status: d.status,
  attempts: d.attempts,
  ...(d.nextAttemptAt ? { nextAttemptAt: d.nextAttemptAt } : {}),
  giveUpAt: d.giveUpAt,
  createdAt: d.createdAt,
  ...(d.redeliveredBy ? { redeliveredBy: d.redeliveredBy } : {}),
});

/**
 * Queues the event again for one endpoint, or for every active endpoint subscribed to its type. A retry
 * of the same request (its key) queues nothing more.
 */
export async function redeliverEvent(
  deps: CallbackDeps,
  eventId: string,
  input: { endpointId?: string; requestedBy: string; requestKey?: string },
) {
  const event = await deps.outbox.get(eventId);
  if (!event) throw new NotFoundError('Event', eventId);
  const endpoints = input.endpointId
    ? [(await loadEndpoint(deps.ledger, input.endpointId)).value]
    : (await deps.ledger.endpoints.all()).filter((e) => subscribes(e, event.type));
  const inactive = endpoints.find((e) => e.status !== 'ACTIVE');
  if (inactive)
    throw new ValidationError(`Endpoint ${inactive.endpointId} is disabled.`, [
      { path: 'body.endpointId', message: 'disabled endpoint' },
    ]);
  const deliveries = [];
  for (const endpoint of endpoints) {
    const deliveryId = input.requestKey
      ? deps.ids.derive('delivery', `${input.requestKey}\n${endpoint.endpointId}`)
      : deps.ids.next('delivery');
    deliveries.push(
      deliveryView(await enqueueDelivery(deps, event, endpoint, deliveryId, input.requestedBy)),
    );
  }
  return { eventId, deliveries };
}
