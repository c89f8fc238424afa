/** GET /legacy-deposits/refunds/{batchId}: a legacy-balance batch's progress and its failures. */
import { appDeps } from '../../../lib/config/container';
import { getLegacyRefunds } from '../../../lib/http/contract/admissions/legacy-refunds';
import { httpHandler } from '../../../lib/http/handler';
import { getLegacyBatch } from '../../../lib/usecases/admissions/legacy-refunds';

export const handler = httpHandler(
  getLegacyRefunds,
  async ({ params, deps }) => ({
    status: 200,
    body: await getLegacyBatch(deps, params.batchId),
  }),
  appDeps,
);
