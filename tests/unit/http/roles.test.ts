/**
 * The roles of every route, as API.md grants them (#12). Where the code is wider than API.md it is
 * deliberate and documented in docs/api.md (API roles): finance may read payments, refunds, visits and
 * copy requests (the records behind reconciliation lines); the courier's signed callback may confirm
 * delivery; staff and patients may cancel a visit or a copy request and close a payment (API.md names no
 * role for those); the patient may authorise insurance on their own visit (the code is made on their phone). Admin's only routes are the HIS callback endpoints (#14: "Staff with role admin register
 * endpoints"); the HIS reads the event log with its staff token, as it calls every other route.
 */
import { describe, expect, it } from 'vitest';
import { allRoutes } from '../../../lib/http/contract';

const PAYMENTS = ['patient', 'staff'];
const READ = ['patient', 'staff', 'finance'];
const EXPECTED: Record<string, string | string[]> = {
  getHealth: 'public',
  getOpenApi: 'public',
  getWhoAmI: ['patient', 'staff', 'finance', 'admin'],
  // "Payments (role: patient for their own; staff for any)"
  createPayment: PAYMENTS,
  searchPayments: READ,
  getPayment: READ,
  closePayment: PAYMENTS,
  refundPayment: PAYMENTS, // "Role: staff, or a patient for their own payment."
  getRefund: READ,
  // An ABNORMAL refund is sent on by staff or finance; the overdue ones are finance's to-do list.
  rerouteRefund: ['staff', 'finance'],
  listOverdueRefunds: ['staff', 'finance'],
  bulkRefund: ['staff'], // "POST /refunds/bulk (staff)", and its progress
  getBulkRefund: ['staff'],
  // A payment link: its unguessable token is the capability (docs/windows.md).
  showPayLink: 'public',
  openPayLink: 'public',
  openVisit: ['patient'], // "POST /visits (patient)"
  getVisit: READ,
  searchVisits: READ,
  addVisitCharge: ['staff'],
  voidVisitCharge: ['staff'],
  preauthoriseVisitInsurance: ['patient', 'staff'],
  settleVisit: ['patient', 'staff'], // "staff or the visit's patient"
  cancelVisit: ['patient', 'staff'],
  // Inpatients: the HIS (staff) opens, charges and discharges; the patient reads their own.
  openAdmission: ['staff'],
  getAdmission: READ,
  postAdmissionCharge: ['staff'],
  listAdmissionCharges: READ,
  getAdmissionStatement: READ,
  dischargeAdmission: ['staff'],
  refundLegacyDeposits: ['staff', 'finance'],
  getLegacyRefunds: ['staff', 'finance'],
  // Disputes: a patient disputes their own charge (staff may open one for them); staff and finance answer.
  openDispute: PAYMENTS,
  listDisputes: ['staff', 'finance'],
  getDispute: READ,
  replyDispute: ['staff', 'finance'],
  refundDispute: ['staff', 'finance'],
  completeDispute: ['staff', 'finance'],
  submitCopyRequest: ['patient'], // "POST /copy-requests (patient)"
  getCopyRequest: READ,
  searchCopyRequests: READ,
  completeCopyRequest: ['staff'],
  payCopyRequest: ['patient'],
  shipCopyRequest: ['staff'],
  deliverCopyRequest: ['staff', 'courier'],
  cancelCopyRequest: ['patient', 'staff'],
  // "Finance (role: finance)"
  getStatement: ['finance'],
  createReconciliation: ['finance'],
  getReconciliation: ['finance'],
  listReconciliations: ['finance'],
  listDiscrepancies: ['finance'],
  getDiscrepancy: ['finance'],
  resolveDiscrepancy: ['finance'],
  closeFinanceDay: ['finance'],
  createNotificationEndpoint: ['admin'],
  listNotificationEndpoints: ['admin'],
  getNotificationEndpointSecret: ['admin'],
  disableNotificationEndpoint: ['admin'],
  rotateNotificationEndpointSecret: ['admin'],
  listEvents: ['staff', 'admin'],
  getEvent: ['staff', 'admin'],
  redeliverEvent: ['staff', 'admin'],
  // The platform operator's registry: no hospital role reaches it, and the operator reaches nothing else.
  registerHospital: ['operator'],
  listHospitals: ['operator'],
  getHospital: ['operator'],
  connectWechatpay: ['operator'],
  connectAlipay: ['operator'],
  connectInsurance: ['operator'],
  connectReceipts: ['operator'],
  setHospitalStatus: ['operator'],
};

describe('route roles', () => {
  it('match the contract for every route', () => {
    const actual = Object.fromEntries(
      allRoutes.map((r) => [r.operationId, typeof r.auth === 'string' ? r.auth : [...r.auth].sort()]),
    );
    const expected = Object.fromEntries(
      Object.entries(EXPECTED).map(([k, v]) => [k, typeof v === 'string' ? v : [...v].sort()]),
    );
    expect(actual).toEqual(expected);
  });
});
