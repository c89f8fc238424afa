/** Verifies the Bearer JWT and the caller's role, and confines the request to the caller's hospital. */
import type { MiddlewareObj, Request } from '@middy/core';
import { authenticateHeader, COURIER, requireRole, verifyCourierSignature, type CallerRole } from '../auth';
import type { HttpResponse } from '../error-mapping';
import type { HttpContext, HttpDeps } from '../context';
import { header, type HttpEvent } from '../request';

/** Creates the authentication middleware; `public` routes pass through. */
export function authenticate<D extends HttpDeps>(
  auth: 'public' | readonly CallerRole[],
): MiddlewareObj<HttpEvent, HttpResponse, Error, HttpContext<D>> {
  return {
    before: async (request: Request<HttpEvent, HttpResponse, Error, HttpContext<D>>) => {
      if (auth === 'public') return;
      const authorization = header(request.event, 'authorization');
      // Routes open to couriers also take their signed callback instead of a token.
      const caller =
        !authorization && auth.includes(COURIER) && header(request.event, 'x-courier-signature')
          ? verifyCourierSignature(
              await request.context.deps.copies.courierSecret(),
              header(request.event, 'x-courier-timestamp'),
              header(request.event, 'x-courier-signature'),
              request.event.isBase64Encoded
                ? Buffer.from(request.event.body ?? '', 'base64').toString('utf8')
                : (request.event.body ?? ''),
              request.context.deps.clock.now(),
              header(request.event, 'x-hospital-id') ?? request.context.deps.hospitalId,
            )
          : await authenticateHeader(authorization, request.context.deps.auth);
      requireRole(caller, auth);
      request.context.caller = caller;
      // From here on the request reads and writes only its hospital's records: another hospital's ids are
      // simply not found in its key space (404), whatever the role.
      const { deps } = request.context;
      if (caller.hospitalId)
        request.context.deps = await deps.inHospital(deps, caller.hospitalId, { forCaller: true });
    },
  };
}
