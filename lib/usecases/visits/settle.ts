/**
 * Settle a visit: ONE settlement for the whole tab, as a persisted saga that resumes from its last
 * completed step and never captures twice.
 *
 *   0. OPEN → SETTLING: the plan is frozen (no more charges); who asked, and whether staff chose to settle
 *      as self-pay, is recorded.
 *   1. INSURANCE: book the insured part the platform settled for this tab while the patient authorised
 *      (insurance.ts), after 6301 confirms it: Dr insurance fund / personal-account receivable / Cr patient
 *      receivable. With no hold for this tab the saga waits for the patient to authorise (an older hold is
 *      refunded); if the platform is unavailable it waits and retries. It never charges the patient the
 *      insured part unless staff said so (asSelfPay, which gives any hold back).
 *   2. CAPTURE: take the self-pay part from the authorisation under ONE out_trade_no per visit (so a
 *      re-run after a crash finds the first capture instead of making a second): Dr channel clearing /
 *      Cr patient receivable. Zero self-pay captures nothing. A pending capture (Pay Score collecting)
 *      waits for PAYSCORE.USER_PAID or the next check; a failed one → PAYMENT_FAILED, retried on the
 *      policy's schedule, then OVERDUE.
 *   3. RELEASE: the rest of the authorisation. With a capture, the provider released it with the capture
 *      (Alipay auth_confirm_mode=COMPLETE, Pay Score complete), so the capture's commit settles the visit;
 *      with none, it is released explicitly here.
 * Each step is: provider call (idempotent by deterministic numbers) → one transaction that records the
 * step's result, its postings and its events, guarded by the visit's status and version.
 */
import {
  ConcurrentModificationError,
  ForbiddenError,
  InvalidStateError,
  MedpayError,
  StatusGuardError,
} from '../../domain/errors';
import { Accounts } from '../../domain/ledger/accounts';
import { journalTransaction, txnIdFor } from '../../domain/ledger/journal';
import { fen } from '../../domain/money';
import { settledBy } from '../../domain/payment';
import {
  authorisedFen,
  listedCharges,
  settlementPlan,
  tabFen,
  visitProviderNumbers,
  type InsurancePreauth,
  type Settlement,
  type Visit,
} from '../../domain/visit';
import { transition, type Versioned } from '../shared/records';
import { settlementView } from '../views';
import { creditFor, type VisitDeps, type VisitRecordDeps } from './deps';
import { confirmHold, releaseHold, resolveOrdering } from './insurance';
import { captureRequestOf, applyCaptureResult } from './capture';
import { loadVisit, visitEvent as event } from './records';

/** Who asked for the settlement and how. */
export interface SettleRequest {
  /** `<role>:<sub>` of the caller, or `job:<name>`. */
  readonly requestedBy: string;
  /** Staff only: settle the whole tab as self-pay even though the visit is insured (recorded). */
  readonly asSelfPay?: boolean;
}

/** Step 0: freezes the tab and records the plan's inputs. */
async function begin(deps: VisitDeps, current: Versioned<Visit>, request: SettleRequest) {
  const visit = current.value;
  const now = deps.clock.now();
  const settlement: Settlement = {
    step: 'INSURANCE',
    asSelfPay: request.asSelfPay ?? false,
    requestedBy: request.requestedBy,
    requestedAt: now.toISOString(),
    insuredFen: fen(0),
    personalAccountFen: fen(0),
    selfPayFen: fen(0),
    capturedFen: fen(0),
    releasedFen: fen(0),
    captureOutTradeNo: visitProviderNumbers(visit.visitId).captureOutTradeNo,
    failedAttempts: 0,
  };
  return transition(
    deps.ledger,
    deps.ledger.visits,
    current,
    { ...visit, status: 'SETTLING', settlement },
    {
      // The capture's out_trade_no is indexed now, so a provider notification about it always finds the visit.
      entities: [deps.ledger.visits.captureListing(visit, settlement.captureOutTradeNo)],
      events: [
        event(deps, 'VisitSettlementStarted', visit, { tabFen: tabFen(visit.charges), ...settlement }),
      ],
    },
  );
}

