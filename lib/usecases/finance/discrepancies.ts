/**
 * The discrepancy workflow (差错处理): every missing or mismatched line of a reconciliation becomes a
 * record, OPEN until finance resolves it; a channel's day closes only when none is open.
 *
 * Primary course (resolve):
 *   1. Load the OPEN discrepancy; check the action fits it (domain/discrepancy.ts).
 *   2. Act: `matched-late` finds the line on the next day's bill (nothing to post); `refund-at-provider`
 *      books the refund made at the provider's portal (a succeeded refund, reversing the payment, matched
 *      by its out_refund_no on the next run); `write-off` moves the difference to the suspense account;
 *      `re-query` asks the provider about the order or refund and applies what it says.
 *   3. Store it RESOLVED with the action, the note, who and when, and the journal transaction, in the same
 *      transaction as any posting. A repeated request finds it RESOLVED and changes nothing.
 * Alternate course: a re-query whose answer cannot be applied (the provider denies a payment the ledger has)
 * keeps it OPEN and records the answer in its history, then answers 409 naming the action that fits.
 */
import {
  assertActionFits,
  clearingDifference,
  resolved,
  writeOffTransaction,
  DISCREPANCY_CLASSES,
  type AuditEntry,
  type Discrepancy,
  type DiscrepancyStatus,
  type ResolutionAction,
} from '../../domain/discrepancy';
import { InvalidStateError, ValidationError } from '../../domain/errors';
import { adjacentDays, assertPastOrToday, type DiscrepancyLine } from '../../domain/finance';
import type { Channel } from '../../domain/ledger/accounts';
import { addFen, fen } from '../../domain/money';
import { refundTransaction, statusAfterRefund, type Payment, type Refund } from '../../domain/payment';
import type { BillSource } from '../../ports/bill-source';
import type { EntityWrite, LedgerChange } from '../../ports/ledger-store';
import { settleWithProviderState } from '../payments/provider-state';
import { providerFor, type PaymentDeps } from '../payments/deps';
import { loadPayment } from '../payments/records';
import { applyRefundState } from '../payments/refund-state';
import { newEvent } from '../shared/events';
import { loadOrNotFound, type Versioned } from '../shared/records';

/** Dependencies: the payment capability (re-query) and the bills (matched-late). */
export type DiscrepancyDeps = PaymentDeps & { readonly bills: Partial<Record<Channel, BillSource>> };

/** The entity writes that open a record for each new discrepancy line of a run (known ones are kept). */
export async function openDiscrepancies(
  deps: Pick<PaymentDeps, 'ledger' | 'ids' | 'clock'>,
  run: { reconciliationId: string; channel: Channel; date: string; requestedBy: string },
  lines: readonly DiscrepancyLine[],
): Promise<EntityWrite[]> {
  const writes: EntityWrite[] = [];
  const now = deps.clock.now().toISOString();
  for (const line of lines) {
    if (!(DISCREPANCY_CLASSES as readonly string[]).includes(line.class)) continue;
    const discrepancyId = deps.ids.derive(
      'discrepancy',
      `${run.channel}\n${run.date}\n${line.kind}\n${line.reference}`,
    );
    if (await deps.ledger.discrepancies.get(discrepancyId)) continue; // a re-run found it again
    const { class: cls, ...rest } = line;
    const discrepancy: Discrepancy = {
      ...rest,
      class: cls as Discrepancy['class'],
      discrepancyId,
      channel: run.channel,
      date: run.date,
      status: 'OPEN',
      reconciliationId: run.reconciliationId,
      history: [
        {
          at: now,
          by: run.requestedBy,
          action: 'opened',
          outcome: cls,
          reconciliationId: run.reconciliationId,
        },
      ],
      createdAt: now,
      updatedAt: now,
    };
    writes.push(deps.ledger.discrepancies.write(discrepancy, { kind: 'absent' }));
  }
  return writes;
}

