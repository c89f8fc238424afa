/** Reconciliation runs, their lines and per-line fees, reconciled days and discrepancies in the table. */
import type { Discrepancy } from '../../../domain/discrepancy';
import type { DiscrepancyLine, Reconciliation, ReconciledDay } from '../../../domain/finance';
import type { Channel } from '../../../domain/ledger/accounts';
import type { EntityWrite } from '../../../ports/entity-write';
import type {
  DiscrepancyRepository,
  PageRequest,
  ReconciliationRepository,
} from '../../../ports/repositories';
import type { EntityTable } from '../entity-table';
import { pageOf, repository, valueOf, versioned, type EntityKind } from './kind';

const runsOfDayPartition = (channel: string, date: string) => `RECONDAY#${channel}#${date}`;
const linesPartition = (reconciliationId: string) => `RECON#${reconciliationId}`;
const lineFeesPartition = (reconciliationId: string) => `LINEFEES#${reconciliationId}`;
const dayId = (channel: string, date: string) => `${channel}#${date}`;
/** byRef partition of a channel's day: its discrepancies (the close check reads it). */
const discrepancyDayPartition = (channel: string, date: string) => `DISCDAY#${channel}#${date}`;

/** Runs: listed under their channel's day, by creation. */
const RECONCILIATION: EntityKind<Reconciliation> = {
  type: 'reconciliation',
  id: (r) => r.reconciliationId,
  indexes: (r) => ({
    byTime: {
      partition: runsOfDayPartition(r.channel, r.date),
      sort: `${r.createdAt}#${r.reconciliationId}`,
    },
  }),
};

/** Discrepancies: under their channel's day, and by status (oldest day first). */
const DISCREPANCY: EntityKind<Discrepancy> = {
  type: 'discrepancy',
  id: (d) => d.discrepancyId,
  indexes: (d) => ({
    byRef: { partition: discrepancyDayPartition(d.channel, d.date), sort: d.discrepancyId },
    byTime: { partition: `DISCREPANCY#${d.status}`, sort: `${d.date}#${d.channel}#${d.discrepancyId}` },
  }),
};

/** A run's n-th item (line or fee chunk), zero-padded so the sort key keeps their order. */
const nth = (n: number, width: number) => String(n).padStart(width, '0');

/** The reconciliation repository over the table. */
export function reconciliationRepository(table: EntityTable): ReconciliationRepository {
  return {
    ...repository(table, RECONCILIATION),
    lineWrites: (reconciliationId: string, from: number, lines: readonly DiscrepancyLine[]) =>
      lines.map((line, j): EntityWrite => ({
        type: 'reconline',
        id: `${reconciliationId}#${nth(from + j, 8)}`,
        state: line,
        expect: { kind: 'absent' },
        indexes: { byTime: { partition: linesPartition(reconciliationId), sort: nth(from + j, 8) } },
      })),
    lines: async (reconciliationId: string, limit: number) =>
      (await table.listByTime(linesPartition(reconciliationId), '~', limit)).map((e) =>
        valueOf<DiscrepancyLine>(e),
      ),
    lineFeesWrite: (reconciliationId: string, chunk: number, fees: Readonly<Record<string, number>>) => ({
      type: 'linefees',
      id: `${reconciliationId}#${nth(chunk, 6)}`,
      state: { fees },
      expect: { kind: 'absent' },
      indexes: { byTime: { partition: lineFeesPartition(reconciliationId), sort: nth(chunk, 6) } },
    }),
    lineFees: async function* (reconciliationId: string) {
      for await (const chunk of table.scanByTime(lineFeesPartition(reconciliationId), '~'))
        yield valueOf<{ fees: Record<string, number> }>(chunk).fees;
    },
    runsOfDay: async function* (channel: Channel, date: string) {
      for await (const e of table.scanByTime(runsOfDayPartition(channel, date), '~'))
        yield valueOf<Reconciliation>(e);
    },
    day: async (channel: Channel, date: string) => {
      const stored = await table.getEntity('reconday', dayId(channel, date));
      return stored && versioned<ReconciledDay>(stored);
    },
    dayWrite: (day: ReconciledDay, current) => ({
      type: 'reconday',
      id: dayId(day.channel, day.date),
      state: day,
      expect: current ? { kind: 'version', version: current.version } : { kind: 'absent' },
    }),
  };
}

/** The discrepancy repository over the table. */
export function discrepancyRepository(table: EntityTable): DiscrepancyRepository {
  return {
    ...repository(table, DISCREPANCY),
    pageByStatus: (status, page: PageRequest) =>
      pageOf<Discrepancy>(table, 'byTime', `DISCREPANCY#${status}`, page),
    pageOfDay: (channel: Channel, date: string, page: PageRequest) =>
      pageOf<Discrepancy>(table, 'byRef', discrepancyDayPartition(channel, date), page),
  };
}
