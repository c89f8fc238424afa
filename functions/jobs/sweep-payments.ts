/** Scheduled: resolves payments pending too long and refunds stuck PROCESSING by asking the providers. */
import { insuredProviderDeps } from '../../lib/config/insured-providers';
import { jobHandler, type Composed, type JobInput } from '../../lib/http/job';
import { sweepPendingPayments, sweepProcessingRefunds } from '../../lib/usecases/payments/sweep-payments';

/** Input: `{ olderThanMinutes? }` (default 5). Returns what each sweep did. */
export const handler = jobHandler(
  'sweep',
  async ({
    event,
    deps,
  }: JobInput<{ olderThanMinutes?: number } | undefined, Composed<typeof insuredProviderDeps>>) => {
    const olderThanMinutes = typeof event?.olderThanMinutes === 'number' ? event.olderThanMinutes : 5;
    const payments = await sweepPendingPayments(deps, olderThanMinutes);
    const refunds = await sweepProcessingRefunds(deps, olderThanMinutes);
    return { payments, refunds };
  },
  insuredProviderDeps,
);
