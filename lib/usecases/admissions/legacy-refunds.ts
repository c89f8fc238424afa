/**
 * Refund legacy outpatient deposit balances (POST /legacy-deposits/refunds): the HIS imports a list of
 * balances, each with the payments it was paid with.
 *
 * Primary course:
 *   1. The batch's id derives from the request's key: a retry answers the batch as it stands.
 *   2. Each balance is stored under its own HIS id, PENDING, naming this batch; a balance an earlier batch
 *      took already is skipped (so a list imported twice is refunded once).
 *   3. The batch is recorded PROCESSING; its refunds run in the background (run-legacy-refunds.ts), a first
 *      share of them within this request.
 */
import { ValidationError } from '../../domain/errors';
import { fen, type Fen } from '../../domain/money';
import type { LegacyBalance, LegacyRefundBatch } from '../../domain/legacy-balance';
import type { PaymentDeps } from '../payments/deps';
import { firstAttempt, loadOrNotFound } from '../shared/records';
import { runLegacyRefunds } from './run-legacy-refunds';

/** One imported balance. */
export interface LegacyBalanceInput {
  readonly balanceId: string;
  readonly patientId: string;
  readonly amountFen: Fen;
  readonly paymentIds: readonly string[];
}

/** Entities per write: DynamoDB takes 100 items per transaction. */
const CHUNK = 50;

/** Records the batch and its balances; returns the batch (PROCESSING, or as an earlier attempt left it). */
export async function startLegacyRefunds(
  deps: Pick<PaymentDeps, 'ledger' | 'ids' | 'clock'>,
  input: { reason: string; balances: readonly LegacyBalanceInput[]; requestKey?: string },
): Promise<LegacyRefundBatch> {
  const ids = input.balances.map((b) => b.balanceId);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate)
    throw new ValidationError(`Balance ${duplicate} is listed twice.`, [
      { path: 'body.balances', message: `duplicate balanceId ${duplicate}` },
    ]);
  const { id: batchId, earlier } = await firstAttempt(
    deps.ids,
    deps.ledger.legacy.batches,
    'batch',
    input.requestKey,
  );
  if (earlier) return earlier;
  const taken: string[] = [];
  const skipped: Array<{ balanceId: string; batchId: string }> = [];
  for (let i = 0; i < input.balances.length; i += CHUNK) {
    const chunk = input.balances.slice(i, i + CHUNK);
    const stored = await Promise.all(chunk.map((b) => deps.ledger.legacy.balances.get(b.balanceId)));
    const fresh: LegacyBalance[] = [];
    chunk.forEach((b, k) => {
      const other = stored[k]?.value;
      // Taken by this batch in an attempt that died before recording it: still this batch's.
      if (other && other.batchId !== batchId)
        return void skipped.push({ balanceId: b.balanceId, batchId: other.batchId });
      taken.push(b.balanceId);
      if (!other)
        fresh.push({
          ...b,
          batchId,
          status: 'PENDING',
          refunds: [],
          unrefundableFen: fen(0),
          failures: [],
        });
    });
    if (fresh.length > 0)
      await deps.ledger.commit({
        entities: fresh.map((b) => deps.ledger.legacy.balances.write(b, { kind: 'absent' })),
      });
  }
  const batch: LegacyRefundBatch = {
    batchId,
    reason: input.reason,
    status: 'PROCESSING',
    createdAt: deps.clock.now().toISOString(),
    balanceIds: taken,
    skipped,
    totals: {
      balances: taken.length,
      done: 0,
      refunded: 0,
      partial: 0,
      failed: 0,
      skipped: skipped.length,
      refundedFen: 0,
      unrefundableFen: 0,
    },
    failures: [],
  };
  await deps.ledger.commit({ entities: [deps.ledger.legacy.batches.write(batch, { kind: 'absent' })] });
  return batch;
}

/** How long the request itself works on a new batch: API Gateway waits 30 s; the sweep does the rest. */
const IN_REQUEST = { budgetMs: 15_000, concurrency: 8 };

/** Records the batch and refunds a first share of it within the request; answers the batch as it then stands. */
export async function refundLegacyBalances(
  deps: PaymentDeps,
  input: { reason: string; balances: readonly LegacyBalanceInput[]; requestKey?: string },
): Promise<LegacyRefundBatch> {
  const batch = await startLegacyRefunds(deps, input);
  return runLegacyRefunds(deps, batch.batchId, IN_REQUEST);
}

/** A batch as the API shows it: its progress, the balances skipped and those not refunded whole. */
export async function getLegacyBatch(deps: Pick<PaymentDeps, 'ledger'>, batchId: string) {
  const { value } = await loadOrNotFound(deps.ledger.legacy.batches, 'Legacy refund batch', batchId);
  return legacyBatchView(value);
}

/** The batch without its list of balance ids (the HIS sent them). */
export const legacyBatchView = ({ balanceIds: _ids, ...batch }: LegacyRefundBatch) => batch;
