/** Inpatient admissions and their charge lines in the table. */
import { assertAdmissionTransition, type Admission, type AdmissionCharge } from '../../../domain/admission';
import type { PageRequest } from '../../../ports/repositories';
import type { AdmissionRepository } from '../../../ports/repositories';
import type { EntityTable } from '../entity-table';
import { pageOf, repository, valueOf, type EntityKind } from './kind';

/** byTime partition of admissions whose discharge settlement is under way (the admission job reads it). */
const SETTLING = 'ADMISSION#SETTLING';
/** byTime partition of one admission's charge lines, in the order they were posted. */
const chargesOf = (admissionId: string) => `ADMCHARGE#${admissionId}`;

/** Admissions: those settling, by when their settlement started. */
const ADMISSION: EntityKind<Admission> = {
  type: 'admission',
  id: (a) => a.admissionId,
  indexes: (a) =>
    a.status === 'SETTLING' && a.settlement
      ? { byTime: { partition: SETTLING, sort: `${a.settlement.requestedAt}#${a.admissionId}` } }
      : undefined,
  assertTransition: assertAdmissionTransition,
};

const chargeId = (admissionId: string, id: string) => `${admissionId}.${id}`;

/** The admission repository over the table. */
export function admissionRepository(table: EntityTable): AdmissionRepository {
  return {
    ...repository(table, ADMISSION),
    settlingSince: async (before: string, limit: number) =>
      (await table.listByTime(SETTLING, `${before}#~`, limit)).map((e) => valueOf<Admission>(e)),
    chargeWrite: (charge: AdmissionCharge) => ({
      type: 'admcharge',
      id: chargeId(charge.admissionId, charge.chargeId),
      state: charge,
      expect: { kind: 'absent' },
      indexes: {
        byTime: { partition: chargesOf(charge.admissionId), sort: `${charge.postedAt}#${charge.chargeId}` },
      },
    }),
    charge: async (admissionId: string, id: string) => {
      const stored = await table.getEntity('admcharge', chargeId(admissionId, id));
      return stored && valueOf<AdmissionCharge>(stored);
    },
    chargesPage: (admissionId: string, page: PageRequest) =>
      pageOf<AdmissionCharge>(table, 'byTime', chargesOf(admissionId), page),
  };
}
