/** POST /legacy-deposits/refunds: records the batch, refunds a first share within the request, the sweep the rest. */
import { insuredProviderDeps } from '../../../lib/config/insured-providers';
import { refundLegacyDeposits } from '../../../lib/http/contract/admissions/legacy-refunds';
import { httpHandler } from '../../../lib/http/handler';
import { legacyBatchView, refundLegacyBalances } from '../../../lib/usecases/admissions/legacy-refunds';

export const handler = httpHandler(
  refundLegacyDeposits,
  async ({ body, deps, requestKey }) => ({
    status: 202,
    body: legacyBatchView(await refundLegacyBalances(deps, { ...body, requestKey })),
  }),
  insuredProviderDeps,
);
