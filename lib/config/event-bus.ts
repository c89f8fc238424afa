/** The event-bus part of the composition root: only the outbox relay publishes. */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { eventBridgePublisher } from '../adapters/eventbridge/publisher';
import type { EventPublisher } from '../ports/event-publisher';
import type { Config } from './config';
import { composeDeps, type CoreDeps, type PaymentParts } from './container';
import { dispatchingPublisher } from '../adapters/system/dispatching-publisher';
import { logPublisher } from '../adapters/system/log-publisher';
import { dispatchEvent } from '../usecases/events/subscribers';
import { buildPaymentProviders } from './providers';

/**
 * The relay's publisher: EventBridge when the stage names a bus; locally, one that logs each event and hands
 * it to the in-process subscribers (which need the function's own dependencies, hence `self`).
 */
export function eventBus(config: Config, self: () => CoreDeps & PaymentParts): Promise<EventPublisher> {
  if (config.eventBusName)
    return Promise.resolve(
      eventBridgePublisher(new EventBridgeClient({ region: config.region }), config.eventBusName),
    );
  const logged = logPublisher((message, fields) => self().logger.info(message, fields));
  return Promise.resolve(
    dispatchingPublisher(logged, async (event, hospitalId) =>
      dispatchEvent(await self().inHospital(self(), hospitalId), event),
    ),
  );
}

/** The dependencies of the outbox relay, which publishes to the event bus. */
export const relayDeps = composeDeps({
  // On AWS the relay only publishes (its role reads no key); locally its subscribers call the providers.
  providers: (config, clock): Promise<PaymentParts> =>
    config.eventBusName ? Promise.resolve({ providers: {} }) : buildPaymentProviders(config, clock),
  eventBus,
});
