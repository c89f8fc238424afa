/** Payment and refund routes (API.md, Payments). */
export { createPayment } from './payments/create-payment';
export { searchPayments } from './payments/search-payments';
export { getPayment } from './payments/get-payment';
export { closePayment } from './payments/close-payment';
export { refundPayment } from './payments/refund-payment';
export { getRefund } from './payments/get-refund';
export { rerouteRefund } from './payments/reroute-refund';
export { listOverdueRefunds } from './payments/overdue-refunds';
export { bulkRefund } from './payments/bulk-refund';
export { getBulkRefund } from './payments/get-bulk-refund';
export { showPayLink, openPayLink } from './payments/pay-link';
