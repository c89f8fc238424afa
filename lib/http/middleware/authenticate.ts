/** Verifies the Bearer JWT and the caller's role before anything else touches the request. */
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
            )
          : await authenticateHeader(authorization, request.context.deps.auth);
      requireRole(caller, auth);
      request.context.caller = caller;
    },
  };
}
