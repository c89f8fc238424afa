/** EventPublisher port: delivers domain events (PaymentSucceeded, RefundSucceeded …) to subscribers. */
import type { OutboxEvent } from './ledger-store';

/**
 * Publishes events; throws if any was not accepted, so the outbox keeps it for the next relay.
 * @example await publisher.publish([{ eventId, type: 'PaymentSucceeded', occurredAt, payload }]);
 */
export interface EventPublisher {
  publish(events: readonly OutboxEvent[]): Promise<void>;
}

/** The outbox written by LedgerStore.commit, read by the relay. */
export interface OutboxStore {
  /** Oldest unpublished events first. */
  pending(limit: number): Promise<OutboxEvent[]>;
  /** Marks events published (idempotent). */
  markPublished(eventIds: readonly string[], at: Date): Promise<void>;
}
