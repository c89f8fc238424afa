/** EventPublisher for the local stack: hands each event to the in-process subscribers, after `inner`. */
import type { OutboxEvent } from '../../ports/ledger-store';
import type { EventPublisher } from '../../ports/event-publisher';

/**
 * Publishes through `inner` (the log), then calls `dispatch` for each event; a subscriber failure fails the
 * publish, so the outbox keeps the event and the next relay delivers it again (at least once, as on AWS).
 */
export function dispatchingPublisher(
  inner: EventPublisher,
  dispatch: (event: OutboxEvent, hospitalId: string) => Promise<unknown>,
): EventPublisher {
  return {
    async publish(events, hospitalId) {
      await inner.publish(events, hospitalId);
      for (const event of events) await dispatch(event, hospitalId);
    },
  };
}
