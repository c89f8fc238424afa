/**
 * Type test, checked by `npm run typecheck` (part of `npm test`): each composer returns exactly the parts
 * it builds, and each use case asks for exactly the parts it calls, so wiring a function with the wrong
 * composer does not compile. Every `@ts-expect-error` below fails the check if its line ever compiles.
 * Nothing here runs; the handlers are only built.
 */
import { billDeps } from '../../lib/config/bills';
import { appDeps } from '../../lib/config/container';
import { insuredCreditDeps } from '../../lib/config/insured-credit';
import { providerDeps } from '../../lib/config/providers';
import { webhookDeps } from '../../lib/config/webhooks';
import { closePayment } from '../../lib/http/contract/payments/close-payment';
import { createReconciliation } from '../../lib/http/contract/finance/create-reconciliation';
import { settleVisit } from '../../lib/http/contract/visits/settle-visit';
import { httpHandler, type HttpDeps } from '../../lib/http/handler';
import { webhookHandler, type WebhookDeps } from '../../lib/http/webhook';
import { reconcile } from '../../lib/usecases/finance/reconcile';
import { applyProviderEvent } from '../../lib/usecases/notifications';
import { closePayment as close } from '../../lib/usecases/payments/close';
import { settleVisit as settle } from '../../lib/usecases/visits/settle';

/** A composer of what the use case `U` asks for (and the handler's own needs). */
type ComposerFor<U extends (deps: never, ...rest: never[]) => unknown, H> = () => Promise<
  Parameters<U>[0] & H
>;

/** Four routes as the functions wire them, each taking the composer it is given. */
const closing = (compose: ComposerFor<typeof close, HttpDeps>) =>
  httpHandler(
    closePayment,
    async ({ params, deps }) => ({ status: 200, body: await close(deps, params.paymentId) }),
    compose,
  );
const settling = (compose: ComposerFor<typeof settle, HttpDeps>) =>
  httpHandler(
    settleVisit,
    async ({ params, deps }) => ({
      status: 200,
      body: await settle(deps, params.visitId, { requestedBy: 'x' }),
    }),
    compose,
  );
const reconciling = (compose: ComposerFor<typeof reconcile, HttpDeps>) =>
  httpHandler(
    createReconciliation,
    async ({ body, deps }) => ({ status: 201, body: await reconcile(deps, { ...body, requestedBy: 'x' }) }),
    compose,
  );
const notified = (compose: ComposerFor<typeof applyProviderEvent, WebhookDeps>) =>
  webhookHandler('alipay', applyProviderEvent, compose);

/** Right: each function with its own composer. */
export const right = [
  closing(providerDeps),
  settling(insuredCreditDeps),
  reconciling(billDeps),
  notified(webhookDeps),
];

/** Wrong: a composer that does not build what the use case calls. */
export const wrong = [
  // @ts-expect-error the core builds no payment provider, and closing a payment calls one
  closing(appDeps),
  // @ts-expect-error the webhooks' composer builds verifiers, not providers
  closing(webhookDeps),
  // @ts-expect-error the payment providers are no credit providers, and settling a visit calls those
  settling(providerDeps),
  // @ts-expect-error reconciling reads the providers' bills, which only billDeps builds
  reconciling(providerDeps),
  // @ts-expect-error a webhook verifies with its channel's verifier, which only webhookDeps builds
  notified(providerDeps),
];
