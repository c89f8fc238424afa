/**
 * Search payments: a HIS finds its own orders, staff list a day.
 *
 * Primary course:
 *   1. Pick the index partition: the HIS reference's payments, or the business day's in creation order (one
 *      of the two is required, so nothing ever scans the table).
 *   2. Read one page of it from the cursor, load each payment, and keep those matching the filters
 *      (status, channel, patient; a patient always sees only their own).
 *   3. Return them with the cursor of the next page (absent on the last). A page may hold fewer than the
 *      limit when filters drop some; walking the cursors visits every payment once.
 */
import { businessDayOf } from '../../domain/business-day';
import { ValidationError } from '../../domain/errors';
import type { Channel } from '../../domain/ledger/accounts';
import type { PaymentStatus } from '../../domain/payment';
import type { LedgerStore } from '../../ports/ledger-store';
import { paymentView } from '../views';

/** What to search for. */
export interface PaymentSearch {
  readonly referenceId?: string;
  /** Business day, yyyy-mm-dd (Asia/Shanghai). */
  readonly date?: string;
  readonly status?: PaymentStatus;
  readonly channel?: Channel;
  readonly patientId?: string;
  readonly limit: number;
  readonly cursor?: string;
}

/** One page of matching payments, as GET /payments/{id} shows each. */
export async function searchPayments(
  deps: { ledger: LedgerStore },
  search: PaymentSearch,
  patientScope?: string,
) {
  if (!search.referenceId && !search.date)
    throw new ValidationError('Search by referenceId or by date (yyyy-mm-dd), or both.', [
      { path: 'query.date', message: 'referenceId or date is required' },
    ]);
  const patientId = patientScope ?? search.patientId;
  const request = { limit: search.limit, cursor: search.cursor };
  const page = search.referenceId
    ? await deps.ledger.payments.pageOfReference(search.referenceId, request)
    : await deps.ledger.payments.pageOfDay(search.date as string, request);
  const matching = page.values.filter(
    (p) =>
      (!search.status || p.status === search.status) &&
      (!search.channel || p.channel === search.channel) &&
      (!patientId || p.patientId === patientId) &&
      (!search.date || businessDayOf(new Date(p.createdAt)) === search.date),
  );
  return {
    items: await Promise.all(matching.map((p) => paymentView(p, deps.ledger))),
    ...(page.cursor ? { nextCursor: page.cursor } : {}),
  };
}
