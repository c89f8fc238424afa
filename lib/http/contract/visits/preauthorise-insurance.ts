/** The `POST /visits/{visitId}/insurance/preauthorisations` route. */
import * as z from 'zod/mini';
import { defineRoute } from '../../route';
import { described, lazy } from '../common';
import { VisitParams, preauth } from './schemas';

const PreauthView = lazy(() => described(z.object(preauth), { id: 'InsurancePreauthorisation' }));

export const preauthoriseInsurance = defineRoute({
  operationId: 'preauthoriseVisitInsurance',
  method: 'POST',
  path: '/visits/{visitId}/insurance/preauthorisations',
  summary: 'Pre-settle the tab with medical insurance (bound to the current tab)',
  tags: ['visits'],
  auth: ['staff'],
  params: VisitParams,
  responses: () => ({
    201: { description: 'The hold.', schema: PreauthView() },
    409: { description: 'INVALID_STATE: the visit is not insured, or not OPEN.' },
    503: { description: 'PROVIDER_UNAVAILABLE: the bureau did not answer.' },
  }),
});
