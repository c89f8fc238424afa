/**
 * Discharge settlement (出院结算, POST /admissions/{id}/discharge): one saga, persisted on the admission,
 * that any caller (the request, a refund's completion, the sweep) can run again from where it stopped.
 *
 * Primary course:
 *   1. Start: only while no top-up is being paid (409 TOP_UP_PENDING); the admission becomes SETTLING with
 *      its charges and deposits frozen (no charge or top-up is taken from here on).
 *   2. INSURANCE (when asked): the listed charges are settled at the national platform with the patient's
 *      authorisation (discharge-insurance.ts); the split fixes the plan. Or (settleIn wallet) WeChat's mixed
 *      order settles them with the deposits taken off and any arrears as its cash (discharge-wallet.ts): the
 *      patient confirms it, its capture fixes the plan, and an order closed unpaid reopens the admission.
 *   3. The plan: insurance pays its parts, the deposits the self-pay part as far as they go; a surplus is
 *      allocated over the top-ups, the most recent first (allocateSurplus), and arrears are what is left.
 *   4. BOOK: one journal transaction Dr insurance receivables, Dr deposit (the deduction) / Cr the tab (after
 *      a wallet's order, whose capture booked insurance's parts and its cash, only the deduction).
 *   5. REFUND: each planned refund through the usual refund path, under a key derived from the admission
 *      and the payment (a re-run asks for the same refund, never a second); done when all succeeded.
 *   6. ARREARS: a payment link for what the deposits did not cover; AWAITING_ARREARS until it is paid,
 *      when the capture settles the admission (top-up.ts).
 *   7. DONE: SETTLED; the deposit and tab accounts are both at zero.
 * Every step commits its outcome with the admission's next step in one transaction, so a crash between
 * steps leaves a step to run again, and a step run twice finds its journal transaction or its refund.
 */
import {
  selfPaySplit,
  TopUpPendingError,
  type Admission,
  type DischargePlan,
  type DischargeSettlement,
  type SurplusRefund,
} from '../../domain/admission';
import { Accounts, CHANNELS, type Channel } from '../../domain/ledger/accounts';
import { journalTransaction, txnIdFor } from '../../domain/ledger/journal';
import { addFen, type Fen } from '../../domain/money';
import type { PaymentDeps } from '../payments/deps';
import { createPayment } from '../payments/create';
import { loadPayment } from '../payments/records';
import { retryOnConflict } from '../shared/retry';
import { transition, type Versioned } from '../shared/records';
import type { AdmissionDeps } from './deps';
import { dischargeInsurance, reopen, type DischargeInsuranceInput } from './discharge-insurance';
import { dischargeInWallet, walletOrderClosed } from './discharge-wallet';
import { askPlannedRefund, planFor, surplusRefundKey } from './plan';
import { admissionEvent, loadAdmission } from './records';

/** What staff send to discharge a patient. */
export interface DischargeInput {
  readonly requestedBy: string;
  /** Insurance at discharge: the patient's authorisation on a wallet (absent: all self-pay). */
  readonly insurance?: DischargeInsuranceInput;
  /** The channel arrears are asked for on (the last top-up's when absent). */
  readonly arrearsChannel?: Channel;
}

/** The request key a settlement's arrears are asked under (so a re-run finds them). */
const arrearsKey = (admissionId: string) => `admission:${admissionId}:arrears`;

/** Starts (or continues) the discharge settlement and runs it as far as it goes now. */
export async function dischargeAdmission(
  deps: AdmissionDeps,
  admissionId: string,
  input: DischargeInput,
): Promise<{ admission: Admission; clientParams?: Readonly<Record<string, string>> }> {
  let current = await startDischarge(deps, admissionId, input);
  const s = current.value.settlement;
  if (current.value.status === 'SETTLING' && s?.step === 'INSURANCE') {
    try {
      if (input.insurance?.settleIn === 'wallet' && !s.insurance) {
        const ordered = await dischargeInWallet(deps, current, input.insurance);
        if (ordered.clientParams)
          return { admission: ordered.current.value, clientParams: ordered.clientParams };
        current = ordered.current;
      } else current = await dischargeInsurance(deps, current, input.insurance);
    } catch (error) {
      // Refused (or unreachable) before any order was recorded: OPEN again, nothing half-written.
      await reopenUnordered(deps, admissionId, error instanceof Error ? error.message : String(error));
      throw error;
    }
  }
  return { admission: await runDischarge(deps, current.value.admissionId) };
}

/** Back to OPEN when the insurance step stopped before it recorded any order (a retry may have since). */
async function reopenUnordered(deps: AdmissionDeps, admissionId: string, reason: string): Promise<void> {
  await retryOnConflict(async () => {
    const current = await loadAdmission(deps.ledger, admissionId);
    const s = current.value.settlement;
    if (current.value.status === 'SETTLING' && s?.step === 'INSURANCE' && !s.insurance)
      await reopen(deps, current, reason);
  }).catch(() => undefined); // otherwise staff discharge again; the first error is the one answered
}

