/** Notification endpoints, callback deliveries and delivery lanes in the table. */
import type { CallbackDelivery, DeliveryLane, NotificationEndpoint } from '../../../domain/callbacks';
import type {
  DeliveryRepository,
  EndpointRepository,
  PageRequest,
  Repository,
} from '../../../ports/repositories';
import type { EntityTable } from '../entity-table';
import { pageOf, repository, valueOf, versioned, type EntityKind } from './kind';

/** byTime partition of every endpoint, by creation. */
const ENDPOINTS = 'CALLBACK#ENDPOINTS';
/** byTime partition of pending deliveries, by when their next attempt is due. */
const DUE = 'CALLBACK#DUE';
/** byRef partition of an event's deliveries. */
const eventDeliveries = (eventId: string) => `CALLBACK#EVENT#${eventId}`;

/** Endpoints, listed by creation. */
const ENDPOINT: EntityKind<NotificationEndpoint> = {
  type: 'endpoint',
  id: (e) => e.endpointId,
  indexes: (e) => ({ byTime: { partition: ENDPOINTS, sort: `${e.createdAt}#${e.endpointId}` } }),
};

/** Deliveries: under their event always, in the due list while PENDING. */
const DELIVERY: EntityKind<CallbackDelivery> = {
  type: 'delivery',
  id: (d) => d.deliveryId,
  indexes: (d) => ({
    byRef: { partition: eventDeliveries(d.eventId), sort: `${d.createdAt}#${d.deliveryId}` },
    ...(d.status === 'PENDING' && d.nextAttemptAt
      ? { byTime: { partition: DUE, sort: `${d.nextAttemptAt}#${d.deliveryId}` } }
      : {}),
  }),
};

/** The endpoint repository over the table. */
export function endpointRepository(table: EntityTable): EndpointRepository {
  return {
    ...repository(table, ENDPOINT),
    all: async () => {
      const out: NotificationEndpoint[] = [];
      for await (const e of table.scanByTime(ENDPOINTS, '\uffff')) out.push(valueOf<NotificationEndpoint>(e));
      return out;
    },
  };
}

/** The delivery repository over the table. */
export function deliveryRepository(table: EntityTable): DeliveryRepository {
  return {
    ...repository(table, DELIVERY),
    ofEvent: (eventId: string, page: PageRequest) =>
      pageOf<CallbackDelivery>(table, 'byRef', eventDeliveries(eventId), page),
    dueBy: async (at: string, limit: number) =>
      (await table.listByTime(DUE, `${at}#\uffff`, limit)).map((e) => versioned<CallbackDelivery>(e)),
  };
}

/** Delivery lanes, by endpoint × entity. */
export const laneRepository = (table: EntityTable): Repository<DeliveryLane> =>
  repository<DeliveryLane>(table, { type: 'callbacklane', id: (l) => l.lane });
