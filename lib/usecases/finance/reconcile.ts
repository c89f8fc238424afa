/**
 * Reconcile a channel's business day against the provider's own bill.
 *
 * Primary course:
 *   1. The day is a real date, not in the future; the channel is configured. The run's id derives from the
 *      request's key, so a retried request returns its first run.
 *   2. The ledger side: every clearing posting of the day (the days either side are read only when the
 *      bill has lines the day lacks), keyed by out_trade_no (payments) or out_refund_no (refunds). Pay Score collections key by the
 *      service order's out_order_no, as WeChat bills them.
 *   3. The bill is streamed line by line: matched, amountMismatch, timing (the ledger has it on an
 *      adjacent day) or missingInLedger. Ledger lines left over are looked for in the next and previous
 *      days' bills (timing), else missingAtProvider.
 *   4. Each bill line's fee is stored by its match key (the statement shows it per line).
 *   5. The provider's fees for the day are posted once, Dr fees:<channel> / Cr clearing; a re-run posts
 *      only the difference from what earlier runs posted, in the same transaction as the day's record.
 *   6. The report and its discrepancy lines are stored; a re-run references the previous run.
 * A bill that is not published yet is 409 BILL_NOT_AVAILABLE (nothing stored); a corrupt, truncated or
 * checksum-failing bill stores the run as FAILED, posts nothing, and is 422 BILL_REJECTED.
 */
import { businessDayOf, type BusinessDay } from '../../domain/business-day';
import { InvalidStateError, MedpayError, ValidationError } from '../../domain/errors';
import {
  adjacentDays,
  assertPastOrToday,
  BillRejectedError,
  matchKey,
  type BillLine,
  type DiscrepancyLine,
  type ReconciledDay,
  type Reconciliation,
  type ReconciliationClass,
} from '../../domain/finance';
import { Accounts, type Channel } from '../../domain/ledger/accounts';
import { journalTransaction, type JournalTransaction } from '../../domain/ledger/journal';
import { fen } from '../../domain/money';
import type { PaymentDeps } from '../payments/deps';
import type { BillSource } from '../../ports/bill-source';
import { CompactMap } from '../shared/compact-map';
import { firstAttempt, type Versioned } from '../shared/records';
import { openDiscrepancies } from './discrepancies';

/**
 * A day's clearing lines of one channel, by match key (`payment:<out_trade_no>`, `refund:<out_refund_no>`),
 * with the amount in fen: nothing else per line, kept in a CompactMap (the keys as bytes in one arena), so
 * a million lines stay near the size of their numbers (the transaction ids that discrepancy lines name
 * are looked up afterwards, for those lines only).
 */
export class LedgerLines {
  private readonly lines = new CompactMap();
  /** Adds an amount to a number's line. */
  add(kind: 'payment' | 'refund', no: string, fen: number) {
    const key = matchKey(kind, no);
    this.lines.set(key, (this.lines.get(key) ?? 0) + fen);
  }
  get(key: string) {
    return this.lines.get(key);
  }
  has(key: string) {
    return this.lines.has(key);
  }
  delete(key: string) {
    this.lines.delete(key);
  }
  get size() {
    return this.lines.size;
  }
  /** Every line left, as [match key, amount]. */
  [Symbol.iterator](): Iterator<[string, number]> {
    return this.lines[Symbol.iterator]();
  }
}

const FEE_REF = 'provider-fees';

const emptyCounts = (): Record<ReconciliationClass, number> => ({
  matched: 0,
  missingInLedger: 0,
  missingAtProvider: 0,
  amountMismatch: 0,
  timing: 0,
});

/**
 * The bill's match key of a clearing posting: out_trade_no for a payment, out_refund_no for a refund, and a
 * Pay Score collection's out_order_no (as WeChat bills it); undefined for postings no bill line matches.
 */
export function clearingKeyOf(
  txn: JournalTransaction,
  channel: Channel,
  side: 'debit' | 'credit',
): { kind: 'payment' | 'refund'; no: string } | undefined {
  if (txn.refs.kind === FEE_REF) return undefined;
  const kind = side === 'debit' ? 'payment' : 'refund';
  const no =
    kind === 'refund'
      ? txn.refs.outRefundNo
      : channel === 'wechatpay' && txn.refs.purpose === 'visit-settlement'
        ? txn.refs.outOrderNo
        : txn.refs.outTradeNo;
  return no ? { kind, no } : undefined;
}

