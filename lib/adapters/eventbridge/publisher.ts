/** EventPublisher on Amazon EventBridge (source `medpay`, detail-type = event type, detail.hospitalId its hospital). */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ProviderUnavailableError } from '../../domain/errors';
import type { EventPublisher } from '../../ports/event-publisher';

/** Creates the publisher for one event bus; PutEvents takes at most 10 entries per call. */
export function eventBridgePublisher(client: EventBridgeClient, eventBusName: string): EventPublisher {
  return {
    async publish(events, hospitalId) {
      for (let i = 0; i < events.length; i += 10) {
        const batch = events.slice(i, i + 10);
        const out = await client.send(
          new PutEventsCommand({
            Entries: batch.map((e) => ({
              EventBusName: eventBusName,
              Source: 'medpay',
              DetailType: e.type,
              Time: e.occurredAt,
              Detail: JSON.stringify({ eventId: e.eventId, hospitalId, ...e.payload }),
            })),
          }),
        );
        if ((out.FailedEntryCount ?? 0) > 0) {
          throw new ProviderUnavailableError(
            `EventBridge refused ${out.FailedEntryCount} events; they stay in the outbox.`,
            { eventBusName },
          );
        }
      }
    },
  };
}
