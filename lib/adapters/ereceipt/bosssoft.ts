/**
 * ReceiptIssuer over the medical e-receipt interface of 博思软件 (Bosssoft)'s 财政电子票据 platform, the
 * one the public HIS integrations call ([weak]: no vendor document is stored; the facts below are the ones
 * those integrations agree on, docs/receipts.md):
 * - a request is POSTed to `<base>/<method>` as JSON `{appid, data, noise, version: "1.0", sign}`, where `data`
 *   is the business JSON in Base64 (UTF-8) and `sign` is the upper-case MD5 of
 *   `appid=<appid>&data=<data>&noise=<noise>&key=<key>&version=<version>`;
 * - the answer is `{result, message}`: `result` "S0000" is success, and `message` the Base64 JSON result;
 *   anything else is a refusal whose `message` says why;
 * - `invoiceEBillOutpatient` (门诊电子票据开具) takes busNo, busType, payer, busDateTime
 *   (yyyyMMddHHmmssSSS), placeCode, payee, author, totalAmt (yuan) and answers billBatchCode (票据代码),
 *   billNo (票据号码), random (校验码), createTime, billQRCode, pictureUrl, pictureNetUrl;
 * - `writeOffEBill` (电子票据冲红) takes billBatchCode, billNo, reason, operator, busDateTime, placeCode and
 *   answers eScarletBillBatchCode, eScarletBillNo, eScarletRandom, createTime, pictureUrl, pictureNetUrl.
 * Everything vendor-specific is in this file; another vendor is another adapter of the same port.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ProviderUnavailableError, ValidationError } from '../../domain/errors';
import { formatYuan } from '../../domain/money';
import type { IssuedBill, ReceiptIssuer } from '../../ports/receipt-issuer';

/** The hospital's account at the platform. */
export interface BosssoftConfig {
  readonly baseUrl: string;
  readonly appId: string;
  readonly key: string;
  /** 开票点编码: the issuing point the platform assigned. */
  readonly placeCode: string;
  /** 收款单位 / 开票人 as printed on the receipt. */
  readonly payee: string;
  readonly timeoutMs?: number;
}

/** The signature over the envelope (upper-case MD5, see above). */
export const bosssoftSign = (appId: string, data: string, noise: string, key: string, version = '1.0') =>
  createHash('md5')
    .update(`appid=${appId}&data=${data}&noise=${noise}&key=${key}&version=${version}`, 'utf8')
    .digest('hex')
    .toUpperCase();

/** yyyyMMddHHmmssSSS in Asia/Shanghai. */
const busDateTime = (at: Date) =>
  new Date(at.getTime() + 8 * 3_600_000)
    .toISOString()
    .replace(/[-:TZ.]/g, '')
    .slice(0, 17);

/** createTime as the platform writes it (yyyyMMddHHmmssSSS, Shanghai), or now. */
function parseCreateTime(value: unknown): Date {
  const m =
    typeof value === 'string' ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{3})?$/.exec(value) : null;
  if (!m) return new Date();
  const [, y, mo, d, h, mi, s, ms] = m;
  return new Date(Date.UTC(+y!, +mo! - 1, +d!, +h! - 8, +mi!, +s!, +(ms ?? 0)));
}

/** The Bosssoft-style e-receipt platform. */
export function bosssoftReceipts(config: BosssoftConfig): ReceiptIssuer {
  async function call(method: string, business: object): Promise<Record<string, unknown>> {
    const data = Buffer.from(JSON.stringify(business), 'utf8').toString('base64');
    const noise = randomBytes(16).toString('hex');
    const body = {
      appid: config.appId,
      data,
      noise,
      version: '1.0',
      sign: bosssoftSign(config.appId, data, noise, config.key),
    };
    let res: Response;
    try {
      res = await fetch(`${config.baseUrl.replace(/\/$/, '')}/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(config.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new ProviderUnavailableError(`The e-receipt platform did not answer ${method}.`, {
        method,
        cause: String(error),
      });
    }
    const text = await res.text();
    let answer: { result?: unknown; message?: unknown } = {};
    try {
      answer = JSON.parse(text) as typeof answer;
    } catch {
      /* not JSON: below */
    }
    if (res.status >= 500 || typeof answer.result !== 'string')
      throw new ProviderUnavailableError(`The e-receipt platform failed ${method} (${res.status}).`, {
        method,
      });
    const message =
      typeof answer.message === 'string' ? Buffer.from(answer.message, 'base64').toString('utf8') : '';
    if (answer.result !== 'S0000')
      throw new ValidationError(
        `The e-receipt platform refused ${method}: ${answer.result} ${message}`.trim(),
        [{ path: method, message: answer.result }],
      );
    return JSON.parse(message) as Record<string, unknown>;
  }
  const bill = (r: Record<string, unknown>, prefix = ''): IssuedBill => {
    const code = r[prefix ? `${prefix}BillBatchCode` : 'billBatchCode'];
    const no = r[prefix ? `${prefix}BillNo` : 'billNo'];
    const random = r[prefix ? `${prefix}Random` : 'random'];
    if (typeof code !== 'string' || typeof no !== 'string' || typeof random !== 'string')
      throw new ProviderUnavailableError('The e-receipt platform answered without the receipt numbers.', {});
    const url = r.pictureNetUrl ?? r.pictureUrl;
    return {
      billBatchCode: code,
      billNo: no,
      random,
      createdAt: parseCreateTime(r.createTime),
      ...(typeof url === 'string' && url !== '' ? { url } : {}),
    };
  };
  return {
    async issue(req) {
      return bill(
        await call('invoiceEBillOutpatient', {
          busNo: req.busNo,
          busType: '02',
          payer: req.payer,
          busDateTime: busDateTime(req.at),
          placeCode: config.placeCode,
          payee: config.payee,
          author: config.payee,
          totalAmt: formatYuan(req.amountFen),
          patientId: req.patientId,
          chargeDetail: [{ chargeName: req.item, amt: formatYuan(req.amountFen), number: '1' }],
        }),
      );
    },
    async reverse(req) {
      return bill(
        await call('writeOffEBill', {
          billBatchCode: req.billBatchCode,
          billNo: req.billNo,
          reason: req.reason,
          operator: 'medpay',
          busDateTime: busDateTime(req.at),
          placeCode: config.placeCode,
        }),
        'eScarlet',
      );
    },
  };
}
