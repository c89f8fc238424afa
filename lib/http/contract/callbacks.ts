/**
 * Callbacks to the hospital's systems (HIS): endpoints (admin), and the event log a HIS catches up from.
 * Each callback is a POST of `{id,type,createdAt,data}` with Medpay-Signature, Medpay-Event-Id and
 * Medpay-Event-Type (README "Callbacks to the HIS").
 */
export { createNotificationEndpoint } from './callbacks/create-notification-endpoint';
export { listNotificationEndpoints } from './callbacks/list-notification-endpoints';
export { getNotificationEndpointSecret } from './callbacks/get-notification-endpoint-secret';
export { disableNotificationEndpoint } from './callbacks/disable-notification-endpoint';
export { rotateNotificationEndpointSecret } from './callbacks/rotate-notification-endpoint-secret';
export { listEvents } from './callbacks/list-events';
export { getEvent } from './callbacks/get-event';
export { redeliverEvent } from './callbacks/redeliver-event';
