/** /notification-endpoints (admin): register, list, reveal the secret, disable, rotate the secret. */
import { appDeps } from '../../../lib/config/container';
import * as contract from '../../../lib/http/contract/callbacks';
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
    contract.createNotificationEndpoint,
    httpHandler(
      contract.createNotificationEndpoint,
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
    contract.listNotificationEndpoints,
    httpHandler(
      contract.listNotificationEndpoints,
      async ({ deps }) => ({ status: 200, body: await listEndpoints(deps) }),
      appDeps,
    ),
  ],
  [
    contract.getNotificationEndpointSecret,
    httpHandler(
      contract.getNotificationEndpointSecret,
      async ({ params, deps }) => ({
        status: 200,
        body: await revealSecret(deps, params.endpointId),
        headers: { 'Cache-Control': 'no-store' },
      }),
      appDeps,
    ),
  ],
  [
    contract.disableNotificationEndpoint,
    httpHandler(
      contract.disableNotificationEndpoint,
      async ({ params, deps }) => ({ status: 200, body: await disableEndpointById(deps, params.endpointId) }),
      appDeps,
    ),
  ],
  [
    contract.rotateNotificationEndpointSecret,
    httpHandler(
      contract.rotateNotificationEndpointSecret,
      async ({ params, body, deps }) => ({
        status: 200,
        body: await rotateSecret(deps, params.endpointId, body.overlapSeconds),
      }),
      appDeps,
    ),
  ],
]);
