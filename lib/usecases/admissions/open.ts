/**
 * The HIS opens an inpatient admission (POST /admissions).
 *
 * Primary course:
 *   1. The admission's id is the HIS's own (住院号): opening it again for the same patient answers the
 *      admission as it stands (idempotent); for another patient it is 409.
 *   2. Its deposit cap is the HIS's when it names one, never above the hospital's configured cap; the
 *      requested deposit must fit under it (400).
 *   3. Written OPEN with an AdmissionOpened event, in one transaction.
 */
import { InvalidStateError, ValidationError } from '../../domain/errors';
import type { Admission } from '../../domain/admission';
import { fen, type Fen } from '../../domain/money';
import type { AdmissionDeps } from './deps';
import { admissionEvent } from './records';

/** What the HIS sends to open an admission. */
export interface OpenAdmissionInput {
  readonly admissionId: string;
  readonly patientId: string;
  readonly ward: string;
  readonly requestedDepositFen: Fen;
  readonly depositCapFen?: Fen;
  readonly lowBalanceFen?: Fen;
}

/** Opens the admission, or answers the one already open under its id. */
export async function openAdmission(
  deps: Pick<AdmissionDeps, 'ledger' | 'clock' | 'ids' | 'admissions'>,
  input: OpenAdmissionInput,
): Promise<Admission> {
  const existing = await deps.ledger.admissions.get(input.admissionId);
  if (existing) return sameAdmission(existing.value, input);
  const depositCapFen = fen(
    Math.min(input.depositCapFen ?? deps.admissions.depositCapFen, deps.admissions.depositCapFen),
  );
  if (input.requestedDepositFen > depositCapFen)
    throw new ValidationError(`The requested deposit is above the deposit cap of ${depositCapFen} fen.`, [
      { path: 'body.requestedDepositFen', message: `at most ${depositCapFen}` },
    ]);
  const admission: Admission = {
    admissionId: input.admissionId,
    patientId: input.patientId,
    ward: input.ward,
    status: 'OPEN',
    requestedDepositFen: input.requestedDepositFen,
    depositCapFen,
    lowBalanceFen: input.lowBalanceFen ?? deps.admissions.lowBalanceFen,
    openedAt: deps.clock.now().toISOString(),
    depositsFen: fen(0),
    chargesFen: fen(0),
    chargeCount: 0,
    topUps: [],
    lowBalance: false,
  };
  try {
    await deps.ledger.commit({
      entities: [deps.ledger.admissions.write(admission, { kind: 'absent' })],
      events: [
        admissionEvent(deps, 'AdmissionOpened', admission, {
          ward: admission.ward,
          requestedDepositFen: admission.requestedDepositFen,
        }),
      ],
    });
  } catch (error) {
    // Opened by a concurrent call of the same HIS request: answer that one.
    const raced = await deps.ledger.admissions.get(input.admissionId);
    if (raced) return sameAdmission(raced.value, input);
    throw error;
  }
  return admission;
}

/** The admission already stored under the id: the same patient's, or a 409. */
function sameAdmission(stored: Admission, input: OpenAdmissionInput): Admission {
  if (stored.patientId !== input.patientId)
    throw new InvalidStateError(`Admission ${input.admissionId} was opened for another patient.`, {
      admissionId: input.admissionId,
    });
  return stored;
}
