/** Inpatient routes: admissions, their charges, deposits (through POST /payments) and discharge settlement. */
export { openAdmission } from './admissions/open-admission';
export { getAdmission } from './admissions/get-admission';
export { postAdmissionCharge } from './admissions/post-charge';
export { listAdmissionCharges } from './admissions/list-charges';
export { dischargeAdmission } from './admissions/discharge';
export { refundLegacyDeposits, getLegacyRefunds } from './admissions/legacy-refunds';
export { getAdmissionStatement } from './admissions/statement';
