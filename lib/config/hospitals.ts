/**
 * The operator part of the composition root: the hospital registry's functions exchange an Alipay merchant's
 * app_auth_code with the platform's own Alipay app (lib/adapters/alipay/app-auth.ts).
 */
import { alipayAppAuthorisations } from '../adapters/alipay/app-auth';
import { ValidationError } from '../domain/errors';
import type { AppAuthorisations } from '../ports/app-authorisation';
import { alipayClientFor } from './channels';
import { composeDeps } from './container';

/** Exchanges refused because this deployment has no Alipay app to act as the service provider. */
const notConfigured = () =>
  Promise.reject(
    new ValidationError('Alipay is not configured on this deployment: no app can act for the merchant.', [
      { path: 'body.appAuthCode', message: 'Alipay not configured' },
    ]),
  );
const noAlipay: AppAuthorisations = { exchange: notConfigured, query: notConfigured, refresh: notConfigured };

/** The dependencies of the hospital registry's functions. */
export const operatorDeps = composeDeps({
  providers: async (config) => {
    const client = await alipayClientFor(config);
    return { appAuthorisations: client ? alipayAppAuthorisations(client) : noAlipay };
  },
});
