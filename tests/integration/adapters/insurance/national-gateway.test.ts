/**
 * The national insurance gateway against the sandbox platform over real HTTP, with real SM2 signatures and
 * SM4 encryption both ways: 6201 → 6202 → 6301 → 6203, 6401 before settlement, refusals, outages, forged
 * replies and result pushes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sm2 } from 'sm-crypto-v2';
import { fen } from '../../../../lib/domain/money';
import {
  nationalInsuranceGateway,
  ASSUMED_PLATFORM,
} from '../../../../lib/adapters/insurance/national/gateway';
import { systemClock } from '../../../../lib/adapters/system/clock';
import type { FeeUpload, InsuranceGateway } from '../../../../lib/ports/insurance-gateway';
import { sandboxWithProviders } from '../../../support/sandbox';

type Env = Awaited<ReturnType<typeof sandboxWithProviders>>;

/** A patient authorises in the wallet and the auth code is exchanged (the sandbox's wallet side). */
function payAuthNoFor(env: Env, psnNo: string): string {
  const a = env.sandbox.platform.authorise({ channel: 'wechatpay', psnNo });
  const exchanged = env.sandbox.platform.exchange(a.authCode);
  if (typeof exchanged === 'string') throw new Error(exchanged);
  return String(exchanged.payAuthNo);
}

/** A prescription of 120.00 (X: 70 % fund) and an examination of 80.00 (numeric code: 80 % fund). */
const upload = (payAuthNo: string, medOrgOrd: string): FeeUpload => ({
  payAuthNo,
  insuredRegion: '440100',
  location: '113.264385,23.129112',
  medOrgOrd,
  chargeBatchNo: `B${medOrgOrd}`,
  medicalType: '11',
  totalFen: fen(20_000),
  lines: [
    {
      lineId: 'L1',
      listCode: 'XA01AB',
      hospitalListCode: 'H-X1',
      name: '阿莫西林',
      quantity: '2',
      amountFen: fen(12_000),
    },
    {
      lineId: 'L2',
      listCode: '250101001',
      hospitalListCode: 'H-E1',
      name: '血常规',
      quantity: '1',
      amountFen: fen(8_000),
    },
  ],
  at: new Date(),
});

