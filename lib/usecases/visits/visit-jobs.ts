/**
 * The scheduled visit job, every few minutes:
 *   1. expire authorisations not confirmed in time (asking the provider first: a notification may be lost);
 *   2. auto-settle visits opened before the latest cut-off (e.g. 20:00 Asia/Shanghai), booking their
 *      insurance holds;
 *   3. resolve insurance holds whose 6202 went unanswered (6301), refund holds unbooked by their expiry;
 *   4. resume settlements that are due (platform back, patient authorised, capture retry, pending capture check);
 *   5. release authorisations of cancelled or paid-off visits the provider has not confirmed released.
 * Each visit is handled on its own: one failure is counted and does not stop the others.
 */
import { businessDayBounds, businessDayOf } from '../../domain/business-day';
import { tabFen, type Visit } from '../../domain/visit';
import { refreshAuthorisation } from './authorisation';
import { cancelVisit, releaseAuthorisation } from './cancel';
import type { VisitDeps } from './deps';
import { releaseHold, resolveOrdering } from './insurance';
import { loadVisit } from './records';
import { runSettlement } from './settle';

/** The latest auto-settle cut-off at or before `now` (minutes after Beijing midnight). */
export function latestCutOff(now: Date, minuteOfDay: number): Date {
  const today = businessDayBounds(businessDayOf(now)).start.getTime() + minuteOfDay * 60_000;
  return new Date(today > now.getTime() ? today - 86_400_000 : today);
}

/** What one run did. */
export interface VisitJobReport {
  expiredAuthorisations: number;
  expiredPreauths: number;
  autoSettled: number;
  resumed: number;
  released: number;
  failed: number;
}

/** Runs every visit job once. */
export async function runVisitJobs(deps: VisitDeps, limit = 100): Promise<VisitJobReport> {
  const now = deps.clock.now();
  const report: VisitJobReport = {
    expiredAuthorisations: 0,
    expiredPreauths: 0,
    autoSettled: 0,
    resumed: 0,
    released: 0,
    failed: 0,
  };
  const handle = async (
    visitId: string,
    work: (visitId: string) => Promise<boolean>,
    key: keyof VisitJobReport,
  ) => {
    try {
      if (await work(visitId)) report[key] += 1;
    } catch {
      report.failed += 1;
    }
  };
  // Work that takes a visit out of its partition (or pushes it later) drains it `limit` visits per run.
  const each = async (
    due: Promise<Visit[]>,
    work: (visitId: string) => Promise<boolean>,
    key: keyof VisitJobReport,
  ) => {
    for (const visit of await due) await handle(visit.visitId, work, key);
  };

  await each(
    deps.ledger.visits.dueBy('AWAITING_AUTHORISATION', now.toISOString(), limit),
    async (visitId) => {
      const current = await loadVisit(deps.ledger, visitId);
      if ((await refreshAuthorisation(deps, current)) === 'AUTHORISED') return false;
      await cancelVisit(deps, visitId, undefined, 'authorisation not confirmed in time');
      return true;
    },
    'expiredAuthorisations',
  );

  // OPEN visits sort by creation: those opened before the latest cut-off are settled (or cancelled if empty).
  const cutOff = latestCutOff(now, deps.visits.autoSettleAtMinute);
  await each(
    deps.ledger.visits.openedBefore(cutOff.toISOString(), limit),
    async (visitId) => {
      const { value: visit } = await loadVisit(deps.ledger, visitId);
      if (visit.status !== 'OPEN') return false;
      if (tabFen(visit.charges) === 0)
        await cancelVisit(deps, visitId, undefined, 'nothing charged by the cut-off');
      else await runSettlement(deps, visitId, { requestedBy: 'job:auto-settle' });
      return true;
    },
    'autoSettled',
  );

  // Insurance holds unanswered or past their expiry: every OPEN visit is looked at, page by page.
  for await (const open of deps.ledger.visits.allDueBy('OPEN', now.toISOString()))
    await handle(
      open.visitId,
      async (visitId) => {
        const current = await loadVisit(deps.ledger, visitId);
        const p = current.value.insurance;
        // A hold whose 6202 went unanswered is decided by 6301; one unbooked by its expiry is refunded.
        const expired = p?.status === 'HELD' && new Date(p.expiresAt) <= now;
        if (current.value.status !== 'OPEN' || (p?.status !== 'ORDERING' && !expired)) return false;
        const resolved = await resolveOrdering(deps, current);
        if (expired) await releaseHold(deps, resolved);
        return true;
      },
      'expiredPreauths',
    );

  for (const status of ['SETTLING', 'PAYMENT_FAILED'] as const)
    await each(
      deps.ledger.visits.dueBy(status, now.toISOString(), limit),
      async (visitId) => {
        await runSettlement(deps, visitId);
        return true;
      },
      'resumed',
    );

  for (const status of ['CANCELLED', 'SETTLED'] as const)
    await each(
      deps.ledger.visits.dueBy(status, now.toISOString(), limit),
      async (visitId) => (await releaseAuthorisation(deps, visitId)).authorisationReleased === true,
      'released',
    );
  return report;
}
