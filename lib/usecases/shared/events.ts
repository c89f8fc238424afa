/** The one envelope every use case writes its domain events in: a new event id and the clock's time. */
import type { DomainEvent, DomainEventPayloads, DomainEventType } from '../../domain/events';
import type { Clock } from '../../ports/clock';
import type { IdGenerator } from '../../ports/id-generator';

/** A domain event of `type` with its typed payload, ready for a LedgerChange's events. */
export function newEvent<T extends DomainEventType>(
  deps: { ids: IdGenerator; clock: Clock },
  type: T,
  payload: DomainEventPayloads[T],
): DomainEvent<T> {
  return { eventId: deps.ids.next('event'), type, occurredAt: deps.clock.now(), payload };
}
