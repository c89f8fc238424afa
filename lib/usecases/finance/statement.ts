/**
 * Export a day's statement as a file (CSV or XLSX) into the file store and return a download link.
 *
 *   1. Refuse a malformed or future business day (400).
 *   2. Read the day's journal rows from the ledger, in time order, and total them as they stream.
 *   3. Write them through the format's writer into the file store.
 *   4. Return the file's key, its totals and a presigned link valid 15 minutes.
 *
 * The same call serves GET /statements/{date} (302 to the link) and the daily statement job.
 */
import { assertPastOrToday } from '../../domain/finance';
import type { Channel } from '../../domain/ledger/accounts';
import type { Clock } from '../../ports/clock';
import type { FileStore } from '../../ports/file-store';
import type { LedgerStore } from '../../ports/ledger-store';
import type { StatementWriter } from '../../ports/statement-writer';
import { emptyTotals, statementRows } from './statement-rows';

export type { StatementWriter } from '../../ports/statement-writer';

/** Dependencies: the hospital's ledger, a clock, the file store and the writers by format. */
export interface StatementDeps {
  /** The hospital whose statement it is: its files live under its own prefix. */
  readonly hospitalId: string;
  readonly ledger: LedgerStore;
  readonly clock: Clock;
  readonly files: FileStore;
  readonly statementWriters: Readonly<Record<'csv' | 'xlsx', StatementWriter>>;
}

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/** Exports the statement and returns its key, a download URL valid `ttlSec`, and the totals. */
export async function exportStatement(
  deps: StatementDeps,
  input: { date: string; channel?: Channel; format: 'csv' | 'xlsx' },
  ttlSec = 900,
) {
  assertPastOrToday(input.date, deps.clock.now()); // 400 before any file is started
  const totals = emptyTotals();
  const rows = statementRows(deps, input.date, input.channel, totals);
  const scope = input.channel ?? 'all';
  // Each hospital's files under its own prefix: two hospitals' statements of a day never share a key.
  const key = `statements/${deps.hospitalId}/${input.date}/medpay-${deps.hospitalId}-${input.date}-${scope}.${input.format}`;
  const title = `medpay ${deps.hospitalId} ${input.date} ${scope} (Asia/Shanghai)`;
  await deps.files.put(key, CONTENT_TYPES[input.format], (out) =>
    deps.statementWriters[input.format](rows, totals, title, out),
  );
  return { key, url: await deps.files.downloadUrl(key, ttlSec), totals };
}
