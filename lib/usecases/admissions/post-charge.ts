/**
 * The HIS posts a charge against an admission (POST /admissions/{id}/charges): the day's lines (一日清单).
 *
 * Primary course:
 *   1. Idempotent by chargeId: the same line again answers the balance; another amount is CHARGE_ID_REUSED.
 *   2. Only while the admission is OPEN (409 once discharge started).
 *   3. The line, the admission's new totals (guarded by its version, so racing lines and top-ups re-read)
 *      and the postings Dr admission tab / Cr revenue:<category> go in ONE transaction; when the line takes
 *      the balance under the admission's threshold, an AdmissionLowBalance event goes with them (once per
 *      crossing; a top-up above it re-arms it).
 */
import { Accounts } from '../../domain/ledger/accounts';
import { journalTransaction, txnIdFor } from '../../domain/ledger/journal';
import {
  balanceOf,
  decidePostCharge,
  withCharge,
  type Admission,
  type AdmissionCharge,
  type AdmissionChargeCategory,
} from '../../domain/admission';
import { businessDayOf } from '../../domain/business-day';
import type { Fen } from '../../domain/money';
import type { ChargeListing } from '../../domain/visit';
import { retryOnConflict } from '../shared/retry';
import type { AdmissionDeps } from './deps';
import { admissionEvent, loadAdmission } from './records';

/** A charge line as the HIS sends it. */
export interface PostChargeInput {
  readonly chargeId: string;
  readonly category: AdmissionChargeCategory;
  readonly description: string;
  readonly amountFen: Fen;
  /** The day charged for (YYYY-MM-DD, Asia/Shanghai); the day it is posted when absent. */
  readonly serviceDate?: string;
  /** The line's medical-list codes for insurance at discharge; without them it is self-pay. */
  readonly listing?: ChargeListing;
}

/** The balance an admission shows after a charge. */
export const balanceView = (a: Admission) => ({
  admissionId: a.admissionId,
  status: a.status,
  depositsFen: a.depositsFen,
  chargesFen: a.chargesFen,
  balanceFen: balanceOf(a),
  lowBalance: a.lowBalance,
});

/** Posts the line (idempotent by chargeId) and answers the balance. */
export function postCharge(
  deps: Pick<AdmissionDeps, 'ledger' | 'clock' | 'ids'>,
  admissionId: string,
  input: PostChargeInput,
) {
  return retryOnConflict(async () => {
    // Both reads at once: the line decides a repeat, the admission everything else.
    const [{ value: admission, version }, existing] = await Promise.all([
      loadAdmission(deps.ledger, admissionId),
      deps.ledger.admissions.charge(admissionId, input.chargeId),
    ]);
    if (decidePostCharge(admission, existing, input) === 'duplicate')
      return { chargeId: input.chargeId, ...balanceView(admission) };
    const now = deps.clock.now();
    const charge: AdmissionCharge = {
      admissionId,
      chargeId: input.chargeId,
      category: input.category,
      description: input.description,
      amountFen: input.amountFen,
      serviceDate: input.serviceDate ?? businessDayOf(now),
      postedAt: now.toISOString(),
      ...(input.listing ? { listing: input.listing } : {}),
    };
    const { next, lowBalance } = withCharge(admission, input.amountFen);
    await deps.ledger.commit({
      entities: [
        deps.ledger.admissions.write(next, { kind: 'status', status: ['OPEN'], version }),
        deps.ledger.admissions.chargeWrite(charge),
      ],
      journal: journalTransaction({
        txnId: txnIdFor('admission-charge', `${admissionId}.${input.chargeId}`, 'posted'),
        occurredAt: now,
        refs: { admissionId, chargeId: input.chargeId, category: input.category },
        postings: [
          { account: Accounts.admissionTab(admissionId), side: 'debit', amountFen: input.amountFen },
          { account: Accounts.revenue(input.category), side: 'credit', amountFen: input.amountFen },
        ],
      }),
      events: lowBalance
        ? [admissionEvent(deps, 'AdmissionLowBalance', next, { lowBalanceFen: next.lowBalanceFen })]
        : [],
    });
    return { chargeId: input.chargeId, ...balanceView(next) };
  });
}
