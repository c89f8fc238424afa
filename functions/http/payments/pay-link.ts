/** GET and POST /pay/{hospitalId}/{token}: a payment link opened in a phone's browser (public; docs/windows.md). */
import { providerDeps } from '../../../lib/config/providers';
import { openPayLink, showPayLink } from '../../../lib/http/contract/payments/pay-link';
import { httpHandler } from '../../../lib/http/handler';
import { payLinkPage } from '../../../lib/http/pay-link-page';
import { payLinkUrl } from '../../../lib/http/pay-links';
import { httpRouter } from '../../../lib/http/router';
import { openPayLink as open, payable, payLinkPayment } from '../../../lib/usecases/payments/pay-link';

export const handler = httpRouter([
  [
    showPayLink,
    httpHandler(
      showPayLink,
      async ({ params, deps }) => {
        const scoped = await deps.inHospital(deps, params.hospitalId, { forCaller: true });
        const { value } = await payLinkPayment(scoped, params.token);
        return {
          status: 200,
          raw: {
            contentType: 'text/html; charset=utf-8',
            body: payLinkPage(value, payable(value, deps.clock.now())),
          },
          headers: { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' },
        };
      },
      providerDeps,
    ),
  ],
  [
    openPayLink,
    httpHandler(
      openPayLink,
      async ({ params, deps, event }) => {
        const scoped = await deps.inHospital(deps, params.hospitalId, { forCaller: true });
        const back = payLinkUrl(deps.config.payLinkBaseUrl, params.hospitalId, params.token);
        const { redirectTo } = await open(scoped, params.token, {
          clientIp: event.requestContext.http.sourceIp,
          returnUrl: back,
        });
        return {
          status: 303,
          raw: { contentType: 'text/plain', body: '' },
          headers: { Location: redirectTo ?? back },
        };
      },
      providerDeps,
    ),
  ],
]);
