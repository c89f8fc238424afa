/** GET /health: liveness, without touching DynamoDB or secrets beyond the container. */
import { appDeps } from '../../lib/config/container';
import { health } from '../../lib/http/contract/system';
import { httpHandler } from '../../lib/http/handler';

export const handler = httpHandler(health, () => ({ status: 200, body: { status: 'ok' } }), appDeps);
