/** GET /auth/whoami: echoes the verified caller, so integrators can check their tokens. */
import { appDeps } from '../../lib/config/container';
import { whoami } from '../../lib/http/contract/system';
import { httpHandler } from '../../lib/http/handler';

export const handler = httpHandler(
  whoami,
  ({ caller }) => ({
    status: 200,
    body: { sub: caller.sub, role: caller.role },
  }),
  appDeps,
);
