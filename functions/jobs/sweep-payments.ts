/**
 * Scheduled: resolves payments pending too long and refunds stuck PROCESSING by asking the providers, counts
 * the refunds past their expected arrival (the RefundsOverdue alarm), and
 * carries on inpatients' discharge settlements that stopped (a crash, a refund that was processing) and
 * legacy deposit refund batches.
 */
import { insuredProviderDeps } from '../../lib/config/insured-providers';
import { jobHandler, type Composed, type JobInput } from '../../lib/http/job';
import { sweepPendingPayments, sweepProcessingRefunds } from '../../lib/usecases/payments/sweep-payments';
import { forEachHospital } from '../../lib/usecases/shared/hospitals';
import { countOverdueRefunds } from '../../lib/usecases/payments/overdue-refunds';
import { sweepDischarges } from '../../lib/usecases/admissions/payment-events';
import { sweepLegacyRefunds } from '../../lib/usecases/admissions/run-legacy-refunds';

/** Input: `{ olderThanMinutes? }` (default 5). Returns what each sweep did. */
export const handler = jobHandler(
  'sweep',
  async ({
    event,
    deps,
  }: JobInput<{ olderThanMinutes?: number } | undefined, Composed<typeof insuredProviderDeps>>) => {
    const olderThanMinutes = typeof event?.olderThanMinutes === 'number' ? event.olderThanMinutes : 5;
    return forEachHospital(deps, async (scoped) => ({
      payments: await sweepPendingPayments(scoped, olderThanMinutes),
      refunds: await sweepProcessingRefunds(scoped, olderThanMinutes),
      overdueRefunds: await countOverdueRefunds(scoped),
      discharges: await sweepDischarges(scoped, olderThanMinutes),
      legacyBatches: await sweepLegacyRefunds(scoped),
    }));
  },
  insuredProviderDeps,
);
