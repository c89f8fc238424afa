/** GET /health: liveness. Builds nothing (no container, no DynamoDB, no secrets), so it answers in an empty cold start. */
import { staticHandler } from '../../lib/http/static';

export const handler = staticHandler(JSON.stringify({ status: 'ok' }));