/** The match key and amount of each clearing posting of `channel` in a transaction (fee postings left out). */
function* clearingLines(txn: JournalTransaction, channel: Channel) {
  const clearing = Accounts.channelClearing(channel);
  for (const p of txn.postings) {
    if (p.account !== clearing) continue;
    const key = clearingKeyOf(txn, channel, p.side);
    if (key) yield { ...key, amountFen: p.amountFen as number } as const;
  }
}

/** Bill lines' fees are stored in items of this many lines (about 20 KB each). */
const FEES_PER_ITEM = 500;

/**
 * Passes the bill through, storing each line's fee by match key as it goes, a chunk at a time (memory stays
 * at one chunk, however long the bill).
 */
async function* recordingLineFees(
  deps: Pick<ReconcileDeps, 'ledger'>,
  reconciliationId: string,
  bill: AsyncIterable<BillLine>,
): AsyncIterable<BillLine> {
  let fees: Record<string, number> = {};
  let count = 0;
  let chunk = 0;
  const flush = async () => {
    if (count === 0) return;
    await deps.ledger.commit({
      entities: [deps.ledger.reconciliations.lineFeesWrite(reconciliationId, chunk++, fees)],
    });
    fees = {};
    count = 0;
  };
  for await (const line of bill) {
    const key = matchKey(line.kind, line.kind === 'refund' ? (line.outRefundNo ?? '') : line.outTradeNo);
    fees[key] = (fees[key] ?? 0) + line.feeFen;
    if (++count === FEES_PER_ITEM) await flush();
    yield line;
  }
  await flush();
}

/** Keys a day's journal transactions into the clearing lines of a channel. */
export async function keyLedgerLines(
  journal: AsyncIterable<JournalTransaction>,
  channel: Channel,
): Promise<LedgerLines> {
  const lines = new LedgerLines();
  for await (const txn of journal)
    for (const { kind, no, amountFen } of clearingLines(txn, channel)) lines.add(kind, no, amountFen);
  return lines;
}

/** The journal transaction behind each of `keys` (the last one posting it), by a second read of the day. */
export async function txnIdsOf(
  journal: AsyncIterable<JournalTransaction>,
  channel: Channel,
  keys: ReadonlySet<string>,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for await (const txn of journal)
    for (const { kind, no } of clearingLines(txn, channel)) {
      const key = matchKey(kind, no);
      if (keys.has(key)) ids.set(key, txn.txnId);
    }
  return ids;
}

/** What matching a day produced. */
export interface DayMatch {
  readonly counts: Record<ReconciliationClass, number>;
  readonly lines: DiscrepancyLine[];
  readonly feesFen: number;
}

/**
 * Matches the provider's bill for a day against the ledger's lines of that day and the days either side.
 * Streams the bill; ledger lines left over are looked for in the adjacent days' bills (`adjacentBill`
 * returns undefined when one is not published).
 */