describe('the national insurance platform (6201/6202/6301/6401/6203) through the envelope', () => {
  let env: Env;
  let gateway: InsuranceGateway;
  beforeAll(async () => {
    env = await sandboxWithProviders('http://127.0.0.1:9');
    gateway = env.insurance.platform;
  });
  afterAll(() => env.sandbox.close());

  it('uploads fees, gets the split, settles with 6202, reads it back with 6301 and refunds it all with 6203', async () => {
    const payAuthNo = payAuthNoFor(env, 'PSN1');
    const up = await gateway.uploadFees(upload(payAuthNo, 'MO1'));
    // fund = 8400 + 6400; personal account = min(10000 balance, 5200 left); cash = 0.
    expect(up.split).toEqual({ fundFen: 14_800, personalAccountFen: 5_200, selfPayFen: 0 });
    // The same upload again answers the same order (idempotent by medOrgOrd).
    expect((await gateway.uploadFees(upload(payAuthNo, 'MO1'))).payOrdId).toBe(up.payOrdId);

    const placed = await gateway.placeOrder({ ...up, payAuthNo, orgBizSer: 'SER1', chargeBatchNo: 'BMO1' });
    expect(placed).toMatchObject({ payOrdId: up.payOrdId, status: 'SETTLED', split: up.split });
    expect(placed.settlementId).toMatch(/^HI/);
    expect(await gateway.queryOrder(up)).toMatchObject({ status: 'SETTLED', ordStas: '1' });

    const refund = await gateway.refund({
      ...up,
      refundNo: 'RF1',
      at: new Date(),
      split: up.split,
      type: 'ALL',
    });
    expect(refund).toMatchObject({ refundNo: 'RF1', status: 'SUCCEEDED' });
    // appRefdSn is unique: the same refund again answers the first one, and refunds nothing twice.
    expect(
      await gateway.refund({ ...up, refundNo: 'RF1', at: new Date(), split: up.split, type: 'ALL' }),
    ).toEqual(refund);
    expect(await gateway.queryOrder(up)).toMatchObject({ status: 'REFUNDED' });
  });

  it('revokes an upload never paid (6401), and refuses to revoke a settled one', async () => {
    const payAuthNo = payAuthNoFor(env, 'PSN2');
    const up = await gateway.uploadFees(upload(payAuthNo, 'MO2'));
    await gateway.revoke(up);
    expect(await gateway.queryOrder(up)).toMatchObject({ status: 'REVOKED' });
    await expect(
      gateway.placeOrder({ ...up, payAuthNo, orgBizSer: 'SER2', chargeBatchNo: 'BMO2' }),
    ).rejects.toMatchObject({ code: 'INSURANCE_REFUSED' });

    const again = payAuthNoFor(env, 'PSN2');
    const paid = await gateway.uploadFees(upload(again, 'MO3'));
    await gateway.placeOrder({ ...paid, payAuthNo: again, orgBizSer: 'SER3', chargeBatchNo: 'BMO3' });
    await expect(gateway.revoke(paid)).rejects.toMatchObject({ code: 'INSURANCE_REFUSED' });
  });

  it('refuses fee lines that do not add up, a payAuthNo used for another upload, and an unknown one', async () => {
    const payAuthNo = payAuthNoFor(env, 'PSN4');
    await expect(
      gateway.uploadFees({ ...upload(payAuthNo, 'MO4'), totalFen: fen(20_001) }),
    ).rejects.toMatchObject({ code: 'INSURANCE_REFUSED', platformCode: 'E6201-SUM' });
    await gateway.uploadFees(upload(payAuthNo, 'MO4'));
    await expect(gateway.uploadFees(upload(payAuthNo, 'MO5'))).rejects.toMatchObject({
      platformCode: 'E-AUTH-USED',
    });
    await expect(gateway.uploadFees(upload('PAN-NOT-ISSUED', 'MO6'))).rejects.toMatchObject({
      platformCode: 'E-AUTH-UNKNOWN',
    });
  });

  it('refuses a partial insured refund unless the platform allows them', async () => {
    const payAuthNo = payAuthNoFor(env, 'PSN7');
    const up = await gateway.uploadFees(upload(payAuthNo, 'MO7'));
    await gateway.placeOrder({ ...up, payAuthNo, orgBizSer: 'SER7', chargeBatchNo: 'BMO7' });
    const half = { ...up.split, fundFen: fen(up.split.fundFen / 2) };
    await expect(
      gateway.refund({ ...up, refundNo: 'RF7', at: new Date(), split: half, type: 'HI' }),
    ).rejects.toMatchObject({ code: 'INSURANCE_REFUSED', platformCode: 'E6203-PARTIAL' });
  });

  it('is unavailable (503, retry) when the platform is down or busy, and changes nothing there', async () => {
    env.sandbox.platform.settings.failNext = { '6201': 1 };
    const payAuthNo = payAuthNoFor(env, 'PSN8');
    await expect(gateway.uploadFees(upload(payAuthNo, 'MO8'))).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
    });
    expect([...env.sandbox.platform.orders.values()].some((o) => o.medOrgOrd === 'MO8')).toBe(false);
    const down = nationalInsuranceGateway(
      {
        ...ASSUMED_PLATFORM,
        baseUrl: 'http://127.0.0.1:9',
        envelope: env.envelopes.hospital,
        orgCode: 'H1',
        orgId: 'O1',
        timeoutMs: 500,
      },
      systemClock,
    );
    await expect(down.uploadFees(upload(payAuthNo, 'MO8'))).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
    });
  });

  it('does not believe a reply signed by another key, and the platform refuses an envelope it cannot verify', async () => {
    const impostor = sm2.generateKeyPairHex();
    const wrongKey = nationalInsuranceGateway(
      {
        ...ASSUMED_PLATFORM,
        baseUrl: `${env.sandbox.url}/insurance/platform`,
        // The hospital signs with a key the platform does not know.
        envelope: { ...env.envelopes.hospital, privateKeyHex: impostor.privateKey },
        orgCode: 'H1',
        orgId: 'O1',
      },
      systemClock,
    );
    await expect(wrongKey.uploadFees(upload(payAuthNoFor(env, 'PSN9'), 'MO9'))).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
    });
    const trustsImpostor = nationalInsuranceGateway(
      {
        ...ASSUMED_PLATFORM,
        baseUrl: `${env.sandbox.url}/insurance/platform`,
        // The platform's replies are checked against a key that is not the platform's.
        envelope: { ...env.envelopes.hospital, platformPublicKeyHex: impostor.publicKey },
        orgCode: 'H1',
        orgId: 'O1',
      },
      systemClock,
    );
    await expect(trustsImpostor.uploadFees(upload(payAuthNoFor(env, 'PSN10'), 'MO10'))).rejects.toMatchObject(
      { code: 'PROVIDER_UNAVAILABLE' },
    );
  });

  it('verifies a result push, and rejects one tampered with or signed by anyone else', async () => {
    const payAuthNo = payAuthNoFor(env, 'PSN11');
    const up = await gateway.uploadFees(upload(payAuthNo, 'MO11'));
    const order = env.sandbox.platform.orders.get(up.payOrdId);
    if (!order) throw new Error('no order');
    env.sandbox.platform.settle(order);
    const push = Buffer.from(env.sandbox.platform.resultPush(order));
    expect(gateway.verifyResult(push)).toMatchObject({
      payOrdId: up.payOrdId,
      medOrgOrd: 'MO11',
      status: 'SETTLED',
      totalFen: 20_000,
      split: up.split,
    });
    const envelope = JSON.parse(push.toString()) as Record<string, string>;
    const forged = { ...envelope, timestamp: '20990101000000' };
    expect(() => gateway.verifyResult(Buffer.from(JSON.stringify(forged)))).toThrow(
      expect.objectContaining({ code: 'NOTIFICATION_REJECTED', reason: 'BAD_SIGNATURE' }),
    );
    expect(() => gateway.verifyResult(Buffer.from('not json'))).toThrow(
      expect.objectContaining({ reason: 'MALFORMED' }),
    );
  });
});
