/**
 * GET /openapi.json: the OpenAPI document of the route contract, generated ahead of time by `npm run openapi`
 * (a test keeps it equal to the contract), so the function bundles JSON instead of zod and zod-openapi.
 */
import document from '../../lib/http/contract/openapi.json';
import { staticHandler } from '../../lib/http/static';

export const handler = staticHandler(JSON.stringify(document));