export async function matchDay(
  today: LedgerLines,
  days: { before: string; after: string },
  bill: AsyncIterable<BillLine>,
  adjacent: {
    /** The ledger lines of an adjacent day: read only when the bill has lines the day's ledger lacks. */
    ledger: (day: string) => Promise<LedgerLines>;
    /** An adjacent day's bill, undefined when it is not published. */
    bill: (day: string) => Promise<AsyncIterable<BillLine> | undefined>;
    /** The day's journal transactions behind these ledger keys (for the discrepancy lines that name them). */
    txnIds: (keys: ReadonlySet<string>) => Promise<Map<string, string>>;
  },
): Promise<DayMatch> {
  const counts = emptyCounts();
  const lines: DiscrepancyLine[] = [];
  /** Lines that name our transaction: filled in at the end, from one more read of the day. */
  const ofOurs: Array<{ index: number; key: string }> = [];
  const note = (line: DiscrepancyLine, ourKey?: string) => {
    counts[line.class] += 1;
    if (ourKey !== undefined) ofOurs.push({ index: lines.length, key: ourKey });
    lines.push(line);
  };
  let feesFen = 0;
  const referenceOf = (l: BillLine) => (l.kind === 'refund' ? (l.outRefundNo ?? '') : l.outTradeNo);
  const unmatched: BillLine[] = [];
  for await (const l of bill) {
    feesFen += l.feeFen;
    const key = matchKey(l.kind, referenceOf(l));
    const ours = today.get(key);
    if (ours !== undefined) {
      today.delete(key);
      if (ours === l.amountFen) counts.matched += 1;
      else
        note(
          {
            class: 'amountMismatch',
            kind: l.kind,
            reference: referenceOf(l),
            ledgerFen: ours,
            providerFen: l.amountFen,
            providerNo: l.providerNo,
            ...(l.kind === 'refund' ? { outTradeNo: l.outTradeNo } : {}),
          },
          key,
        );
      continue;
    }
    unmatched.push(l);
  }
  // Bill lines the day's ledger lacks: booked by medpay on an adjacent day (timing), or never.
  if (unmatched.length > 0) {
    const [before, after] = await Promise.all([adjacent.ledger(days.before), adjacent.ledger(days.after)]);
    for (const l of unmatched) {
      const key = matchKey(l.kind, referenceOf(l));
      const elsewhere = before.has(key) ? days.before : after.has(key) ? days.after : undefined;
      note({
        class: elsewhere ? 'timing' : 'missingInLedger',
        kind: l.kind,
        reference: referenceOf(l),
        providerFen: l.amountFen,
        providerNo: l.providerNo,
        ...(elsewhere ? { otherDay: elsewhere } : {}),
        ...(l.kind === 'refund' ? { outTradeNo: l.outTradeNo } : {}),
      });
    }
  }
  // Ledger lines the bill did not have: booked by the provider on an adjacent day, or missing there.
  for (const day of [days.after, days.before]) {
    if (today.size === 0) break;
    const adjacentDayBill = await adjacent.bill(day);
    if (!adjacentDayBill) continue; // not published (yet): those lines stay missingAtProvider until a re-run
    for await (const l of adjacentDayBill) {
      const key = matchKey(l.kind, referenceOf(l));
      const ours = today.get(key);
      if (ours === undefined) continue;
      today.delete(key);
      note(
        {
          class: 'timing',
          kind: l.kind,
          reference: referenceOf(l),
          ledgerFen: ours,
          providerFen: l.amountFen,
          otherDay: day,
        },
        key,
      );
    }
  }
  for (const [key, ours] of today) {
    const [kind, reference] = key.split(/:(.*)/s) as ['payment' | 'refund', string];
    note({ class: 'missingAtProvider', kind, reference, ledgerFen: ours }, key);
  }
  if (ofOurs.length > 0) {
    const ids = await adjacent.txnIds(new Set(ofOurs.map((o) => o.key)));
    for (const { index, key } of ofOurs) {
      const txnId = ids.get(key);
      if (txnId) lines[index] = { ...(lines[index] as DiscrepancyLine), txnId };
    }
  }
  return { counts, lines, feesFen };
}

/** Dependencies of a reconciliation: the ledger and the providers' bills. */
export type ReconcileDeps = Omit<PaymentDeps, 'providers'> & {
  readonly bills: Partial<Record<Channel, BillSource>>;
};

/** The configured bill source of a channel, or a 400 naming what is configured. */
function billsFor(deps: ReconcileDeps, channel: Channel): BillSource {
  const source = deps.bills[channel];
  if (!source)
    throw new ValidationError(
      `The ${channel} channel is not configured here; use ${Object.keys(deps.bills).join(' or ') || 'none'}.`,
      [{ path: 'body.channel', message: 'channel not configured' }],
    );
  return source;
}