/** Step 1: books the insured part held for this tab (or records why the whole tab is self-pay). */
async function insuranceStep(deps: VisitDeps, current: Versioned<Visit>): Promise<Versioned<Visit>> {
  const tab = tabFen(current.value.charges);
  const wait = (at: Versioned<Visit>, reason: string) =>
    transition(deps.ledger, deps.ledger.visits, at, {
      ...at.value,
      settlement: {
        ...(at.value.settlement as Settlement),
        lastError: reason,
        nextAttemptAt: new Date(deps.clock.now().getTime() + deps.visits.recheckAfterMs).toISOString(),
      },
    });
  const s0 = current.value.settlement as Settlement;
  const selfPayOnly =
    !current.value.insured || s0.asSelfPay || tab === 0 || listedCharges(current.value.charges).length === 0;
  try {
    // A hold whose 6202 went unanswered is decided by 6301; one for another tab, or not wanted, is given back.
    current = await resolveOrdering(deps, current);
    // Within its first minute a 6202 may still settle: neither book nor charge around it.
    if (current.value.insurance?.status === 'ORDERING')
      return await wait(
        current,
        'An insurance settlement (6202) is on its way; the platform is asked shortly.',
      );
    const hold = current.value.insurance;
    const forThisTab = hold?.status === 'HELD' && hold.tabVersion === current.value.tabVersion;
    if (selfPayOnly || (hold?.status === 'HELD' && !forThisTab)) current = await releaseHold(deps, current);
    if (selfPayOnly) {
      const visit = current.value;
      return await transition(deps.ledger, deps.ledger.visits, current, {
        ...visit,
        settlement: {
          ...(visit.settlement as Settlement),
          step: 'CAPTURE',
          selfPayFen: settlementPlan(authorisedFen(visit), tab, undefined).captureFen,
        },
      });
    }
    if (!forThisTab || !hold)
      return await wait(
        current,
        'Waiting for the patient to authorise medical insurance for this tab (or staff to settle it as self-pay).',
      );
    // The platform has the last word on the hold before it is booked.
    await confirmHold(deps, current.value, hold);
  } catch (error) {
    // The platform is unavailable: wait and retry; never charge the insured part.
    if (error instanceof MedpayError && error.code === 'PROVIDER_UNAVAILABLE')
      return wait(current, error.message);
    throw error;
  }
  const v = current.value;
  const s = v.settlement as Settlement;
  const preauth = v.insurance as InsurancePreauth;
  // The split must cover the tab exactly and the self-pay part must fit in the authorisation.
  const plan = settlementPlan(authorisedFen(v), tab, preauth);
  return transition(
    deps.ledger,
    deps.ledger.visits,
    current,
    {
      ...v,
      insurance: { ...preauth, status: 'SETTLED' },
      settlement: {
        ...s,
        step: 'CAPTURE',
        insuredFen: preauth.insuredFen,
        personalAccountFen: preauth.personalAccountFen,
        selfPayFen: preauth.selfPayFen,
        lastError: undefined,
        nextAttemptAt: undefined,
      },
    },
    plan.insuranceFen > 0
      ? {
          journal: journalTransaction({
            txnId: txnIdFor('visit', v.visitId, 'insurance-settled'),
            occurredAt: deps.clock.now(),
            refs: {
              visitId: v.visitId,
              preauthId: preauth.preauthId,
              payOrdId: preauth.preauthId,
              channel: 'insurance',
            },
            postings: [
              // The insured parts, as an insured payment books them (zero parts left out).
              ...settledBy(v.channel, plan.insuranceFen, {
                fundFen: preauth.insuredFen,
                personalAccountFen: preauth.personalAccountFen,
                selfPayFen: fen(0),
              }).map(([account, amountFen]) => ({ account, side: 'debit' as const, amountFen })),
              {
                account: Accounts.patientReceivable(v.patientId),
                side: 'credit',
                amountFen: plan.insuranceFen,
              },
            ],
          }),
        }
      : {},
  );
}

/** Step 2: captures the self-pay part. */
async function captureStep(deps: VisitDeps, current: Versioned<Visit>): Promise<Versioned<Visit>> {
  const visit = current.value;
  const s = visit.settlement as Settlement;
  if (s.selfPayFen === 0)
    return transition(deps.ledger, deps.ledger.visits, current, {
      ...visit,
      settlement: { ...s, step: 'RELEASE' },
    });
  const result = await creditFor(deps, visit.channel).capture(captureRequestOf(current.value));
  return applyCaptureResult(deps, current, result);
}

/** Step 3: releases what is left of the authorisation, and the visit is SETTLED. */
async function releaseStep(deps: VisitDeps, current: Versioned<Visit>): Promise<Versioned<Visit>> {
  const visit = current.value;
  const s = visit.settlement as Settlement;
  if (s.capturedFen === 0)
    await creditFor(deps, visit.channel).release({
      outOrderNo: visit.outOrderNo,
      outRequestNo: visit.outRequestNo,
      authNo: visit.authorisation?.authNo,
      amountFen: authorisedFen(visit),
      reason: 'visit settled with nothing to pay',
    });
  return settled(deps, current);
}

/** The visit SETTLED: the rest of its authorisation is released (with the capture, or just now). */
function settled(deps: VisitRecordDeps, current: Versioned<Visit>): Promise<Versioned<Visit>> {
  const visit = current.value;
  const s = visit.settlement as Settlement;
  const releasedFen = fen(authorisedFen(visit) - s.capturedFen);
  const next: Visit = {
    ...visit,
    status: 'SETTLED',
    closedAt: deps.clock.now().toISOString(),
    settlement: { ...s, step: 'DONE', releasedFen },
  };
  return transition(deps.ledger, deps.ledger.visits, current, next, {
    entities: [deps.ledger.creditLocks.free(visit.patientId)],
    events: [event(deps, 'VisitSettled', visit, settlementView(next))],
  });
}

