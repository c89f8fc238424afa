/**
 * Callbacks to the hospital's own systems (HIS), as Stripe's webhook endpoints: the endpoints a HIS
 * registers, each delivery of an event to one of them, its attempts, and the retry schedule. Pure.
 */
import { InvalidStateError, ValidationError } from './errors';
import { DOMAIN_EVENT_TYPES, type DomainEventType } from './events';

/** `*` subscribes an endpoint to every event type, present and future. */
export type EventSubscription = DomainEventType | '*';

export type EndpointStatus = 'ACTIVE' | 'DISABLED';

/** A HIS endpoint. Its signing secret is derived from the stage's key and `secretVersion`, never stored. */
export interface NotificationEndpoint {
  readonly endpointId: string;
  readonly url: string;
  readonly events: readonly EventSubscription[];
  readonly description: string;
  readonly status: EndpointStatus;
  readonly secretVersion: number;
  /** After a rotation, the previous secret still signs (a second v1) until this instant. */
  readonly previousSecretExpiresAt?: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
}

export type DeliveryStatus = 'PENDING' | 'DELIVERED' | 'FAILED';

/** One POST to the endpoint: the HTTP status it answered, or why no answer came. */
export interface DeliveryAttempt {
  readonly at: string;
  readonly httpStatus?: number;
  readonly error?: string;
  readonly durationMs: number;
}

/** One event on its way to one endpoint. */
export interface CallbackDelivery {
  readonly deliveryId: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly endpointId: string;
  /** Deliveries in one lane (endpoint × entity) go one at a time, oldest event first. */
  readonly lane: string;
  readonly status: DeliveryStatus;
  readonly attempts: readonly DeliveryAttempt[];
  /** When the next attempt is due (PENDING only). */
  readonly nextAttemptAt?: string;
  /** No attempt is made after this: the delivery ends FAILED (24 h after it was created by default). */
  readonly giveUpAt: string;
  readonly createdAt: string;
  /** Set on a delivery asked for by POST /events/{id}/redeliver: who asked. */
  readonly redeliveredBy?: string;
}

/** The most attempts kept on a delivery (24 h of doubling delays from 30 s is about 30). */
export const MAX_RECORDED_ATTEMPTS = 50;

/** Checks a registration's subscriptions: known event types or `*`, at least one, no repeats. */
export function assertSubscriptions(events: readonly string[]): asserts events is EventSubscription[] {
  const known = new Set<string>([...DOMAIN_EVENT_TYPES, '*']);
  const unknown = events.filter((e) => !known.has(e));
  if (events.length === 0 || unknown.length > 0 || new Set(events).size !== events.length)
    throw new ValidationError('events must list known event types (or "*"), each once.', [
      {
        path: 'body.events',
        message: unknown.length ? `unknown: ${unknown.join(', ')}` : 'empty or repeated',
      },
    ]);
}

/** Checks an endpoint URL: absolute http(s) without credentials; https unless the stage allows http. */
export function assertEndpointUrl(url: string, allowHttp: boolean): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  const scheme = parsed?.protocol;
  const problem = !parsed
    ? 'not an absolute URL'
    : scheme !== 'https:' && !(allowHttp && scheme === 'http:')
      ? allowHttp
        ? 'must be http or https'
        : 'must be https'
      : parsed.username || parsed.password
        ? 'must not carry credentials'
        : parsed.hash
          ? 'must not have a fragment'
          : undefined;
  if (problem)
    throw new ValidationError(`The endpoint url ${problem}.`, [{ path: 'body.url', message: problem }]);
}

/** True when the endpoint is active and subscribed to this event type. */
export const subscribes = (endpoint: NotificationEndpoint, type: string) =>
  endpoint.status === 'ACTIVE' && (endpoint.events.includes('*') || endpoint.events.includes(type as never));

/** Disables an endpoint (no new deliveries; pending ones end FAILED at their next attempt). */
export function disableEndpoint(endpoint: NotificationEndpoint, now: Date): NotificationEndpoint {
  if (endpoint.status === 'DISABLED')
    throw new InvalidStateError(`Endpoint ${endpoint.endpointId} is already disabled.`, {
      endpointId: endpoint.endpointId,
    });
  return { ...endpoint, status: 'DISABLED', updatedAt: now.toISOString() };
}