/** Runs a reconciliation and stores it. */
export async function reconcile(
  deps: ReconcileDeps,
  input: { date: string; channel: Channel; requestedBy: string; requestKey?: string },
): Promise<Reconciliation> {
  const { channel } = input;
  const date = assertPastOrToday(input.date, deps.clock.now());
  const provider = billsFor(deps, channel);
  // A retried request (same key) returns its first run instead of running again.
  const { id: reconciliationId, earlier } = await firstAttempt(
    deps.ids,
    deps.ledger.reconciliations,
    'reconciliation',
    input.requestKey,
  );
  if (earlier) return earlier;
  const bill = await provider.fetchBill(date); // 409 BILL_NOT_AVAILABLE escapes here, before anything is stored

  const latest = await deps.ledger.reconciliations.day(channel, date);
  const previous = latest?.value;
  if (previous?.closedAt)
    throw new InvalidStateError(
      `${channel} ${date} was closed at ${previous.closedAt}; it is not reconciled again.`,
      {
        date,
        channel,
      },
    );
  const { previous: dayBefore, next: dayAfter } = adjacentDays(date);
  const ledgerOf = (day: string) => keyLedgerLines(deps.ledger.journalForDay(day as BusinessDay), channel);
  let match: DayMatch;
  try {
    const lines = recordingLineFees(deps, reconciliationId, bill);
    match = await matchDay(await ledgerOf(date), { before: dayBefore, after: dayAfter }, lines, {
      ledger: ledgerOf,
      bill: (day) => provider.fetchBill(day).catch(() => undefined),
      txnIds: (keys) => txnIdsOf(deps.ledger.journalForDay(date as BusinessDay), channel, keys),
    });
  } catch (error) {
    if (!(error instanceof MedpayError) || error.code !== 'BILL_REJECTED') throw error;
    await store(
      deps,
      {
        reconciliationId,
        date,
        channel,
        status: 'FAILED',
        summary: { ...emptyCounts(), feesFen: 0, feesPostedFen: previous?.feesPostedFen ?? 0 },
        ...(previous ? { previousReconciliationId: previous.reconciliationId } : {}),
        failure: error.message,
        lineCount: 0,
        requestedBy: input.requestedBy,
        createdAt: deps.clock.now().toISOString(),
      },
      [],
    );
    deps.metrics.count('ReconciliationsFailed', { channel });
    const rejected = error as BillRejectedError;
    throw new BillRejectedError(rejected.channel, rejected.day, rejected.reason, reconciliationId);
  }

  const { counts, lines, feesFen } = match;
  const posted = previous?.feesPostedFen ?? 0;
  // Timing differences (booked on the adjacent day) are expected; the rest needs a person.
  const discrepancies = counts.missingInLedger + counts.missingAtProvider + counts.amountMismatch;
  const report: Reconciliation = {
    reconciliationId,
    date,
    channel,
    status: discrepancies > 0 ? 'COMPLETED_WITH_DISCREPANCIES' : 'COMPLETED',
    summary: { ...counts, feesFen, feesPostedFen: feesFen },
    ...(previous ? { previousReconciliationId: previous.reconciliationId } : {}),
    lineCount: lines.length,
    requestedBy: input.requestedBy,
    createdAt: deps.clock.now().toISOString(),
  };
  await store(deps, report, lines, {
    day: { current: latest, feesPostedFen: feesFen },
    feeDeltaFen: feesFen - posted,
  });
  // Once the run is stored, each new discrepancy becomes an OPEN record (one a re-run finds again keeps
  // its record and history).
  const opened = await openDiscrepancies(deps, report, lines);
  for (let i = 0; i < opened.length; i += 90) await deps.ledger.commit({ entities: opened.slice(i, i + 90) });
  if (discrepancies > 0) deps.metrics.count('ReconciliationDiscrepancies', { channel }, discrepancies);
  return report;
}

/** Writes the report, its lines, the day's record and the fee posting. */
async function store(
  deps: ReconcileDeps,
  report: Reconciliation,
  lines: readonly DiscrepancyLine[],
  fees?: { day: { current?: Versioned<ReconciledDay>; feesPostedFen: number }; feeDeltaFen: number },
) {
  const { reconciliationId, channel, date } = report;
  for (let i = 0; i < lines.length; i += 90) {
    await deps.ledger.commit({
      entities: deps.ledger.reconciliations.lineWrites(reconciliationId, i, lines.slice(i, i + 90)),
    });
  }
  const reportWrite = deps.ledger.reconciliations.write(report, { kind: 'absent' });
  if (!fees) {
    await deps.ledger.commit({ entities: [reportWrite] });
    return;
  }
  const delta = fees.feeDeltaFen;
  const clearing = Accounts.channelClearing(channel);
  const feesAccount = Accounts.fees(channel);
  await deps.ledger.commit({
    entities: [
      reportWrite,
      deps.ledger.reconciliations.dayWrite(
        { reconciliationId, feesPostedFen: fees.day.feesPostedFen, date, channel },
        fees.day.current,
      ),
    ],
    ...(delta !== 0
      ? {
          journal: journalTransaction({
            txnId: `reconciliation:${channel}:${date}:fees:${reconciliationId}`,
            // Booked on the reconciled day, so the day's statement and fees agree.
            occurredAt: new Date(`${date}T23:59:59+08:00`),
            refs: { kind: FEE_REF, channel, date, reconciliationId },
            postings: [
              { account: delta > 0 ? feesAccount : clearing, side: 'debit', amountFen: fen(Math.abs(delta)) },
              {
                account: delta > 0 ? clearing : feesAccount,
                side: 'credit',
                amountFen: fen(Math.abs(delta)),
              },
            ],
          }),
        }
      : {}),
  });
}

/** A stored report with its discrepancy lines (up to `limit`). */
export async function loadReconciliation(deps: Pick<PaymentDeps, 'ledger'>, id: string, limit = 1000) {
  const stored = await deps.ledger.reconciliations.get(id);
  if (!stored) return undefined;
  return { report: stored.value, lines: await deps.ledger.reconciliations.lines(id, limit) };
}

/** Today's business day in Asia/Shanghai minus one: what the daily job reconciles. */
export const yesterdayOf = (now: Date) => adjacentDays(businessDayOf(now)).previous;
