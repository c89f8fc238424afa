/** Copy-request routes (API.md, Copy requests: fee collected after the copies are made). */
export { submitCopyRequest } from './copy-requests/submit-copy-request';
export { completeCopyRequest } from './copy-requests/complete-copy-request';
export { payCopyRequest } from './copy-requests/pay-copy-request';
export { shipCopyRequest } from './copy-requests/ship-copy-request';
export { deliverCopyRequest } from './copy-requests/deliver-copy-request';
export { cancelCopyRequest } from './copy-requests/cancel-copy-request';
export { getCopyRequest } from './copy-requests/get-copy-request';
export { searchCopyRequests } from './copy-requests/search-copy-requests';