/** A new secret version; the previous one keeps signing alongside for `overlapSec` (0: stops at once). */
export function rotateEndpointSecret(
  endpoint: NotificationEndpoint,
  now: Date,
  overlapSec: number,
): NotificationEndpoint {
  if (endpoint.status === 'DISABLED')
    throw new InvalidStateError(`Endpoint ${endpoint.endpointId} is disabled.`, {
      endpointId: endpoint.endpointId,
    });
  const { previousSecretExpiresAt: _, ...rest } = endpoint;
  return {
    ...rest,
    secretVersion: endpoint.secretVersion + 1,
    ...(overlapSec > 0
      ? { previousSecretExpiresAt: new Date(now.getTime() + overlapSec * 1000).toISOString() }
      : {}),
    updatedAt: now.toISOString(),
  };
}

/** The secret versions that sign now: the current one, and the previous one while its overlap lasts. */
export function signingVersions(endpoint: NotificationEndpoint, now: Date): number[] {
  const previousValid =
    endpoint.previousSecretExpiresAt !== undefined && new Date(endpoint.previousSecretExpiresAt) > now;
  return previousValid ? [endpoint.secretVersion, endpoint.secretVersion - 1] : [endpoint.secretVersion];
}

/**
 * The entity an event is about, for ordering: an admission's, a visit's or a copy request's events, and a
 * payment's with its refunds', reach an endpoint in the order they happened.
 */
export function subjectOf(eventId: string, payload: Readonly<Record<string, unknown>>): string {
  for (const key of ['admissionId', 'visitId', 'copyRequestId', 'paymentId', 'refundId'])
    if (typeof payload[key] === 'string') return payload[key];
  return eventId;
}

/**
 * Delay before attempt `n + 1` after `n` failed attempts: `baseMs` doubling each time, at most one hour
 * (30 s, 1 min, 2 min … 1 h, 1 h … with the default base).
 */
export function retryDelayMs(failedAttempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, failedAttempts - 1), 3_600_000);
}

/** A 2xx answer is a delivery; anything else (or no answer) is retried. */
export const delivered = (attempt: DeliveryAttempt) =>
  attempt.httpStatus !== undefined && attempt.httpStatus >= 200 && attempt.httpStatus < 300;

/**
 * The delivery after one attempt: DELIVERED on a 2xx; else PENDING with the next attempt scheduled, or
 * FAILED once that would fall after `giveUpAt` (or the endpoint is gone).
 */
export function afterAttempt(
  delivery: CallbackDelivery,
  attempt: DeliveryAttempt,
  baseMs: number,
  endpointActive: boolean,
): CallbackDelivery {
  const attempts = [...delivery.attempts, attempt].slice(-MAX_RECORDED_ATTEMPTS);
  const { nextAttemptAt: _, ...rest } = delivery;
  if (delivered(attempt)) return { ...rest, attempts, status: 'DELIVERED' };
  const next = new Date(new Date(attempt.at).getTime() + retryDelayMs(attempts.length, baseMs));
  if (!endpointActive || next > new Date(delivery.giveUpAt)) return { ...rest, attempts, status: 'FAILED' };
  return { ...rest, attempts, status: 'PENDING', nextAttemptAt: next.toISOString() };
}

/** The JSON body a HIS receives: the event's id, type, time and data (its payload). */
export function callbackBody(event: {
  eventId: string;
  type: string;
  occurredAt: Date;
  payload: Readonly<Record<string, unknown>>;
}): string {
  return JSON.stringify({
    id: event.eventId,
    type: event.type,
    createdAt: event.occurredAt.toISOString(),
    data: event.payload,
  });
}

/** The deliveries waiting in one lane (endpoint × entity), in the order they go. */
export interface DeliveryLane {
  readonly lane: string;
  readonly queue: readonly { readonly eventId: string; readonly deliveryId: string }[];
}