/** Loads a discrepancy, or NOT_FOUND. */
const loadDiscrepancy = (deps: Pick<PaymentDeps, 'ledger'>, id: string) =>
  loadOrNotFound(deps.ledger.discrepancies, 'Discrepancy', id);

/** One discrepancy with its audit trail. */
export const getDiscrepancy = async (deps: Pick<PaymentDeps, 'ledger'>, id: string) =>
  (await loadDiscrepancy(deps, id)).value;

/** Discrepancies by status (oldest day first), optionally of one day or channel, page by page. */
export async function listDiscrepancies(
  deps: Pick<PaymentDeps, 'ledger'>,
  query: { status: DiscrepancyStatus; date?: string; channel?: Channel; limit: number; cursor?: string },
) {
  const page = await deps.ledger.discrepancies.pageByStatus(query.status, query);
  const items = page.values.filter(
    (d) => (!query.date || d.date === query.date) && (!query.channel || d.channel === query.channel),
  );
  return { items, ...(page.cursor ? { nextCursor: page.cursor } : {}) };
}

/** Resolves an OPEN discrepancy with an action and a note (see the primary course). */
export async function resolveDiscrepancy(
  deps: DiscrepancyDeps,
  id: string,
  input: { action: ResolutionAction; note: string; by: string },
): Promise<Discrepancy> {
  const current = await loadDiscrepancy(deps, id);
  const d = current.value;
  // A repeated request (same action) finds its own resolution: nothing more happens.
  if (d.status === 'RESOLVED' && d.resolution?.action === input.action && d.resolution.by === input.by)
    return d;
  assertActionFits(d, input.action);
  const at = deps.clock.now();
  const entry = { at: at.toISOString(), by: input.by, action: input.action, note: input.note };
  const commitResolved = async (
    outcome: string,
    change: Omit<LedgerChange, 'entities'> & { entities?: EntityWrite[] } = {},
  ) => {
    const next = resolved(d, {
      ...entry,
      outcome,
      ...(change.journal ? { txnId: change.journal.txnId } : {}),
    });
    await deps.ledger.commit({
      ...change,
      entities: [deps.ledger.discrepancies.transition(current, next), ...(change.entities ?? [])],
    });
    return next;
  };

  switch (input.action) {
    case 'write-off': {
      const journal = writeOffTransaction(d, at, input.by);
      return commitResolved(`${Math.abs(clearingDifference(d))} fen to suspense:reconciliation`, { journal });
    }
    case 'matched-late': {
      const next = adjacentDays(d.date).next;
      assertPastOrToday(next, at);
      const found = await findOnBill(billsOf(deps, d.channel), next, d);
      if (!found)
        throw new InvalidStateError(
          `Discrepancy ${id}: ${d.reference} is not on the ${d.channel} bill of ${next} for ${d.ledgerFen} fen.`,
          { discrepancyId: id, day: next },
        );
      return commitResolved(`on the ${next} bill as ${found}`);
    }
    case 'refund-at-provider':
      return refundAtProvider(deps, d, commitResolved, entry.at);
    case 're-query':
      return reQuery(deps, current, commitResolved, entry);
  }
}

/** The configured bill source of a channel. */
function billsOf(deps: DiscrepancyDeps, channel: Channel): BillSource {
  const source = deps.bills[channel];
  if (!source) throw new ValidationError(`The ${channel} channel is not configured here.`);
  return source;
}

/** The provider's number of the discrepancy's line on a day's bill, with the ledger's amount, or undefined. */
async function findOnBill(source: BillSource, day: string, d: Discrepancy): Promise<string | undefined> {
  for await (const line of await source.fetchBill(day)) {
    const reference = line.kind === 'refund' ? line.outRefundNo : line.outTradeNo;
    if (line.kind === d.kind && reference === d.reference && line.amountFen === d.ledgerFen)
      return line.providerNo;
  }
  return undefined;
}