/** OPEN → SETTLING with the totals frozen; an admission already past OPEN is returned as it is. */
function startDischarge(deps: AdmissionDeps, admissionId: string, input: DischargeInput) {
  return retryOnConflict(async (): Promise<Versioned<Admission>> => {
    const current = await loadAdmission(deps.ledger, admissionId);
    const admission = current.value;
    if (admission.status !== 'OPEN') return current;
    for (const t of admission.topUps.filter((t) => t.status === 'PENDING')) {
      const { value: payment } = await loadPayment(deps.ledger, t.paymentId);
      if (payment.status === 'PENDING') throw new TopUpPendingError(admissionId, t.paymentId);
    }
    const paid = admission.topUps.filter((t) => t.status === 'PAID');
    const arrearsChannel =
      input.arrearsChannel ??
      paid.at(-1)?.channel ??
      input.insurance?.channel ??
      CHANNELS.find((c) => deps.providers[c] !== undefined) ??
      'wechatpay';
    const now = deps.clock.now();
    const base: DischargeSettlement = {
      step: input.insurance ? 'INSURANCE' : 'BOOK',
      requestedBy: input.requestedBy,
      requestedAt: now.toISOString(),
      arrearsChannel,
    };
    const settlement = input.insurance
      ? base
      : { ...base, plan: await planFor(deps, admission, selfPaySplit(admission.chargesFen)) };
    const next: Admission = { ...admission, status: 'SETTLING', dischargedAt: now.toISOString(), settlement };
    return transition(deps.ledger, deps.ledger.admissions, current, next, {
      events: [
        admissionEvent(deps, 'AdmissionDischargeStarted', next, {
          chargesFen: admission.chargesFen,
          depositsFen: admission.depositsFen,
        }),
      ],
    });
  });
}

/** Runs the saga's steps from where it stands until it is done or waits (a refund, the arrears, insurance). */
export async function runDischarge(deps: PaymentDeps, admissionId: string): Promise<Admission> {
  for (;;) {
    const current = await loadAdmission(deps.ledger, admissionId);
    const { value: admission } = current;
    const s = admission.settlement;
    if (s?.insurance?.status === 'ORDERING' && s.insurance.settleIn === 'wallet' && s.step === 'INSURANCE') {
      // Waiting for the patient to confirm WeChat's order: only its closing, unpaid, changes anything here.
      if (admission.status === 'SETTLING' && (await walletOrderClosed(deps, current)))
        return (await loadAdmission(deps.ledger, admissionId)).value;
      return admission;
    }
    if (admission.status !== 'SETTLING' || !s?.plan) return admission;
    const moved = await runStep(deps, current, s, s.plan);
    if (!moved) return (await loadAdmission(deps.ledger, admissionId)).value;
  }
}

/** Runs one step; false when the saga has to wait. */
async function runStep(
  deps: PaymentDeps,
  current: Versioned<Admission>,
  s: DischargeSettlement,
  plan: DischargePlan,
): Promise<boolean> {
  switch (s.step) {
    case 'INSURANCE':
      return false;
    case 'BOOK':
      await book(deps, current, s, plan);
      return true;
    case 'REFUND':
      return refundSurplus(deps, current.value.admissionId, plan.refunds);
    case 'ARREARS':
      await requestArrears(deps, current, s, plan);
      return true;
    case 'DONE':
      await finish(deps, current, plan);
      return false;
  }
}

/** The step after booking: refunds, arrears, or done. */
const afterBooking = (plan: DischargePlan): DischargeSettlement['step'] =>
  plan.refunds.length > 0 ? 'REFUND' : plan.arrearsFen > 0 ? 'ARREARS' : 'DONE';

