/** Dispute routes (docs/disputes.md). */
export { openDispute } from './disputes/open-dispute';
export { listDisputes } from './disputes/list-disputes';
export { getDispute } from './disputes/get-dispute';
export { replyDispute, refundDispute, completeDispute } from './disputes/dispute-actions';
