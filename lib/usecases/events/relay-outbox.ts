/**
 * Relay the outbox: publish events committed with their business change, then mark them published.
 *
 * Primary course:
 *   1. Read the oldest unpublished events (a page at a time).
 *   2. Publish them; a failure leaves them pending for the next run (delivery is at least once: consumers
 *      deduplicate by eventId).
 *   3. Mark them published.
 */
import type { Clock } from '../../ports/clock';
import type { EventPublisher, OutboxStore } from '../../ports/event-publisher';

/** Publishes up to `maxPages` pages of pending events; returns how many were published. */
export async function relayOutbox(
  deps: { outbox: OutboxStore; publisher: EventPublisher; clock: Clock },
  pageSize = 25,
  maxPages = 40,
) {
  let published = 0;
  for (let page = 0; page < maxPages; page++) {
    const events = await deps.outbox.pending(pageSize);
    if (events.length === 0) break;
    await deps.publisher.publish(events);
    await deps.outbox.markPublished(
      events.map((e) => e.eventId),
      deps.clock.now(),
    );
    published += events.length;
    if (events.length < pageSize) break;
  }
  return { published };
}
