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
import type { Metrics } from '../../ports/metrics';

/**
 * Publishes up to `maxPages` pages of one hospital's pending events; returns how many were published. The
 * age of the oldest pending event is recorded as OutboxLagSeconds (0 when none waits), which an alarm watches.
 */
export async function relayOutbox(
  deps: {
    hospitalId: string;
    outbox: OutboxStore;
    publisher: EventPublisher;
    clock: Clock;
    metrics: Metrics;
  },
  pageSize = 25,
  maxPages = 40,
) {
  let published = 0;
  for (let page = 0; page < maxPages; page++) {
    const events = await deps.outbox.pending(pageSize);
    if (page === 0) {
      const oldest = Math.min(...events.map((e) => e.occurredAt.getTime()), deps.clock.now().getTime());
      deps.metrics.measure(
        'OutboxLagSeconds',
        Math.round((deps.clock.now().getTime() - oldest) / 1000),
        'Seconds',
      );
    }
    if (events.length === 0) break;
    await deps.publisher.publish(events, deps.hospitalId);
    await deps.outbox.markPublished(
      events.map((e) => e.eventId),
      deps.clock.now(),
    );
    published += events.length;
    if (events.length < pageSize) break;
  }
  return { published };
}
