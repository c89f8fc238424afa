/** EventPublisher port: delivers domain events (PaymentSucceeded, RefundSucceeded …) to subscribers. */
import type { BusinessDay } from '../domain/business-day';
import type { OutboxEvent } from './ledger-store';

/**
 * Publishes events; throws if any was not accepted, so the outbox keeps it for the next relay.
 * @example await publisher.publish([{ eventId, type: 'PaymentSucceeded', occurredAt, payload }], 'default');
 */
export interface EventPublisher {
  /** Publishes events of one hospital (its id travels with each event). */
  publish(events: readonly OutboxEvent[], hospitalId: string): Promise<void>;
}

/** The outbox written by LedgerStore.commit, read by the relay; it keeps every event (GET /events). */
export interface OutboxStore {
  /** Oldest unpublished events first. */
  pending(limit: number): Promise<OutboxEvent[]>;
  /** Marks events published (idempotent). */
  markPublished(eventIds: readonly string[], at: Date): Promise<void>;
  /** One event by id, or undefined. */
  get(eventId: string): Promise<OutboxEvent | undefined>;
  /**
   * A business day's events with ids above `after` (all when undefined), in id order, up to `limit`;
   * `more` when the day has further events.
   */
  pageOfDay(
    day: BusinessDay,
    after: string | undefined,
    limit: number,
  ): Promise<{ events: OutboxEvent[]; more: boolean }>;
}
