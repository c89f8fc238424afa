/**
 * InsuranceGateway over the national mobile-payment platform's HTTP interface: each call is one sealed
 * envelope (envelope.ts) POSTed to the interface's address, and each reply is opened and verified before any
 * field of it is read. Field names are the published ones (PROTOCOLS §1.5):
 * - 6201 request: OnlinePayFeeDTO / FeeDetailDTO (fengzaiqishi11/hsa-his hsa-com …/outpt/fees/dto);
 * - 6301 / 6401 request: SetlResultQueryDTO, revokeOrder (payOrdId, payToken, orgCodg, …);
 * - 6203 request and reply: SetlRefundQueryDTO (appRefdSn, appRefdTime yyyyMMddHHmmss, totlRefdAmt,
 *   psnAcctRefdAmt, fundRefdAmt, cashRefdAmt, refdType ALL|CASH|HI) and RefundResponseDTO;
 * - the result push: SeltSucCallbackDTO (feeSumamt, fundPay, psnAcctPay, ownpayAmt, ordStas, hiDocSn, …).
 * Amounts travel in yuan ("以元为单位", Tianjin §2.2.2) and are converted here only.
 *
 * Not published, so configuration with named assumptions (docs/insurance.md): each interface's address, the
 * reply's protocol fields (`code` "0" = accepted, `message`), the names of the pre-settled split in the 6201
 * and 6301 replies (taken to be the result push's), the ordStas and tradeStatus enumerations.
 */
import { NotificationRejectedError, ProviderUnavailableError } from '../../../domain/errors';
import { toShanghaiDateTime } from '../../../domain/business-day';
import { formatYuan, parseYuan, type Fen } from '../../../domain/money';
import { InsuranceRefusedError } from '../../../domain/insurance';
import type {
  InsuranceGateway,
  InsuredSplit,
  PlatformOrderState,
  PlatformRefundState,
} from '../../../ports/insurance-gateway';
import type { Clock } from '../../../ports/clock';
import { EnvelopeRejectedError, open, seal, type Envelope, type EnvelopeConfig } from './envelope';

/** The platform interfaces medpay calls. */
export type Interface = '6201' | '6202' | '6203' | '6301' | '6401';

/** A province's platform as a hospital is connected to it. */
export interface NationalPlatformConfig {
  readonly baseUrl: string;
  /** Each interface's path under baseUrl (not published: the province's specification names them). */
  readonly paths: Readonly<Record<Interface, string>>;
  readonly envelope: EnvelopeConfig;
  /** The hospital's 定点医药机构编码 (orgCodg) and 电子凭证机构号 (orgId). */
  readonly orgCode: string;
  readonly orgId: string;
  /** The meaning of each ordStas value (the enumeration is not published). */
  readonly orderStatuses: Readonly<Record<string, PlatformOrderState['status']>>;
  /** The meaning of each 6203 tradeStatus value (not published). */
  readonly refundStatuses: Readonly<Record<string, PlatformRefundState['status']>>;
  readonly timeoutMs?: number;
}

/** The defaults a province's specification replaces (docs/insurance.md: assumptions, not the platform's rule). */
export const ASSUMED_PLATFORM = {
  paths: { '6201': '/6201', '6202': '/6202', '6203': '/6203', '6301': '/6301', '6401': '/6401' },
  orderStatuses: { '0': 'UPLOADED', '1': 'SETTLED', '2': 'FAILED', '3': 'REVOKED', '4': 'REFUNDED' },
  refundStatuses: { SUCC: 'SUCCEEDED', PROC: 'PROCESSING', FAIL: 'FAILED' },
} as const satisfies Pick<NationalPlatformConfig, 'paths' | 'orderStatuses' | 'refundStatuses'>;

type Fields = Record<string, unknown>;

/** yyyyMMddHHmmss in Beijing time (appRefdTime, the envelope's timestamp). */
export const compactTime = (at: Date) => toShanghaiDateTime(at).replace(/[-: ]/g, '');

/** A string field of a reply, or undefined. */
const text = (v: unknown) =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;

