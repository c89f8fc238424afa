/** Every route of the HTTP contract; the OpenAPI document is generated from this list. */
import * as payments from './payments';
import * as system from './system';
import * as visits from './visits';
import * as copyRequests from './copy-requests';
import * as admissions from './admissions';
import * as finance from './finance';
import * as callbacks from './callbacks';
import * as hospitals from './hospitals';

/** All routes, in the order the OpenAPI document lists them. */
export const allRoutes = [
  ...Object.values(system),
  payments.createPayment,
  payments.searchPayments,
  payments.getPayment,
  payments.closePayment,
  payments.refundPayment,
  payments.getRefund,
  payments.bulkRefund,
  payments.getBulkRefund,
  payments.showPayLink,
  payments.openPayLink,
  visits.openVisit,
  visits.searchVisits,
  visits.getVisit,
  visits.addCharge,
  visits.voidCharge,
  visits.preauthoriseInsurance,
  visits.settleVisit,
  visits.cancelVisit,
  admissions.openAdmission,
  admissions.getAdmission,
  admissions.postAdmissionCharge,
  admissions.listAdmissionCharges,
  admissions.dischargeAdmission,
  copyRequests.submitCopyRequest,
  copyRequests.searchCopyRequests,
  copyRequests.getCopyRequest,
  copyRequests.completeCopyRequest,
  copyRequests.payCopyRequest,
  copyRequests.shipCopyRequest,
  copyRequests.deliverCopyRequest,
  copyRequests.cancelCopyRequest,
  finance.getStatement,
  finance.createReconciliation,
  finance.getReconciliation,
  finance.listReconciliations,
  finance.listDiscrepancies,
  finance.getDiscrepancy,
  finance.resolveDiscrepancy,
  finance.closeFinanceDay,
  callbacks.createNotificationEndpoint,
  callbacks.listNotificationEndpoints,
  callbacks.getNotificationEndpointSecret,
  callbacks.disableNotificationEndpoint,
  callbacks.rotateNotificationEndpointSecret,
  callbacks.listEvents,
  callbacks.getEvent,
  callbacks.redeliverEvent,
  hospitals.registerHospital,
  hospitals.listHospitals,
  hospitals.getHospital,
  hospitals.connectWechatpay,
  hospitals.connectInsurance,
  hospitals.setHospitalStatus,
  hospitals.connectAlipay,
];
