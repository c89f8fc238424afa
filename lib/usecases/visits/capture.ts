/**
 * The capture of a visit's self-pay part: the request sent to the credit provider (the same numbers every
 * time), and what medpay records of the provider's answer, whether it comes from the settlement saga
 * (settle.ts) or from a provider notification (apply-event.ts).
 */
import { Accounts } from '../../domain/ledger/accounts';
import { journalTransaction, txnIdFor } from '../../domain/ledger/journal';
import { fen } from '../../domain/money';
import {
  authorisedFen,
  nextCaptureAttempt,
  tabFen,
  type Settlement,
  type Visit,
  type VisitStatus,
} from '../../domain/visit';
import type { CaptureRequest, CaptureState } from '../../ports/credit-provider';
import { transition, type Versioned } from '../shared/records';
import { settlementView } from '../views';
import type { VisitDeps, VisitRecordDeps } from './deps';
import { visitEvent as event } from './records';

/** The capture request of a visit (same numbers every time). */
export function captureRequestOf(visit: Visit): CaptureRequest {
  const s = visit.settlement as Settlement;
  const live = visit.charges.filter((c) => !c.voided);
  const total = tabFen(visit.charges);
  // The patient sees the self-pay part as one line per category, scaled down when insurance paid part.
  return {
    outOrderNo: visit.outOrderNo,
    outTradeNo: s.captureOutTradeNo,
    authNo: visit.authorisation?.authNo ?? '',
    amountFen: s.selfPayFen,
    authorisedFen: authorisedFen(visit),
    description: `就医自付 ${visit.visitId}`,
    lines:
      s.selfPayFen === total
        ? live.map((c) => ({ name: c.description || c.category, amountFen: c.amountFen }))
        : [{ name: '医保结算后自付', amountFen: s.selfPayFen }],
    payer: visit.payer as unknown as CaptureRequest['payer'],
  };
}

/** Records a successful capture with its postings; the visit is SETTLED. */
export async function recordCapture(
  deps: VisitRecordDeps,
  current: Versioned<Visit>,
  captured: CaptureState,
): Promise<Versioned<Visit>> {
  const visit = current.value;
  const s = visit.settlement as Settlement;
  if (s.captureStatus === 'SUCCEEDED') return current;
  const amountFen = s.selfPayFen;
  // Capturing released the rest of the authorisation at the provider (Alipay auth_confirm_mode=COMPLETE,
  // Pay Score complete): the release step has nothing left to call, so the visit is settled here.
  const authorised = authorisedFen(visit);
  const next: Visit = {
    ...visit,
    status: 'SETTLED',
    closedAt: deps.clock.now().toISOString(),
    settlement: {
      ...s,
      step: 'DONE',
      captureStatus: 'SUCCEEDED',
      capturedFen: amountFen,
      releasedFen: fen(authorised - amountFen),
      providerTradeNo: captured.providerTradeNo,
      lastError: undefined,
      nextAttemptAt: undefined,
    },
  };
  return transition(deps.ledger, deps.ledger.visits, current, next, {
    entities: [deps.ledger.creditLocks.free(visit.patientId)],
    journal: journalTransaction({
      txnId: txnIdFor('visit', visit.visitId, 'captured'),
      occurredAt: captured.at ?? deps.clock.now(),
      refs: {
        visitId: visit.visitId,
        outTradeNo: s.captureOutTradeNo,
        // Pay Score bills the collection under the service order's number.
        outOrderNo: visit.outOrderNo,
        channel: visit.channel,
        purpose: 'visit-settlement',
        ...(captured.providerTradeNo ? { providerTradeNo: captured.providerTradeNo } : {}),
      },
      postings: [
        { account: Accounts.channelClearing(visit.channel), side: 'debit', amountFen },
        { account: Accounts.patientReceivable(visit.patientId), side: 'credit', amountFen },
      ],
    }),
    events: [
      event(deps, 'VisitCaptured', visit, { amountFen, channel: visit.channel }),
      event(deps, 'VisitSettled', visit, settlementView(next)),
    ],
  });
}

/** Applies what the provider said about the capture: succeeded, still pending, or failed. */
export async function applyCaptureResult(
  deps: VisitDeps,
  current: Versioned<Visit>,
  result: CaptureState,
): Promise<Versioned<Visit>> {
  const visit = current.value;
  const s = visit.settlement as Settlement;
  const now = deps.clock.now();
  if (result.status === 'SUCCEEDED') return recordCapture(deps, current, result);
  // Still collecting when we come back to check counts as a failed attempt (it goes on the retry schedule).
  const recheck = s.captureStatus === 'PENDING' && s.nextAttemptAt !== undefined;
  if (result.status === 'PENDING' && !recheck) {
    return transition(deps.ledger, deps.ledger.visits, current, {
      ...visit,
      status: visit.status === 'PAYMENT_FAILED' ? 'SETTLING' : visit.status,
      settlement: {
        ...s,
        captureStatus: 'PENDING',
        nextAttemptAt: new Date(now.getTime() + deps.visits.recheckAfterMs).toISOString(),
      },
    });
  }
  const failedAttempts = s.failedAttempts + 1;
  const next = nextCaptureAttempt(failedAttempts, now, deps.visits.captureRetryDelaysMs);
  const status: VisitStatus = next === 'overdue' ? 'OVERDUE' : 'PAYMENT_FAILED';
  const failed = await transition(
    deps.ledger,
    deps.ledger.visits,
    current,
    {
      ...visit,
      status,
      settlement: {
        ...s,
        captureStatus: 'FAILED',
        failedAttempts,
        lastError:
          result.status === 'PENDING'
            ? 'the provider is still collecting'
            : (result.reason ?? 'capture failed'),
        nextAttemptAt: next === 'overdue' ? undefined : next.toISOString(),
      },
    },
    {
      events: [
        event(deps, status === 'OVERDUE' ? 'VisitOverdue' : 'VisitPaymentFailed', visit, {
          outstandingFen: s.selfPayFen,
          failedAttempts,
        }),
      ],
    },
  );
  deps.metrics.count('SettlementsFailed', { channel: visit.channel, status });
  return failed;
}
