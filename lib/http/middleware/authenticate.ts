/** Verifies the Bearer JWT and the caller's role before anything else touches the request. */
import type { MiddlewareObj, Request } from '@middy/core';
import { authenticateHeader, requireRole, type Role } from '../auth';
import type { HttpResponse } from '../error-mapping';
import type { HttpContext } from '../handler';
import { header, type HttpEvent } from '../request';

/** Creates the authentication middleware; `public` routes pass through. */
export function authenticate(
  auth: 'public' | readonly Role[],
): MiddlewareObj<HttpEvent, HttpResponse, Error, HttpContext> {
  return {
    before: async (request: Request<HttpEvent, HttpResponse, Error, HttpContext>) => {
      if (auth === 'public') return;
      const caller = await authenticateHeader(
        header(request.event, 'authorization'),
        request.context.deps.auth,
      );
      requireRole(caller, auth);
      request.context.caller = caller;
    },
  };
}
