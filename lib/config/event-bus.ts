/** The event-bus part of the composition root: EventBridge when the stage names a bus (only the relay needs it). */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { eventBridgePublisher } from '../adapters/eventbridge/publisher';
import type { EventPublisher } from '../ports/event-publisher';
import type { Config } from './config';
import { composeDeps } from './container';
import { buildPaymentProviders } from './providers';

/** The EventBridge publisher of the stage's bus, or undefined locally (events are then logged). */
export function eventBus(config: Config): Promise<EventPublisher | undefined> {
  return Promise.resolve(
    config.eventBusName
      ? eventBridgePublisher(new EventBridgeClient({ region: config.region }), config.eventBusName)
      : undefined,
  );
}

/** The dependencies of a function that calls providers and publishes to the event bus (the outbox relay). */
export const relayDeps = composeDeps({ providers: buildPaymentProviders, eventBus });
