/** Pay-later visit routes (API.md, Visits: diagnose first, pay later). */
export { openVisit } from './visits/open-visit';
export { getVisit } from './visits/get-visit';
export { addCharge } from './visits/add-charge';
export { voidCharge } from './visits/void-charge';
export { preauthoriseInsurance } from './visits/preauthorise-insurance';
export { settleVisit } from './visits/settle-visit';
export { cancelVisit } from './visits/cancel-visit';
export { searchVisits } from './visits/search-visits';
