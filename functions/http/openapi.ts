/**
 * GET /openapi.json: the OpenAPI document of the route contract, generated ahead of time by `npm run openapi`
 * (a test keeps it equal to the contract) as one string, so the function bundles neither zod nor
 * zod-openapi, and parses no object literal at cold start.
 */
import document from '../../lib/http/contract/openapi-text';
import { staticHandler } from '../../lib/http/static';

export const handler = staticHandler(document);
