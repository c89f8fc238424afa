/** Finance routes (API.md, Finance): statements and reconciliations. */
export { getStatement } from './finance/get-statement';
export { createReconciliation } from './finance/create-reconciliation';
export { getReconciliation } from './finance/get-reconciliation';
export { listReconciliations } from './finance/list-reconciliations';
export { listDiscrepancies } from './finance/list-discrepancies';
export { getDiscrepancy } from './finance/get-discrepancy';
export { resolveDiscrepancy } from './finance/resolve-discrepancy';
export { closeFinanceDay } from './finance/close-finance-day';
