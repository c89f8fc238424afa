/**
 * Open a payment link (mode h5) in a browser outside the wallet: anyone holding the link may pay it, a
 * family member for the patient.
 *
 * Primary course:
 *   1. Find the payment by the link's token (NOT_FOUND for an unknown one: a link is never guessed).
 *   2. Shown: what is to be paid and where it stands (never who the patient is).
 *   3. Paid from the page: while the payment is PENDING and not expired, order it at the provider from the
 *      payer's browser (WeChat H5 needs its IP) and send the browser to the wallet's cashier (WeChat h5_url,
 *      Alipay wap.pay), which returns it to the link afterwards. Ordering again (a second tap) asks the
 *      provider for the same out_trade_no: the money is taken once. Paid already: the provider's word is
 *      captured and the link shows it.
 * The payer is whoever pays: the notification names them and the capture records them (payerId).
 */
import { NotFoundError } from '../../domain/errors';
import type { Payment } from '../../domain/payment';
import { providerFor, type PaymentDeps, type RecordDeps } from './deps';
import { settleWithProviderState } from './provider-state';

/** The payment a link's token opens, or NOT_FOUND. */
export async function payLinkPayment(deps: RecordDeps, token: string) {
  const found = await deps.ledger.payments.byPayLink(token);
  if (!found) throw new NotFoundError('Payment link', token.slice(0, 6));
  return found;
}

/** Whether a link can still be paid: PENDING and not past its expiry. */
export const payable = (payment: Payment, now: Date) =>
  payment.status === 'PENDING' && Date.parse(payment.expiresAt) > now.getTime();

/**
 * Orders the link's payment from the payer's browser; returns where to send the browser (the wallet's
 * cashier), or none when there is nothing left to pay (paid, closed or expired).
 */
export async function openPayLink(
  deps: PaymentDeps,
  token: string,
  browser: { readonly clientIp: string; readonly returnUrl: string },
): Promise<{ payment: Payment; redirectTo?: string }> {
  const current = await payLinkPayment(deps, token);
  const payment = current.value;
  if (!payable(payment, deps.clock.now())) return { payment };
  const provider = providerFor(deps, payment.channel);
  const created = await provider.createOrder({
    outTradeNo: payment.outTradeNo,
    amountFen: payment.amountFen,
    description: payment.description,
    expiresAt: new Date(payment.expiresAt),
    mode: 'h5',
    ...browser,
  });
  if (created.alreadyPaid)
    return {
      payment: await settleWithProviderState(deps, current, await provider.queryOrder(payment.outTradeNo)),
    };
  return { payment, redirectTo: created.clientParams.h5Url ?? created.clientParams.payUrl };
}