type CommitResolved = (
  outcome: string,
  change?: Omit<LedgerChange, 'entities'> & { entities?: EntityWrite[] },
) => Promise<Discrepancy>;

/**
 * Books a refund made at the provider's portal: a SUCCEEDED refund of the original payment under the
 * bill's out_refund_no, reversing the capture (revenue and clearing), so the next run matches it.
 */
async function refundAtProvider(
  deps: DiscrepancyDeps,
  d: Discrepancy,
  commitResolved: CommitResolved,
  at: string,
) {
  const found = d.outTradeNo ? await deps.ledger.payments.byOutTradeNo(d.channel, d.outTradeNo) : undefined;
  if (!found)
    throw new InvalidStateError(
      `Discrepancy ${d.discrepancyId}: the bill's refund names no payment of ours (out_trade_no ${d.outTradeNo ?? 'missing'}); write it off instead.`,
      { discrepancyId: d.discrepancyId },
    );
  const payment: Payment = found.value;
  const amountFen = fen(d.providerFen ?? 0);
  const refundedFen = addFen(payment.refundedFen, amountFen);
  if (refundedFen + payment.refundingFen > payment.amountFen)
    throw new InvalidStateError(
      `Payment ${payment.paymentId} has ${payment.amountFen - payment.refundedFen - payment.refundingFen} fen left to refund, less than the bill's ${amountFen}; write it off instead.`,
      { discrepancyId: d.discrepancyId, paymentId: payment.paymentId },
    );
  const refund: Refund = {
    refundId: deps.ids.derive('refund', `discrepancy\n${d.discrepancyId}`),
    paymentId: payment.paymentId,
    patientId: payment.patientId,
    channel: payment.channel,
    amountFen,
    reason: 'refunded at the provider portal',
    outRefundNo: d.reference,
    status: 'SUCCEEDED',
    createdAt: at,
    succeededAt: at,
    ...(d.providerNo ? { providerRefundId: d.providerNo } : {}),
  };
  const journal = refundTransaction({
    ...refund,
    purpose: payment.purpose,
    succeededAt: new Date(at),
    outTradeNo: payment.outTradeNo,
    settlesVisitId: payment.settlesVisitId,
    paymentAmountFen: payment.amountFen,
    revenueSplit: payment.revenueSplit,
    referenceId: payment.referenceId,
    providerRefundId: d.providerNo,
  });
  return commitResolved(`refund ${refund.refundId} of ${payment.paymentId}, ${amountFen} fen`, {
    entities: [
      deps.ledger.refunds.write(refund, { kind: 'absent' }),
      deps.ledger.payments.write(
        { ...payment, refundedFen, status: statusAfterRefund(payment.amountFen, refundedFen) },
        { kind: 'version', version: found.version },
      ),
    ],
    journal,
    events: [
      newEvent(deps, 'RefundSucceeded', {
        refundId: refund.refundId,
        paymentId: payment.paymentId,
        patientId: payment.patientId,
        amountFen,
      }),
    ],
  });
}

/**
 * Asks the provider about the line's order or refund. A pending payment or refund takes the answer (as the
 * sweep would); an answer that agrees with the ledger resolves it (the bill was wrong or late); an answer
 * that contradicts a settled record is kept in the history and refused.
 */