/**
 * Another run (or a provider notification) advanced the visit first: the store refused our write because
 * the version or the status no longer matched. A refused state-machine transition is not a race.
 */
const raced = (error: unknown) =>
  error instanceof ConcurrentModificationError || error instanceof StatusGuardError;

/** Runs one due step of the saga; undefined when there is nothing to do now. */
async function step(deps: VisitDeps, current: Versioned<Visit>) {
  const visit = current.value;
  const s = visit.settlement;
  if (!s || (visit.status !== 'SETTLING' && visit.status !== 'PAYMENT_FAILED')) return undefined;
  // Waiting for a retry, a platform that was down, the patient's insurance authorisation, or a pending capture: the scheduled job resumes it.
  if (s.nextAttemptAt !== undefined && new Date(s.nextAttemptAt) > deps.clock.now()) return undefined;
  if (visit.status === 'PAYMENT_FAILED') {
    const resumed = await transition(deps.ledger, deps.ledger.visits, current, {
      ...visit,
      status: 'SETTLING',
      settlement: { ...s, nextAttemptAt: undefined },
    });
    deps.metrics.count('SettlementRetries', { channel: visit.channel });
    return resumed;
  }
  if (s.step === 'INSURANCE') return insuranceStep(deps, current);
  if (s.step === 'CAPTURE') return captureStep(deps, current);
  if (s.step === 'RELEASE') return releaseStep(deps, current);
  return undefined;
}

/**
 * Finishes a settlement whose capture a provider notification just recorded: the provider released the
 * rest of the authorisation with the capture, so no provider is called (the webhooks hold no credit
 * provider). A visit another run settled first is left as it is.
 */
export async function finishCaptured(deps: VisitRecordDeps, visitId: string) {
  const current = await loadVisit(deps.ledger, visitId);
  const s = current.value.settlement;
  if (current.value.status !== 'SETTLING' || s?.step !== 'RELEASE' || s.capturedFen === 0) return;
  await settled(deps, current).catch((error: unknown) => {
    if (!raced(error)) throw error;
  });
}

/**
 * Runs the saga from wherever it stopped until it finishes or has to wait. A step that loses a race
 * (another run, or a provider notification, advanced the visit first) re-reads and carries on.
 */
export async function runSettlement(
  deps: VisitDeps,
  visitId: string,
  request?: SettleRequest,
  loaded?: Versioned<Visit>,
) {
  let current = loaded ?? (await loadVisit(deps.ledger, visitId));
  for (let guard = 0; guard < 12; guard++) {
    let next: Versioned<Visit> | undefined;
    try {
      next =
        current.value.status === 'OPEN' && request
          ? await begin(deps, current, request)
          : await step(deps, current);
    } catch (error) {
      if (!raced(error)) throw error;
      next = await loadVisit(deps.ledger, visitId);
    }
    if (!next) break;
    current = next;
  }
  return current.value;
}

/**
 * POST /visits/{id}/settle: starts or resumes the settlement; settling twice returns the same result.
 * A patient may settle only their own visit (NOT_FOUND otherwise).
 */
export async function settleVisit(
  deps: VisitDeps,
  visitId: string,
  request: SettleRequest,
  patientScope?: string,
) {
  let current = await loadVisit(deps.ledger, visitId, patientScope);
  if (request.asSelfPay && !request.requestedBy.startsWith('staff:'))
    throw new ForbiddenError('Only staff may settle an insured visit as self-pay.');
  const { status, settlement } = current.value;
  if (status === 'AWAITING_AUTHORISATION' || status === 'CANCELLED')
    throw new InvalidStateError(`Visit ${visitId} is ${status}; only an authorised visit can be settled.`, {
      visitId,
    });
  if (request.asSelfPay && settlement && !settlement.asSelfPay) {
    // Staff may switch a settlement still waiting on the insurer to self-pay (the insurance step then
    // reverses any hold); once the insured part is settled it is too late, and saying so beats ignoring it.
    if (status !== 'SETTLING' || settlement.step !== 'INSURANCE')
      throw new InvalidStateError(
        `Visit ${visitId} is ${status} and past its insurance step (${settlement.step}); it can no longer switch to self-pay.`,
        { visitId, status, step: settlement.step },
      );
    current = await transition(deps.ledger, deps.ledger.visits, current, {
      ...current.value,
      settlement: {
        ...settlement,
        asSelfPay: true,
        requestedBy: request.requestedBy,
        nextAttemptAt: undefined,
      },
    });
  }
  return runSettlement(deps, visitId, request, current);
}
