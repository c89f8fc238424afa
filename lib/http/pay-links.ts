/** Payment links' URLs: `<PAY_LINK_BASE_URL>/pay/<hospitalId>/<token>`. */
import { ValidationError } from '../domain/errors';

/** The base payment links are made under; a 400 where links are not configured (PAY_LINK_BASE_URL unset). */
export function payLinkBase(baseUrl: string | undefined): string {
  if (!baseUrl)
    throw new ValidationError('Payment links are not configured here (PAY_LINK_BASE_URL).', [
      { path: 'body.mode', message: 'h5 needs PAY_LINK_BASE_URL' },
    ]);
  return baseUrl.replace(/\/$/, '');
}

/** The URL of a payment link. */
export const payLinkUrl = (baseUrl: string | undefined, hospitalId: string, token: string) =>
  `${payLinkBase(baseUrl)}/pay/${hospitalId}/${token}`;

/** How an admission's view turns its arrears payment's token into a URL (none where links are not configured). */
export const arrearsLink = (deps: { config: { payLinkBaseUrl?: string }; hospitalId: string }) =>
  deps.config.payLinkBaseUrl
    ? (token: string) => payLinkUrl(deps.config.payLinkBaseUrl, deps.hospitalId, token)
    : undefined;