async function reQuery(
  deps: DiscrepancyDeps,
  current: Versioned<Discrepancy>,
  commitResolved: CommitResolved,
  entry: { at: string; by: string; action: ResolutionAction; note: string },
) {
  const d = current.value;
  const provider = providerFor(deps, d.channel);
  let outcome: string | undefined;
  let answer: string;
  if (d.kind === 'payment') {
    const found = await deps.ledger.payments.byOutTradeNo(d.channel, d.reference);
    const state = await provider.queryOrder(d.reference);
    answer = `provider: ${state.status}${state.amountFen !== undefined ? ` ${state.amountFen} fen` : ''}`;
    if (found?.value.status === 'PENDING' && state.status !== 'PENDING') {
      const after = await settleWithProviderState(deps, found, state);
      outcome = `${answer}; payment ${after.paymentId} is now ${after.status}`;
    } else if (
      found &&
      state.status === 'PAID' &&
      state.amountFen === found.value.amountFen &&
      found.value.status !== 'CLOSED'
    )
      outcome = `${answer}; agrees with payment ${found.value.paymentId}`;
  } else {
    const found = await deps.ledger.refunds.byOutRefundNo(d.channel, d.reference);
    const outTradeNo =
      d.outTradeNo ??
      (found ? (await loadPayment(deps.ledger, found.value.paymentId)).value.outTradeNo : undefined);
    const state = outTradeNo ? await provider.queryRefund(outTradeNo, d.reference) : undefined;
    answer = `provider: ${state?.status ?? 'NOT_FOUND (no out_trade_no)'}`;
    if (found && state && found.value.status === 'PROCESSING' && state.status !== 'PROCESSING') {
      const after = await applyRefundState(deps, found.value.refundId, state);
      outcome = `${answer}; refund ${after.refundId} is now ${after.status}`;
    } else if (found && state?.status === 'SUCCEEDED' && found.value.status === 'SUCCEEDED')
      outcome = `${answer}; agrees with refund ${found.value.refundId}`;
  }
  if (outcome) return commitResolved(outcome);
  // Kept OPEN: the answer goes into the history, then the caller hears what to do instead.
  const kept: Discrepancy = {
    ...d,
    history: [
      ...d.history,
      { ...entry, outcome: `${answer}; cannot be applied, still open` } satisfies AuditEntry,
    ],
    updatedAt: entry.at,
  };
  await deps.ledger.commit({ entities: [deps.ledger.discrepancies.transition(current, kept)] });
  throw new InvalidStateError(
    `Discrepancy ${d.discrepancyId}: ${answer}, which contradicts the ledger; resolve it with write-off (or refund-at-provider) and a note.`,
    { discrepancyId: d.discrepancyId },
  );
}

/**
 * Closes a channel's business day: it needs a completed reconciliation and no OPEN discrepancy; a closed
 * day is not reconciled again. Closing twice answers the first close.
 */
export async function closeDay(
  deps: Pick<PaymentDeps, 'ledger' | 'clock'>,
  input: { date: string; channel: Channel; by: string },
) {
  const { date, channel } = input;
  assertPastOrToday(date, deps.clock.now());
  const day = await deps.ledger.reconciliations.day(channel, date);
  const state = day?.value;
  if (!day || !state)
    throw new InvalidStateError(`${channel} ${date} has not been reconciled; reconcile it first.`, {
      date,
      channel,
    });
  if (state.closedAt)
    return {
      date,
      channel,
      closedAt: state.closedAt,
      closedBy: state.closedBy ?? '',
      reconciliationId: state.reconciliationId,
    };
  const run = await deps.ledger.reconciliations.get(state.reconciliationId);
  if (run?.value.status === 'FAILED')
    throw new InvalidStateError(`The last ${channel} reconciliation of ${date} FAILED; run it again first.`, {
      date,
      channel,
    });
  const open: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.ledger.discrepancies.pageOfDay(channel, date, { limit: 100, cursor });
    for (const d of page.values) if (d.status === 'OPEN') open.push(d.discrepancyId);
    cursor = page.cursor;
  } while (cursor);
  if (open.length > 0)
    throw new InvalidStateError(
      `${channel} ${date} has ${open.length} open discrepancies; resolve them first.`,
      {
        date,
        channel,
        openDiscrepancies: open.slice(0, 20),
      },
    );
  const closedAt = deps.clock.now().toISOString();
  await deps.ledger.commit({
    entities: [deps.ledger.reconciliations.dayWrite({ ...state, closedAt, closedBy: input.by }, day)],
  });
  return { date, channel, closedAt, closedBy: input.by, reconciliationId: state.reconciliationId };
}
