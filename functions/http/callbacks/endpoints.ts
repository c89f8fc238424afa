/** /notification-endpoints (admin): register, list, reveal the secret, disable, rotate the secret. */
import { appDeps } from '../../../lib/config/container';
import { createNotificationEndpoint as createNotificationEndpointRoute } from '../../../lib/http/contract/callbacks/create-notification-endpoint';
import { disableNotificationEndpoint as disableNotificationEndpointRoute } from '../../../lib/http/contract/callbacks/disable-notification-endpoint';
import { getNotificationEndpointSecret as getNotificationEndpointSecretRoute } from '../../../lib/http/contract/callbacks/get-notification-endpoint-secret';
import { listNotificationEndpoints as listNotificationEndpointsRoute } from '../../../lib/http/contract/callbacks/list-notification-endpoints';
import { rotateNotificationEndpointSecret as rotateNotificationEndpointSecretRoute } from '../../../lib/http/contract/callbacks/rotate-notification-endpoint-secret';
import { httpHandler } from '../../../lib/http/handler';
import { httpRouter } from '../../../lib/http/router';
import {
  disableEndpointById,
  listEndpoints,
  registerEndpoint,
  revealSecret,
  rotateSecret,
} from '../../../lib/usecases/callbacks/endpoints';

export const handler = httpRouter([
  [
    createNotificationEndpointRoute,
    httpHandler(
      createNotificationEndpointRoute,
      async ({ body, caller, deps, requestKey }) => ({
        status: 201,
        body: await registerEndpoint(deps, {
          ...body,
          createdBy: `${caller.role}:${caller.sub}`,
          requestKey,
        }),
      }),
      appDeps,
    ),
  ],
  [
    listNotificationEndpointsRoute,
    httpHandler(
      listNotificationEndpointsRoute,
      async ({ deps }) => ({ status: 200, body: await listEndpoints(deps) }),
      appDeps,
    ),
  ],
  [
    getNotificationEndpointSecretRoute,
    httpHandler(
      getNotificationEndpointSecretRoute,
      async ({ params, deps }) => ({
        status: 200,
        body: await revealSecret(deps, params.endpointId),
        headers: { 'Cache-Control': 'no-store' },
      }),
      appDeps,
    ),
  ],
  [
    disableNotificationEndpointRoute,
    httpHandler(
      disableNotificationEndpointRoute,
      async ({ params, deps }) => ({ status: 200, body: await disableEndpointById(deps, params.endpointId) }),
      appDeps,
    ),
  ],
  [
    rotateNotificationEndpointSecretRoute,
    httpHandler(
      rotateNotificationEndpointSecretRoute,
      async ({ params, body, deps }) => ({
        status: 200,
        body: await rotateSecret(deps, params.endpointId, body.overlapSeconds),
      }),
      appDeps,
    ),
  ],
]);
