/** Reading an admission (GET /admissions/{id}) and its charge lines, as the HIS, the ward and the patient see them. */
import { balanceOf, type Admission } from '../../domain/admission';
import type { Payment } from '../../domain/payment';
import type { PageRequest } from '../../ports/repositories';
import type { RecordDeps } from '../payments/deps';
import { loadAdmission } from './records';

/** The admission with its balance, and the arrears payment when one was asked for. */
export async function getAdmission(
  deps: Pick<RecordDeps, 'ledger'>,
  admissionId: string,
  patientScope?: string,
) {
  const { value: admission } = await loadAdmission(deps.ledger, admissionId, patientScope);
  return { admission, arrears: await arrearsOf(deps, admission) };
}

/** The arrears payment a settlement asked for, if any (its status and link show on the admission). */
export async function arrearsOf(deps: Pick<RecordDeps, 'ledger'>, admission: Admission) {
  const arrearsId = admission.settlement?.arrears?.paymentId;
  return arrearsId ? (await deps.ledger.payments.get(arrearsId))?.value : undefined;
}

/** One page of the admission's charge lines (patients: their own admission's). */
export async function listAdmissionCharges(
  deps: Pick<RecordDeps, 'ledger'>,
  admissionId: string,
  page: PageRequest,
  patientScope?: string,
) {
  await loadAdmission(deps.ledger, admissionId, patientScope);
  const found = await deps.ledger.admissions.chargesPage(admissionId, page);
  return {
    items: found.values.map(({ listing, admissionId: _id, ...c }) => ({
      ...c,
      listed: listing !== undefined,
    })),
    ...(found.cursor ? { nextCursor: found.cursor } : {}),
  };
}

/** The admission as the API shows it; `payUrl` turns the arrears payment's link token into its URL. */
export function admissionView(admission: Admission, arrears?: Payment, payUrl?: (token: string) => string) {
  const s = admission.settlement;
  return {
    admissionId: admission.admissionId,
    patientId: admission.patientId,
    ward: admission.ward,
    status: admission.status,
    requestedDepositFen: admission.requestedDepositFen,
    depositCapFen: admission.depositCapFen,
    lowBalanceFen: admission.lowBalanceFen,
    depositsFen: admission.depositsFen,
    chargesFen: admission.chargesFen,
    balanceFen: balanceOf(admission),
    lowBalance: admission.lowBalance,
    chargeCount: admission.chargeCount,
    openedAt: admission.openedAt,
    ...(admission.dischargedAt ? { dischargedAt: admission.dischargedAt } : {}),
    ...(admission.settledAt ? { settledAt: admission.settledAt } : {}),
    ...(admission.lastDischargeError ? { lastDischargeError: admission.lastDischargeError } : {}),
    topUps: admission.topUps,
    ...(s
      ? {
          settlement: {
            step: s.step,
            requestedBy: s.requestedBy,
            requestedAt: s.requestedAt,
            ...(s.insurance
              ? {
                  insurance: {
                    status: s.insurance.status,
                    settleIn: s.insurance.settleIn ?? 'platform',
                    payOrdId: s.insurance.payOrdId,
                    split: s.insurance.split,
                    ...(s.insurance.paymentId ? { paymentId: s.insurance.paymentId } : {}),
                  },
                }
              : {}),
            ...(s.plan ? { plan: s.plan } : {}),
            ...(s.arrears
              ? {
                  arrears: {
                    ...s.arrears,
                    status: arrears?.status ?? 'PENDING',
                    ...(arrears?.payLink && payUrl ? { payUrl: payUrl(arrears.payLink) } : {}),
                  },
                }
              : {}),
            ...(s.lastError ? { lastError: s.lastError } : {}),
          },
        }
      : {}),
  };
}
