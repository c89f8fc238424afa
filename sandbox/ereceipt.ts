/**
 * The fiscal e-receipt platform as the sandbox plays it (docs/receipts.md), over the envelope
 * lib/adapters/ereceipt/bosssoft.ts documents: `{appid, data (Base64 JSON), noise, version, sign}` with the
 * upper-case MD5 signature, answers `{result, message (Base64 JSON)}`, "S0000" for success. Never deployed.
 *
 * What it does, as the simulator's own documented rules (no vendor document is stored):
 * - invoiceEBillOutpatient issues a receipt: 票据代码 (8 digits), 票据号码 (10 digits), 校验码 (6 characters),
 *   createTime (yyyyMMddHHmmssSSS) and a page URL; the same busNo again answers the same receipt;
 * - writeOffEBill (冲红) issues the red receipt of one issued receipt, whole (no partial reversal: a partial
 *   refund is reversed and reissued); the same receipt again answers the same red receipt; an unknown one is
 *   refused (E0001);
 * - a bad signature is refused (E0002), a wrong appid (E0003), a malformed request (E0004);
 * - `outage` (POST /sandbox/settings {"ereceiptOutage":true}) answers 503 to everything.
 */
import { createHash, randomBytes } from 'node:crypto';

/** One receipt or red receipt the simulator issued. */
export interface SimulatedBill {
  kind: 'ISSUED' | 'REVERSED';
  busNo?: string;
  billBatchCode: string;
  billNo: string;
  random: string;
  createTime: string;
  totalAmt: string;
  payer?: string;
  reverses?: { billBatchCode: string; billNo: string };
  reversedBy?: string;
}

/** The simulator over the hospital's account (`appId`, `key`). */
export function ereceiptPlatform(account: { appId: string; key: string }, baseUrl: () => string) {
  const bills: SimulatedBill[] = [];
  const settings = { outage: false };
  let next = 1;
  const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');
  const now = () =>
    new Date(Date.now() + 8 * 3_600_000)
      .toISOString()
      .replace(/[-:TZ.]/g, '')
      .slice(0, 17);
  const reply = (result: string, message: object | string) => ({
    status: 200,
    body: JSON.stringify({
      result,
      message: Buffer.from(typeof message === 'string' ? message : JSON.stringify(message), 'utf8').toString(
        'base64',
      ),
    }),
  });
  const view = (b: SimulatedBill) => ({
    createTime: b.createTime,
    billQRCode: Buffer.from(`${b.billBatchCode}${b.billNo}`).toString('base64'),
    pictureUrl: `${baseUrl()}/sandbox/ereceipts/${b.billBatchCode}/${b.billNo}`,
    pictureNetUrl: `${baseUrl()}/sandbox/ereceipts/${b.billBatchCode}/${b.billNo}`,
  });
  const numbered = (kind: SimulatedBill['kind']) => ({
    kind,
    billBatchCode: kind === 'ISSUED' ? '44060126' : '44060127',
    billNo: String(next++).padStart(10, '0'),
    random: digits(6),
    createTime: now(),
  });

  /** POST /ereceipt/{method}. */
  function call(method: string, raw: string): { status: number; body: string } {
    if (settings.outage) return { status: 503, body: 'Service Unavailable' };
    let envelope: Record<string, unknown>;
    let data: Record<string, unknown>;
    try {
      envelope = JSON.parse(raw) as Record<string, unknown>;
      data = JSON.parse(Buffer.from(String(envelope.data), 'base64').toString('utf8')) as Record<
        string,
        unknown
      >;
    } catch {
      return reply('E0004', '请求报文格式错误');
    }
    if (envelope.appid !== account.appId) return reply('E0003', 'appid 不存在');
    const expected = createHash('md5')
      .update(
        `appid=${String(envelope.appid)}&data=${String(envelope.data)}&noise=${String(envelope.noise)}&key=${account.key}&version=${String(envelope.version)}`,
        'utf8',
      )
      .digest('hex')
      .toUpperCase();
    if (envelope.sign !== expected) return reply('E0002', '签名验证失败');
    if (method === 'invoiceEBillOutpatient') {
      if (typeof data.busNo !== 'string' || !/^\d+\.\d{2}$/.test(String(data.totalAmt)))
        return reply('E0004', 'busNo 或 totalAmt 不合法');
      const earlier = bills.find((b) => b.kind === 'ISSUED' && b.busNo === data.busNo);
      if (earlier)
        return reply('S0000', {
          billBatchCode: earlier.billBatchCode,
          billNo: earlier.billNo,
          random: earlier.random,
          ...view(earlier),
        });
      const bill: SimulatedBill = {
        ...numbered('ISSUED'),
        busNo: data.busNo,
        totalAmt: String(data.totalAmt),
        ...(typeof data.payer === 'string' ? { payer: data.payer } : {}),
      };
      bills.push(bill);
      return reply('S0000', {
        billBatchCode: bill.billBatchCode,
        billNo: bill.billNo,
        random: bill.random,
        ...view(bill),
      });
    }
    if (method === 'writeOffEBill') {
      const original = bills.find(
        (b) => b.kind === 'ISSUED' && b.billBatchCode === data.billBatchCode && b.billNo === data.billNo,
      );
      if (!original) return reply('E0001', '票据不存在');
      let red = bills.find((b) => b.kind === 'REVERSED' && b.reverses?.billNo === original.billNo);
      if (!red) {
        red = {
          ...numbered('REVERSED'),
          totalAmt: `-${original.totalAmt}`,
          reverses: { billBatchCode: original.billBatchCode, billNo: original.billNo },
        };
        original.reversedBy = red.billNo;
        bills.push(red);
      }
      return reply('S0000', {
        eScarletBillBatchCode: red.billBatchCode,
        eScarletBillNo: red.billNo,
        eScarletRandom: red.random,
        ...view(red),
      });
    }
    return reply('E0004', `未知方法 ${method}`);
  }

  return { call, bills, settings };
}
