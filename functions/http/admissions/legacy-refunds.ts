/** POST /legacy-deposits/refunds: records the batch, refunds a first share within the request, the sweep the rest. */
import { insuredProviderDeps } from '../../../lib/config/insured-providers';
import { refundLegacyDeposits } from '../../../lib/http/contract/admissions/legacy-refunds';
import { httpHandler } from '../../../lib/http/handler';
import { legacyBatchView, startLegacyRefunds } from '../../../lib/usecases/admissions/legacy-refunds';
import { runLegacyRefunds } from '../../../lib/usecases/admissions/run-legacy-refunds';

export const handler = httpHandler(
  refundLegacyDeposits,
  async ({ body, deps, requestKey }) => {
    const batch = await startLegacyRefunds(deps, { ...body, requestKey });
    // API Gateway waits 30 s: work 15 s on it here and leave the rest to the sweep.
    const now = await runLegacyRefunds(deps, batch.batchId, { budgetMs: 15_000, concurrency: 8 });
    return { status: 202, body: legacyBatchView(now) };
  },
  insuredProviderDeps,
);
