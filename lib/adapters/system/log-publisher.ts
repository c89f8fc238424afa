/** EventPublisher for the local stack: writes each event as one JSON log line. */
import type { EventPublisher } from '../../ports/event-publisher';

/** Creates a publisher that hands each event to `write` (the logger locally). */
export function logPublisher(
  write: (message: string, fields: Record<string, unknown>) => void,
): EventPublisher {
  return {
    publish(events, hospitalId) {
      for (const e of events)
        write('domain event', {
          hospitalId,
          eventId: e.eventId,
          eventType: e.type,
          occurredAt: e.occurredAt.toISOString(),
          payload: e.payload,
        });
      return Promise.resolve();
    },
  };
}