/** A yuan amount of a reply (a string, or a JSON number as some platforms send) in fen; throws when missing or malformed. */
function yuan(fields: Fields, name: string): Fen {
  const v = fields[name];
  const s = typeof v === 'number' ? String(v) : v;
  if (typeof s !== 'string') throw new EnvelopeRejectedError(`the reply has no ${name}`);
  return parseYuan(s, name);
}

/** The split under the result push's names (fundPay, psnAcctPay, ownpayAmt). */
export function splitOf(fields: Fields): InsuredSplit {
  return {
    fundFen: yuan(fields, 'fundPay'),
    personalAccountFen: yuan(fields, 'psnAcctPay'),
    selfPayFen: yuan(fields, 'ownpayAmt'),
  };
}

/** Creates the gateway. */
export function nationalInsuranceGateway(config: NationalPlatformConfig, clock: Clock): InsuranceGateway {
  const unavailable = (infno: Interface, what: string, cause?: unknown) =>
    new ProviderUnavailableError(`The insurance platform ${what} (${infno}).`, { infno }, { cause });

  /** One call: seal, POST, open; protocol failures are PROVIDER_UNAVAILABLE, refusals InsuranceRefusedError. */
  async function call(infno: Interface, data: Fields): Promise<Fields> {
    const envelope = seal(config.envelope, data, compactTime(clock.now()));
    let res: Response;
    try {
      res = await fetch(`${config.baseUrl}${config.paths[infno]}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(envelope),
        signal: AbortSignal.timeout(config.timeoutMs ?? 5_000),
      });
    } catch (error) {
      throw unavailable(infno, 'did not answer', error);
    }
    if (res.status >= 500 || res.status === 429) throw unavailable(infno, `answered HTTP ${res.status}`);
    let reply: Envelope;
    try {
      reply = JSON.parse(await res.text()) as Envelope;
    } catch (error) {
      throw unavailable(infno, 'answered something other than JSON', error);
    }
    // "先判断协议字段返回, 再判断业务返回" (Tianjin §2.1): a refusal before the platform looked at the business.
    if (reply.code !== undefined && reply.code !== '0' && reply.signData === undefined)
      throw unavailable(infno, `refused the envelope: ${reply.code} ${reply.message ?? ''}`);
    let fields: Fields;
    try {
      fields = (open(config.envelope, reply) ?? {}) as Fields;
    } catch (error) {
      throw unavailable(infno, 'sent a reply that does not verify', error);
    }
    if (reply.code !== '0')
      throw new InsuranceRefusedError(infno, reply.code ?? 'UNKNOWN', reply.message ?? '');
    return fields;
  }

  /** Reads a verified reply; one missing or malformed field makes the whole reply unusable (retry). */
  function reading<T>(infno: Interface, read: () => T): T {
    try {
      return read();
    } catch (error) {
      throw unavailable(infno, `sent a reply medpay cannot read: ${(error as Error).message}`, error);
    }
  }

  /** The order's state from a 6202 or 6301 reply. */
  function orderState(fields: Fields, payOrdId: string): PlatformOrderState {
    const ordStas = text(fields.ordStas) ?? '';
    const settledAt = text(fields.hiChrgTime);
    const settlementId = text(fields.hiDocSn) ?? text(fields.setlId);
    return {
      payOrdId: text(fields.payOrdId) ?? payOrdId,
      ordStas,
      status: config.orderStatuses[ordStas] ?? 'UNKNOWN',
      ...(fields.fundPay !== undefined ? { split: splitOf(fields) } : {}),
      ...(settlementId ? { settlementId } : {}),
      ...(settledAt && /^\d{14}$/.test(settledAt) ? { settledAt: fromCompact(settledAt) } : {}),
    };
  }

  const ref = (o: { payOrdId: string; payToken: string }) => ({
    payOrdId: o.payOrdId,
    payToken: o.payToken,
    orgCodg: config.orgCode,
  });

  return {
    async uploadFees(u) {
      const at = toShanghaiDateTime(u.at);
      const fields = await call('6201', {
        orgCodg: config.orgCode,
        orgId: config.orgId,
        payAuthNo: u.payAuthNo,
        insuCode: u.insuredRegion,
        uldLatlnt: u.location,
        medOrgOrd: u.medOrgOrd,
        chrgBchno: u.chargeBatchNo,
        medType: u.medicalType,
        feeType: '01',
        begntime: at,
        medfeeSumamt: formatYuan(u.totalFen),
        deptCode: u.departmentCode,
        atddrNo: u.doctorCode,
        feedetailList: u.lines.map((l) => ({
          feedetlSn: l.lineId,
          chrgBchno: u.chargeBatchNo,
          rxno: l.prescriptionNo,
          feeOcurTime: at,
          medListCodg: l.listCode,
          medinsListCodg: l.hospitalListCode,
          medListName: l.name,
          cnt: l.quantity,
          detItemFeeSumamt: formatYuan(l.amountFen),
          medType: u.medicalType,
        })),
      });
      const payOrdId = text(fields.payOrdId);
      const payToken = text(fields.payToken);
      if (!payOrdId || !payToken) throw unavailable('6201', 'answered without payOrdId or payToken');
      return { payOrdId, payToken, split: reading('6201', () => splitOf(fields)) };
    },

    async placeOrder(o) {
      const fields = await call('6202', {
        ...ref(o),
        payAuthNo: o.payAuthNo,
        orgBizSer: o.orgBizSer,
        chrgBchno: o.chargeBatchNo,
        feeType: '01',
      });
      return reading('6202', () => orderState(fields, o.payOrdId));
    },

    async queryOrder(o) {
      const fields = await call('6301', ref(o));
      return reading('6301', () => orderState(fields, o.payOrdId));
    },

    async revoke(o) {
      await call('6401', ref(o));
    },

    async refund(r) {
      const total = r.split.fundFen + r.split.personalAccountFen + r.split.selfPayFen;
      const fields = await call('6203', {
        payOrdId: r.payOrdId,
        appRefdSn: r.refundNo,
        appRefdTime: compactTime(r.at),
        totlRefdAmt: formatYuan(total as Fen),
        fundRefdAmt: formatYuan(r.split.fundFen),
        psnAcctRefdAmt: formatYuan(r.split.personalAccountFen),
        cashRefdAmt: formatYuan(r.split.selfPayFen),
        refdType: r.type,
      });
      const tradeStatus = text(fields.tradeStatus) ?? '';
      return {
        refundNo: r.refundNo,
        platformRefundId: text(fields.refundTraceId) ?? '',
        status: config.refundStatuses[tradeStatus] ?? 'PROCESSING',
      };
    },

    verifyResult(body) {
      let fields: Fields;
      try {
        fields = (open(config.envelope, JSON.parse(body.toString('utf8')) as Envelope) ?? {}) as Fields;
      } catch (error) {
        throw new NotificationRejectedError(
          error instanceof SyntaxError ? 'MALFORMED' : 'BAD_SIGNATURE',
          'The insurance platform result push does not verify.',
          { channel: 'insurance' },
        );
      }
      const payOrdId = text(fields.payOrdId);
      const medOrgOrd = text(fields.medOrgOrd);
      if (!payOrdId || !medOrgOrd)
        throw new NotificationRejectedError('MALFORMED', 'The result push names no order.', {
          channel: 'insurance',
        });
      const ordStas = text(fields.ordStas) ?? '';
      const settlementId = text(fields.hiDocSn);
      let amounts: { totalFen: Fen; split: InsuredSplit };
      try {
        amounts = { totalFen: yuan(fields, 'feeSumamt'), split: splitOf(fields) };
      } catch {
        throw new NotificationRejectedError('MALFORMED', 'The result push has no readable amounts.', {
          channel: 'insurance',
        });
      }
      return {
        payOrdId,
        medOrgOrd,
        ordStas,
        status: config.orderStatuses[ordStas] ?? 'UNKNOWN',
        ...amounts,
        ...(settlementId ? { settlementId } : {}),
      };
    },
  };
}

/** A yyyyMMddHHmmss Beijing time as an instant. */
function fromCompact(s: string): Date {
  return new Date(
    `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(8, 10)}:${s.slice(10, 12)}:${s.slice(12, 14)}+08:00`,
  );
}
