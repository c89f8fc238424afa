/**
 * Mutation test of each webhook, on DynamoDB Local with the real adapters: from one valid notification of
 * a PAID payment, well over 1,000 variants per channel — every byte of the body flipped (two ways), every
 * header dropped or altered, stale and future timestamps (re-signed, so only the time is wrong), the
 * signature damaged, and every field medpay records changed and re-signed with the provider's own key
 * (authentic but inconsistent), including other orders' numbers. None may be acknowledged, and neither the
 * paid payment nor the other (PENDING) order may change. Only the original itself (a duplicate) is
 * acknowledged, and for Alipay a body that decodes to exactly the same signed parameters (another
 * spelling of the same form, e.g. %e6 for %E6) is the same notification and counted apart.
 */
import { createSign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../../lib/domain/ledger/accounts';
import type { Payment } from '../../../lib/domain/payment';
import { loadPayment } from '../../../lib/usecases/payments/records';
import { PAYERS, webhookHarness, type PaidOverrides, type Raw } from '../../support/webhooks';

/** Every variant of `raw` with one byte's bit flipped, for two bits per byte. */
function byteFlips(raw: Raw): Raw[] {
  const out: Raw[] = [];
  for (let i = 0; i < raw.body.length; i++)
    for (const bit of [1 << (i % 7), 1 << ((i + 3) % 7)]) {
      const body = Buffer.from(raw.body);
      body[i] = (body[i] as number) ^ bit;
      out.push({ headers: raw.headers, body });
    }
  return out;
}

/** Header variants (WeChat): each dropped, each altered without re-signing, the signature damaged. */
function headerMutations(raw: Raw): Raw[] {
  const out: Raw[] = [];
  for (const name of Object.keys(raw.headers)) {
    const { [name]: _dropped, ...rest } = raw.headers;
    out.push({ headers: rest, body: raw.body });
  }
  const ts = Number(raw.headers['wechatpay-timestamp']);
  for (const t of [ts - 1, ts + 1, ts - 310, ts + 310])
    out.push({ headers: { ...raw.headers, 'wechatpay-timestamp': String(t) }, body: raw.body });
  for (const nonce of ['', 'x', `${raw.headers['wechatpay-nonce']}0`])
    out.push({ headers: { ...raw.headers, 'wechatpay-nonce': nonce }, body: raw.body });
  for (const serial of ['', 'UNKNOWN', 'PUB_KEY_ID_0114232134912410000000000000'])
    out.push({ headers: { ...raw.headers, 'wechatpay-serial': serial }, body: raw.body });
  const sig = String(raw.headers['wechatpay-signature']);
  for (let i = 0; i < sig.length; i += 8) {
    const c = sig[i] === 'A' ? 'B' : 'A';
    out.push({
      headers: { ...raw.headers, 'wechatpay-signature': sig.slice(0, i) + c + sig.slice(i + 1) },
      body: raw.body,
    });
  }
  return out;
}

/** Re-signs a WeChat notification's exact body with another timestamp: authentic, but stale or future. */
function resignedAt(raw: Raw, timestamp: number, privateKey: string): Raw {
  const nonce = String(raw.headers['wechatpay-nonce']);
  const signature = createSign('RSA-SHA256')
    .update(`${timestamp}\n${nonce}\n${raw.body.toString('utf8')}\n`)
    .sign(privateKey, 'base64');
  return {
    headers: { ...raw.headers, 'wechatpay-timestamp': String(timestamp), 'wechatpay-signature': signature },
    body: raw.body,
  };
}

const decoded = (body: Buffer) => JSON.stringify([...new URLSearchParams(body.toString('utf8'))].sort());

describe.each(['alipay', 'wechatpay'] as const)('webhook mutation test (%s)', (channel: Channel) => {
  let h: Awaited<ReturnType<typeof webhookHarness>>;
  beforeAll(async () => {
    h = await webhookHarness();
  });
  afterAll(() => h.close());

  it('acknowledges no variant that is not the authentic, consistent original', async () => {
    const p = await h.pendingPayment(channel, 2500, `MUT-${channel}-1`);
    const other = await h.pendingPayment(channel, 4000, `MUT-${channel}-2`);
    expect((await h.payAtProvider(channel, p)).acknowledged).toBe(true);
    const paid: Payment = (await loadPayment(h.deps.ledger, p.paymentId)).value;
    const pendingOther = (await loadPayment(h.deps.ledger, other.paymentId)).value;
    const beijing = new Date(new Date(paid.paidAt as string).getTime() + 8 * 3600_000).toISOString();
    const recorded: PaidOverrides = {
      tradeNo: paid.providerTradeNo,
      paidAt: `${beijing.slice(0, 10)} ${beijing.slice(11, 19)}`,
    };
    const original = h.paidNotification(channel, paid, recorded);
    expect((await h.deliver(channel, original)).acknowledged).toBe(true); // the control: a true duplicate

    // Authentic (signed with the provider's key) but inconsistent with the record, field by field.
    const fieldChanges: PaidOverrides[] = [
      ...[1, 2499, 2501, 25000, 250, 0].map((amountFen) => ({ amountFen })),
      ...['USD', 'cny', 'HKD', ''].map((currency) => ({ currency })),
      { outTradeNo: other.outTradeNo },
      { outTradeNo: other.outTradeNo, amountFen: 4000, tradeNo: paid.providerTradeNo },
      // Another trade number: the last digit changed (a random one may already end in 9: then 8).
      { tradeNo: `${paid.providerTradeNo?.slice(0, -1)}${paid.providerTradeNo?.endsWith('9') ? '8' : '9'}` },
      { payerId: channel === 'alipay' ? '2088000000000001' : 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6X' },
      { paidAt: '2026-11-23 23:59:59' },
      { appId: channel === 'alipay' ? '2021000000000001' : 'wx0000000000000001' },
      { merchantId: channel === 'alipay' ? '2088000000000002' : '1900000001' },
      ...(channel === 'alipay'
        ? ['WAIT_BUYER_PAY', 'TRADE_CLOSED']
        : ['NOTPAY', 'CLOSED', 'REFUND', 'PAYERROR']
      ).map((status) => ({ status })),
    ];
    const inconsistent = fieldChanges.map((o) => h.paidNotification(channel, paid, { ...recorded, ...o }));
    // The other order is PENDING: an authentic notification naming it with p's amount or p's payer contradicts it too.
    inconsistent.push(h.paidNotification(channel, pendingOther, { amountFen: 2500 }));
    inconsistent.push(h.paidNotification(channel, pendingOther, { currency: 'USD' }));
    inconsistent.push(
      h.paidNotification(channel, pendingOther, {
        payerId: channel === 'alipay' ? '2088000000000001' : 'oX',
      }),
    );

    const signatureLevel =
      channel === 'wechatpay' ? [...byteFlips(original), ...headerMutations(original)] : byteFlips(original);
    // Validly signed, but outside the 300 s window: re-signed at the moment each is sent, since "310 s
    // ahead" of a time taken before a thousand deliveries is no longer outside the window when it arrives.
    const outsideWindow = (d: number) => () =>
      resignedAt(original, Math.floor(Date.now() / 1000) + d, h.env.keys.certificate.privateKey);
    const timed = channel === 'wechatpay' ? [-310, -3600, 310, 86_400].map(outsideWindow) : [];

    const counts = { variants: 0, acknowledged: 0, sameNotification: 0, refused: 0 };
    const rejected = () => h.counted.filter((c) => c.name === 'NotificationsRejected').length;
    const rejectedBefore = rejected();
    let unauthorised = 0;
    for (const variantOrLater of [...signatureLevel, ...timed, ...inconsistent]) {
      const variant = typeof variantOrLater === 'function' ? variantOrLater() : variantOrLater;
      // For Alipay the signature covers the decoded parameters: another spelling of the same form is the same one.
      if (channel === 'alipay' && decoded(variant.body) === decoded(original.body)) {
        counts.sameNotification += 1;
        continue;
      }
      counts.variants += 1;
      const res = await h.deliver(channel, variant);
      if (res.acknowledged) counts.acknowledged += 1;
      else counts.refused += 1;
      if (res.statusCode === 401) unauthorised += 1;
    }
    // Every 401 (forged, stale, tampered, malformed) is counted by reason for the alarm.
    expect(unauthorised).toBeGreaterThan(0);
    expect(rejected() - rejectedBefore).toBe(unauthorised);
    console.info(
      `mutation ${channel}: ${JSON.stringify(counts)} (field-level, re-signed: ${inconsistent.length})`,
    );
    expect(counts.variants).toBeGreaterThanOrEqual(1000);
    expect(counts.acknowledged).toBe(0);
    expect((await loadPayment(h.deps.ledger, p.paymentId)).value).toEqual(paid);
    expect((await loadPayment(h.deps.ledger, other.paymentId)).value).toEqual(pendingOther);
    expect(await h.deps.ledger.getTransaction(`payment:${other.paymentId}:captured`)).toBeUndefined();
    expect(PAYERS[channel]).toBeTruthy();
  });
});
