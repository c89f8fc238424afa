/** GET /openapi.json: the OpenAPI document generated from the route contract. */
import { appDeps } from '../../lib/config/container';
import { allRoutes } from '../../lib/http/contract';
import { openapi } from '../../lib/http/contract/system';
import { httpHandler } from '../../lib/http/handler';
import { openApiDocument } from '../../lib/http/openapi';

let document: string | undefined;

export const handler = httpHandler(
  openapi,
  () => {
    document ??= JSON.stringify(openApiDocument(allRoutes));
    return { status: 200, raw: { contentType: 'application/json', body: document } };
  },
  appDeps,
);
