/** Loading admissions as the use cases need them, the events they raise, and their views. */
import { balanceOf, type Admission, type AdmissionCharge } from '../../domain/admission';
import type { DomainEventType } from '../../domain/events';
import type { LedgerStore } from '../../ports/ledger-store';
import type { RecordDeps } from '../payments/deps';
import { newEvent } from '../shared/events';
import { loadOwned } from '../shared/records';

/** Loads an admission; NOT_FOUND also for another patient's. */
export const loadAdmission = (ledger: LedgerStore, admissionId: string, patientScope?: string) =>
  loadOwned(ledger.admissions, 'Admission', admissionId, patientScope);

/** An outbox event about an admission, with its balance at that moment. */
export const admissionEvent = (
  deps: Pick<RecordDeps, 'ids' | 'clock'>,
  type: Extract<DomainEventType, `Admission${string}`>,
  admission: Admission,
  extra: Record<string, unknown> = {},
) =>
  newEvent(deps, type, {
    admissionId: admission.admissionId,
    patientId: admission.patientId,
    balanceFen: balanceOf(admission),
    ...extra,
  });

/** Every charge line of an admission, page by page, in the order they were posted. */
export async function* chargesOf(ledger: LedgerStore, admissionId: string): AsyncIterable<AdmissionCharge> {
  let cursor: string | undefined;
  do {
    const page = await ledger.admissions.chargesPage(admissionId, { limit: 100, cursor });
    yield* page.values;
    cursor = page.cursor;
  } while (cursor);
}
