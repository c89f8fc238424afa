/** One verified Alipay gateway call, shared by the payment and credit adapters. */
import type { AlipaySdk } from 'alipay-sdk';
import { ProviderUnavailableError } from '../../domain/errors';

/** A decoded gateway response (snake_case fields, as Alipay sends them). */
export type AlipayResult = Record<string, string | undefined>;

/** Builds `exec`: runs a method with response-signature checking; transport or signature failures are 503. */
export function alipayExec(sdk: AlipaySdk, notifyUrl: string) {
  return async function exec(
    method: string,
    bizContent: Record<string, unknown>,
    withNotify = false,
  ): Promise<AlipayResult> {
    try {
      return await sdk.exec(
        method,
        { bizContent, ...(withNotify ? { notifyUrl } : {}) },
        { validateSign: true },
      );
    } catch (error) {
      throw new ProviderUnavailableError(
        'Alipay did not answer with a verified response; nothing was changed. Retry with the same Idempotency-Key.',
        { channel: 'alipay', method },
        { cause: error },
      );
    }
  };
}

/** `10000`: the call succeeded. */
export const alipayOk = (r: AlipayResult) => r.code === '10000';

/** Alipay's own trouble (unknown outcome): query before deciding. */
export const alipaySystemError = (r: AlipayResult) =>
  r.code === '20000' ||
  r.code === '20001' ||
  r.sub_code === 'ACQ.SYSTEM_ERROR' ||
  r.sub_code === 'SYSTEM_ERROR';
