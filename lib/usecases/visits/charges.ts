/** What the charge use cases share: their dependencies, the guarded tab write and the tab summary. */
import { availableCreditFen, tabFen, type Visit } from '../../domain/visit';
import type { Clock } from '../../ports/clock';
import type { LedgerStore } from '../../ports/ledger-store';

/** Dependencies of the charge use cases. */
export interface ChargeDeps {
  readonly ledger: LedgerStore;
  readonly clock: Clock;
}

/** The versioned write of a visit's new tab; it only goes through while the visit is still OPEN. */
export const tabWrite = (ledger: LedgerStore, next: Visit, version: number) =>
  ledger.visits.write(next, { kind: 'status', status: ['OPEN'], version });

export const summary = (v: Visit) => ({
  tabFen: tabFen(v.charges),
  availableCreditFen: availableCreditFen(v.creditLimitFen, tabFen(v.charges)),
});
