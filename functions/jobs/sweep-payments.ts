/** Scheduled: resolves payments pending too long and refunds stuck PROCESSING by asking the providers. */
import { providerDeps } from '../../lib/config/providers';
import { sweepPendingPayments, sweepProcessingRefunds } from '../../lib/usecases/payments/sweep-payments';

/** Input: `{ olderThanMinutes? }` (default 5). Returns what each sweep did. */
export const handler = async (event: { olderThanMinutes?: number } = {}) => {
  const deps = await providerDeps();
  const olderThanMinutes = typeof event.olderThanMinutes === 'number' ? event.olderThanMinutes : 5;
  const payments = await sweepPendingPayments(deps, olderThanMinutes);
  const refunds = await sweepProcessingRefunds(deps, olderThanMinutes);
  deps.logger.info('sweep finished', { payments, refunds });
  return { payments, refunds };
};