/** BOOK: insurance's parts and the deduction clear the tab, in one transaction with the next step. */
async function book(
  deps: PaymentDeps,
  current: Versioned<Admission>,
  s: DischargeSettlement,
  plan: DischargePlan,
): Promise<void> {
  const { admissionId } = current.value;
  const tab = Accounts.admissionTab(admissionId);
  // A wallet's order booked insurance's parts with its capture; the platform's are booked here.
  const insured =
    s.insurance?.settleIn === 'wallet'
      ? []
      : [
          { account: Accounts.insuranceFundReceivable(), amountFen: plan.split.fundFen },
          { account: Accounts.personalAccountReceivable(), amountFen: plan.split.personalAccountFen },
        ];
  const debits: Array<{ account: ReturnType<typeof Accounts.admissionTab>; amountFen: Fen }> = [
    ...insured,
    { account: Accounts.admissionDeposit(admissionId), amountFen: plan.deductedFen },
  ].filter((d) => d.amountFen > 0);
  const clearedFen = addFen(...debits.map((d) => d.amountFen));
  const journal =
    clearedFen > 0
      ? journalTransaction({
          txnId: txnIdFor('admission', admissionId, 'discharged'),
          occurredAt: new Date(s.requestedAt),
          // Statements show the insured parts of a discharge under the admission (purpose discharge).
          refs: {
            admissionId,
            purpose: 'discharge',
            ...(s.insurance ? { payOrdId: s.insurance.payOrdId } : {}),
          },
          postings: [
            ...debits.map((d) => ({ ...d, side: 'debit' as const })),
            { account: tab, side: 'credit', amountFen: clearedFen },
          ],
        })
      : undefined;
  await transition(
    deps.ledger,
    deps.ledger.admissions,
    current,
    { ...current.value, settlement: { ...s, step: afterBooking(plan) } },
    journal ? { journal } : {},
  );
}

/**
 * REFUND: asks for every planned refund not yet final (each under its own key: never twice) and records
 * where each stands. True when all succeeded and the saga moved on; false while one is processing or failed.
 */
async function refundSurplus(
  deps: PaymentDeps,
  admissionId: string,
  planned: readonly SurplusRefund[],
): Promise<boolean> {
  const outcomes = new Map<string, SurplusRefund['status']>();
  let lastError: string | undefined;
  for (const r of planned) {
    if (r.status === 'SUCCEEDED') continue;
    // A refund refused before anything was asked (no longer refundable online) is FAILED: finance decides.
    const { status, refusal } = await askPlannedRefund(deps, r, {
      reason: `出院结算 ${admissionId} 预交金余额退还`,
      requestKey: surplusRefundKey(admissionId, r.paymentId),
      forAdmission: true,
    });
    outcomes.set(r.paymentId, status);
    lastError = refusal ?? lastError;
  }
  return retryOnConflict(async () => {
    const current = await loadAdmission(deps.ledger, admissionId);
    const s = current.value.settlement;
    if (current.value.status !== 'SETTLING' || s?.step !== 'REFUND' || !s.plan) return true;
    const refunds = s.plan.refunds.map((r) => ({ ...r, status: outcomes.get(r.paymentId) ?? r.status }));
    const allDone = refunds.every((r) => r.status === 'SUCCEEDED');
    const next: DischargeSettlement = {
      ...s,
      plan: { ...s.plan, refunds },
      step: allDone ? (s.plan.arrearsFen > 0 ? 'ARREARS' : 'DONE') : 'REFUND',
      ...(lastError ? { lastError } : {}),
    };
    await transition(deps.ledger, deps.ledger.admissions, current, { ...current.value, settlement: next });
    return allDone;
  });
}

/** ARREARS: a payment link for what the deposits did not cover; the admission waits for it. */
async function requestArrears(
  deps: PaymentDeps,
  current: Versioned<Admission>,
  s: DischargeSettlement,
  plan: DischargePlan,
): Promise<void> {
  const admission = current.value;
  const { payment } = await createPayment(deps, {
    patientId: admission.patientId,
    channel: s.arrearsChannel,
    purpose: 'other',
    referenceId: admission.admissionId,
    amountFen: plan.arrearsFen,
    description: `住院 ${admission.admissionId} 出院结算补缴`,
    mode: 'h5',
    arrearsOf: admission.admissionId,
    requestKey: arrearsKey(admission.admissionId),
  });
  const next: Admission = {
    ...admission,
    status: 'AWAITING_ARREARS',
    settlement: { ...s, arrears: { paymentId: payment.paymentId, channel: payment.channel } },
  };
  await transition(deps.ledger, deps.ledger.admissions, current, next, {
    events: [
      admissionEvent(deps, 'AdmissionArrearsRequested', next, {
        arrearsFen: plan.arrearsFen,
        paymentId: payment.paymentId,
      }),
    ],
  });
}

/** DONE: SETTLED, telling the HIS what insurance paid, what the deposits paid and what went back. */
async function finish(deps: PaymentDeps, current: Versioned<Admission>, plan: DischargePlan): Promise<void> {
  const next: Admission = { ...current.value, status: 'SETTLED', settledAt: deps.clock.now().toISOString() };
  await transition(deps.ledger, deps.ledger.admissions, current, next, {
    events: [
      admissionEvent(deps, 'AdmissionSettled', next, {
        insuredFen: addFen(plan.split.fundFen, plan.split.personalAccountFen),
        deductedFen: plan.deductedFen,
        refundedFen: plan.surplusFen - plan.unrefundableFen,
        unrefundableFen: plan.unrefundableFen,
        ...(plan.paidInOrderFen ? { paidInOrderFen: plan.paidInOrderFen } : {}),
      }),
    ],
  });
}
