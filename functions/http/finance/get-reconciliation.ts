/** GET /reconciliations/{id}: the report with its discrepancy lines. */
import { appDeps } from '../../../lib/config/container';
import { NotFoundError } from '../../../lib/domain/errors';
import { getReconciliation } from '../../../lib/http/contract/finance';
import { httpHandler } from '../../../lib/http/handler';
import { reconciliationSummary } from '../../../lib/usecases/views';
import { loadReconciliation } from '../../../lib/usecases/finance/reconcile';

export const handler = httpHandler(
  getReconciliation,
  async ({ params, deps }) => {
    const found = await loadReconciliation(deps, params.id);
    if (!found) throw new NotFoundError('Reconciliation', params.id);
    const { report, lines } = found;
    return {
      status: 200,
      body: {
        reconciliationId: report.reconciliationId,
        date: report.date,
        channel: report.channel,
        status: report.status,
        summary: reconciliationSummary(report.summary),
        ...(report.previousReconciliationId
          ? { previousReconciliationId: report.previousReconciliationId }
          : {}),
        ...(report.failure ? { failure: report.failure } : {}),
        createdAt: report.createdAt,
        lines: lines.map(({ txnId: _txnId, ...line }) => line),
      },
    };
  },
  appDeps,
);
