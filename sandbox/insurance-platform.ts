/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument -- request bodies are untyped JSON on the wire, checked field by field */
/**
 * The national medical-insurance mobile-payment platform (医保移动支付中心) as the sandbox plays it, from the
 * same published facts as the adapter (PROTOCOLS §1.5, §1.10): the SM2/SM4 envelope both ways, 6201 (the
 * fee lines must add up to medfeeSumamt; the split is computed from coverage rules), 6202 (orgBizSer unique per
 * call), 6301, 6401 (only before settlement), 6203 (appRefdSn unique; partial refunds as configured), and
 * the wallets' authorisations (a single-use auth code exchanged for a payAuthNo that lives minutes and
 * belongs to one upload). What is not published (the reply's code field, ordStas values, the split's names
 * in the 6201 reply) follows the same named assumptions as the adapter (docs/insurance.md). Integer fen
 * inside, yuan on the wire; never deployed.
 *
 * Each hospital has its own app at the platform (appId, appSecret, SM4 key, SM2 key pairs): the configured
 * one, and those issued since (issueApp, as a province issues a newly registered hospital's credentials).
 * An order belongs to the app that uploaded it; another app's order is unknown.
 */
import { randomBytes } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';
import { formatYuan, parseYuan, type Fen } from '../lib/domain/money';
import {
  canonicalJson,
  EnvelopeRejectedError,
  open,
  seal,
  type Envelope,
  type EnvelopeConfig,
} from '../lib/adapters/insurance/national/envelope';
import { compactTime } from './signing';

/** How much of a line the fund covers: by the national list code's first character (a sandbox rule). */
export interface CoverageRule {
  readonly ratioBp: number;
}

/** The platform's configurable state (POST /sandbox/settings {"insurancePlatform":{…}}). */
export interface PlatformSettings {
  available: boolean;
  /** Answer the next N calls of an interface with a system error (HTTP 503). */
  failNext: Record<string, number>;
  /** Coverage by the list code's first character; anything else is self-pay. */
  coverage: Record<string, CoverageRule>;
  defaultPersonalAccountFen: number;
  personalAccounts: Record<string, number>;
  /** How long a payAuthNo lives (minutes-valid: "一般5–10分钟", PROTOCOLS §1.6 time limits). */
  authTtlSec: number;
  /** Whether 6203 accepts less than everything that is left (not published: docs/insurance.md). */
  partialRefunds: boolean;
  /** The ordStas values the platform answers with (not published; the adapter's assumed table by default). */
  ordStas: { uploaded: string; settled: string; revoked: string; refunded: string };
}

/** Drugs (X western, Z Chinese patent) 70 %, medical service items (numeric codes) 80 %, consumables (C) 50 %. */
export const DEFAULT_PLATFORM_SETTINGS: PlatformSettings = {
  available: true,
  failNext: {},
  coverage: {
    X: { ratioBp: 7000 },
    Z: { ratioBp: 7000 },
    '0': { ratioBp: 8000 },
    '1': { ratioBp: 8000 },
    '2': { ratioBp: 8000 },
    '3': { ratioBp: 8000 },
    C: { ratioBp: 5000 },
  },
  defaultPersonalAccountFen: 10_000,
  personalAccounts: {},
  authTtlSec: 300,
  partialRefunds: false,
  ordStas: { uploaded: '0', settled: '1', revoked: '3', refunded: '4' },
};

/** A patient's authorisation: the auth code the wallet hands out, then the payAuthNo it is exchanged for. */
export interface Authorisation {
  authCode: string;
  channel: 'wechatpay' | 'alipay';
  /** The wallet user who authorised (WeChat openid, Alipay user id). */
  payerId: string;
  /** Who the wallet says authorised (the insured person's number at the platform). */
  psnNo: string;
  name: string;
  /** The ID number the platform holds for the person (WeChat checks the order's id_digest against it). */
  idNumber?: string;
  insuredRegion: string;
  location: string;
  payAuthNo?: string;
  exchangedAt?: Date;
  expiresAt: Date;
  /** The upload (medOrgOrd) the payAuthNo was first used for; it serves no other. */
  usedFor?: string;
}

/** An uploaded order at the platform. */
export interface PlatformOrder {
  /** The app (hospital) that uploaded it. */
  appId: string;
  payOrdId: string;
  payToken: string;
  medOrgOrd: string;
  chrgBchno: string;
  psnNo: string;
  payAuthNo: string;
  totalFen: number;
  fundFen: number;
  personalAccountFen: number;
  selfPayFen: number;
  status: 'UPLOADED' | 'SETTLED' | 'REVOKED' | 'REFUNDED';
  orgBizSers: string[];
  hiDocSn?: string;
  settledAt?: Date;
  refunds: Array<{
    appRefdSn: string;
    fundFen: number;
    personalAccountFen: number;
    cashFen: number;
    refundTraceId: string;
  }>;
}

/** The fund's part of fee lines under the rules: per line, floor(amount × ratio). */
export function fundPartOf(
  lines: ReadonlyArray<{ listCode: string; amountFen: number }>,
  coverage: Readonly<Record<string, CoverageRule>>,
): number {
  return lines.reduce(
    (n, l) => n + Math.floor((l.amountFen * (coverage[l.listCode.charAt(0)]?.ratioBp ?? 0)) / 10_000),
    0,
  );
}

/** A reply envelope: signed by the platform, `code` "0" when accepted. */
type Reply = { status: number; body: object };

/** Creates the platform over the envelope configuration it shares with the hospital (keys mirrored). */
export function createInsurancePlatform(envelope: EnvelopeConfig) {
  /** The apps by appId (the platform's side of each envelope). */
  const apps = new Map<string, EnvelopeConfig>([[envelope.appId, envelope]]);
  /** The app of the envelope being answered (handle is synchronous, so one at a time). */
  let current = envelope;
  const settings: PlatformSettings = structuredClone(DEFAULT_PLATFORM_SETTINGS);
  const orders = new Map<string, PlatformOrder>();
  const authorisations = new Map<string, Authorisation>();
  const id = (prefix: string) => `${prefix}${Date.now()}${randomBytes(5).toString('hex').toUpperCase()}`;
  const balance = (psnNo: string) => settings.personalAccounts[psnNo] ?? settings.defaultPersonalAccountFen;

  const reply = (data: object, code = '0', message = '成功'): Reply => ({
    status: 200,
    body: seal(current, data, compactTime(new Date()), { code, message }),
  });
  const refuse = (code: string, message: string) => reply({}, code, message);
  const amounts = (o: PlatformOrder) => ({
    feeSumamt: formatYuan(o.totalFen as Fen),
    fundPay: formatYuan(o.fundFen as Fen),
    psnAcctPay: formatYuan(o.personalAccountFen as Fen),
    ownpayAmt: formatYuan(o.selfPayFen as Fen),
  });
  const statusCode = (o: PlatformOrder) =>
    ({
      UPLOADED: settings.ordStas.uploaded,
      SETTLED: settings.ordStas.settled,
      REVOKED: settings.ordStas.revoked,
      REFUNDED: settings.ordStas.refunded,
    })[o.status];
  const orderView = (o: PlatformOrder) => ({
    payOrdId: o.payOrdId,
    medOrgOrd: o.medOrgOrd,
    ordStas: statusCode(o),
    ...amounts(o),
    ...(o.hiDocSn ? { hiDocSn: o.hiDocSn, hiChrgTime: compactTime(o.settledAt ?? new Date()) } : {}),
  });

  /** The wallet's side: the patient authorises; the auth code is single-use. */
  function authorise(input: {
    channel: 'wechatpay' | 'alipay';
    payerId?: string;
    psnNo?: string;
    name?: string;
    idNumber?: string;
    insuredRegion?: string;
    location?: string;
  }): Authorisation {
    const a: Authorisation = {
      authCode: id('AC'),
      channel: input.channel,
      payerId: input.payerId ?? '',
      psnNo: input.psnNo ?? `P${randomBytes(6).toString('hex')}`,
      name: input.name ?? '沙盒患者',
      ...(input.idNumber ? { idNumber: input.idNumber } : {}),
      insuredRegion: input.insuredRegion ?? '440100',
      location: input.location ?? '113.264385,23.129112',
      expiresAt: new Date(Date.now() + settings.authTtlSec * 1000),
    };
    authorisations.set(a.authCode, a);
    return a;
  }

  /** The wallet's exchange: an auth code for a payAuthNo, once. */
  function exchange(authCode: string): Authorisation | 'UNKNOWN' | 'USED' | 'EXPIRED' {
    const a = authorisations.get(authCode);
    if (!a) return 'UNKNOWN';
    if (a.payAuthNo) return 'USED';
    if (a.expiresAt <= new Date()) return 'EXPIRED';
    a.payAuthNo = id('PAN');
    a.exchangedAt = new Date();
    return a;
  }

  const byPayAuthNo = (payAuthNo: string) =>
    [...authorisations.values()].find((a) => a.payAuthNo === payAuthNo);

  /** An order of the app being answered. */
  const ownOrder = (payOrdId: unknown) => {
    const o = orders.get(String(payOrdId));
    return o && o.appId === current.appId ? o : undefined;
  };
  const findOrder = (req: any) => {
    const o = ownOrder(req.payOrdId);
    return o && o.payToken === req.payToken ? o : undefined;
  };

  /** 6201: the lines must add up; the payAuthNo must be live and not serve another upload. */
  function upload(req: any): Reply {
    const lines: any[] = Array.isArray(req.feedetailList) ? req.feedetailList : [];
    let total: number;
    let parsed: Array<{ listCode: string; amountFen: number }>;
    try {
      total = parseYuan(String(req.medfeeSumamt), 'medfeeSumamt');
      parsed = lines.map((l: any) => ({
        listCode: String(l.medListCodg ?? ''),
        amountFen: parseYuan(String(l.detItemFeeSumamt), 'detItemFeeSumamt'),
      }));
    } catch {
      return refuse('E6201-AMOUNT', '金额格式错误');
    }
    if (parsed.length === 0 || parsed.reduce((n, l) => n + l.amountFen, 0) !== total)
      return refuse('E6201-SUM', '费用明细合计与医疗费总额不符');
    const existing = [...orders.values()].find(
      (o) => o.medOrgOrd === req.medOrgOrd && o.appId === current.appId,
    );
    if (existing) {
      if (existing.totalFen !== total || existing.payAuthNo !== req.payAuthNo)
        return refuse('E6201-DUP', '医疗机构订单号已使用');
      return reply({ payOrdId: existing.payOrdId, payToken: existing.payToken, ...amounts(existing) });
    }
    const auth = byPayAuthNo(String(req.payAuthNo));
    if (!auth) return refuse('E-AUTH-UNKNOWN', '未找到对应授权信息');
    if (auth.expiresAt <= new Date()) return refuse('E-AUTH-EXPIRED', '授权已过期');
    if (auth.usedFor && auth.usedFor !== req.medOrgOrd) return refuse('E-AUTH-USED', '授权已使用');
    auth.usedFor = String(req.medOrgOrd);
    const fund = Math.min(total, fundPartOf(parsed, settings.coverage));
    const held = [...orders.values()]
      .filter((o) => o.psnNo === auth.psnNo && o.status === 'UPLOADED')
      .reduce((n, o) => n + o.personalAccountFen, 0);
    const personal = Math.max(0, Math.min(balance(auth.psnNo) - held, total - fund));
    const o: PlatformOrder = {
      payOrdId: id('ORD'),
      payToken: randomBytes(12).toString('hex'),
      medOrgOrd: String(req.medOrgOrd),
      chrgBchno: String(req.chrgBchno ?? ''),
      psnNo: auth.psnNo,
      payAuthNo: String(req.payAuthNo),
      totalFen: total,
      fundFen: fund,
      personalAccountFen: personal,
      selfPayFen: total - fund - personal,
      status: 'UPLOADED',
      orgBizSers: [],
      refunds: [],
      appId: current.appId,
    };
    orders.set(o.payOrdId, o);
    return reply({ payOrdId: o.payOrdId, payToken: o.payToken, ...amounts(o) });
  }

  /** Settles an uploaded order (6202, or a wallet's mixed order in front of the platform). */
  function settle(o: PlatformOrder): PlatformOrder {
    if (o.status !== 'UPLOADED') return o;
    o.status = 'SETTLED';
    o.hiDocSn = id('HI');
    o.settledAt = new Date();
    settings.personalAccounts[o.psnNo] = balance(o.psnNo) - o.personalAccountFen;
    return o;
  }

  /** 6202: the payAuthNo must be the upload's; orgBizSer is unique per call (a repeat is the same call). */
  function order(req: any): Reply {
    const o = findOrder(req);
    if (!o) return refuse('E-ORDER-UNKNOWN', '支付订单不存在');
    if (req.payAuthNo !== o.payAuthNo) return refuse('E-AUTH-MISMATCH', '授权与订单不符');
    const auth = byPayAuthNo(o.payAuthNo);
    if (o.status === 'UPLOADED' && auth && auth.expiresAt <= new Date())
      return refuse('E-AUTH-EXPIRED', '授权已过期');
    if (typeof req.orgBizSer !== 'string' || req.orgBizSer === '')
      return refuse('E6202-SER', 'orgBizSer 必填');
    if (o.status === 'REVOKED') return refuse('E-ORDER-REVOKED', '订单已撤销');
    if (!o.orgBizSers.includes(req.orgBizSer)) o.orgBizSers.push(req.orgBizSer);
    return reply(orderView(settle(o)));
  }

  function query(req: any): Reply {
    const o = findOrder(req);
    return o ? reply(orderView(o)) : refuse('E-ORDER-UNKNOWN', '支付订单不存在');
  }

  function revoke(req: any): Reply {
    const o = findOrder(req);
    if (!o) return refuse('E-ORDER-UNKNOWN', '支付订单不存在');
    if (o.status === 'SETTLED' || o.status === 'REFUNDED')
      return refuse('E6401-SETTLED', '订单已结算，不能撤销');
    o.status = 'REVOKED';
    return reply({ payOrdId: o.payOrdId });
  }

  /** 6203: appRefdSn unique (a repeat answers the first refund); never more than is left. */
  function refund(req: any): Reply {
    const o = ownOrder(req.payOrdId);
    if (!o) return refuse('E-ORDER-UNKNOWN', '支付订单不存在');
    const repeat = o.refunds.find((r) => r.appRefdSn === req.appRefdSn);
    if (repeat)
      return reply({ payOrdId: o.payOrdId, refundTraceId: repeat.refundTraceId, tradeStatus: 'SUCC' });
    if (o.status !== 'SETTLED') return refuse('E6203-STATE', '订单未结算或已退款');
    let parts: { fund: number; personal: number; cash: number; total: number };
    try {
      parts = {
        fund: parseYuan(String(req.fundRefdAmt), 'fundRefdAmt'),
        personal: parseYuan(String(req.psnAcctRefdAmt), 'psnAcctRefdAmt'),
        cash: parseYuan(String(req.cashRefdAmt), 'cashRefdAmt'),
        total: parseYuan(String(req.totlRefdAmt), 'totlRefdAmt'),
      };
    } catch {
      return refuse('E6203-AMOUNT', '金额格式错误');
    }
    if (parts.fund + parts.personal + parts.cash !== parts.total) return refuse('E6203-SUM', '退费金额不符');
    const left = (k: 'fundFen' | 'personalAccountFen' | 'cashFen', whole: number) =>
      whole - o.refunds.reduce((n, r) => n + r[k], 0);
    // refdType: ALL (全部), HI (只退医保: the insured parts), CASH (只退现金) (SetlRefundQueryDTO; PROTOCOLS §1.5).
    const type = String(req.refdType);
    if (!['ALL', 'HI', 'CASH'].includes(type)) return refuse('E6203-TYPE', 'refdType 不合法');
    if ((type === 'HI' && parts.cash !== 0) || (type === 'CASH' && parts.fund + parts.personal !== 0))
      return refuse('E6203-TYPE', '退费类型与金额不符');
    const insuredAll =
      parts.fund === left('fundFen', o.fundFen) &&
      parts.personal === left('personalAccountFen', o.personalAccountFen);
    const cashAll = parts.cash === left('cashFen', o.selfPayFen);
    const all = type === 'HI' ? insuredAll : type === 'CASH' ? cashAll : insuredAll && cashAll;
    if (!all && !settings.partialRefunds) return refuse('E6203-PARTIAL', '不支持部分退费');
    if (
      parts.fund > left('fundFen', o.fundFen) ||
      parts.personal > left('personalAccountFen', o.personalAccountFen) ||
      parts.cash > left('cashFen', o.selfPayFen)
    )
      return refuse('E6203-EXCEEDS', '退费金额超过可退金额');
    const r = {
      appRefdSn: String(req.appRefdSn),
      fundFen: parts.fund,
      personalAccountFen: parts.personal,
      cashFen: parts.cash,
      refundTraceId: id('RF'),
    };
    o.refunds.push(r);
    settings.personalAccounts[o.psnNo] = balance(o.psnNo) + parts.personal;
    if (insuredAll && (type === 'HI' || cashAll)) o.status = 'REFUNDED';
    return reply({ payOrdId: o.payOrdId, refundTraceId: r.refundTraceId, tradeStatus: 'SUCC' });
  }

  const interfaces: Record<string, (req: any) => Reply> = {
    '6201': upload,
    '6202': order,
    '6203': refund,
    '6301': query,
    '6401': revoke,
  };

  /** Answers one envelope POSTed to /insurance/platform/{infno}. */
  function handle(infno: string, body: string): Reply {
    const call = interfaces[infno];
    if (!call) return { status: 404, body: { code: 'NOT_FOUND', message: `no interface ${infno}` } };
    const failing = settings.failNext[infno] ?? 0;
    if (!settings.available || failing > 0) {
      if (failing > 0) settings.failNext[infno] = failing - 1;
      return { status: 503, body: { code: 'SYSTEM_BUSY', message: '系统繁忙' } };
    }
    let req: unknown;
    try {
      const sealed = JSON.parse(body) as Envelope;
      current = apps.get(String(sealed.appId)) ?? envelope;
      req = open(current, sealed);
    } catch (error) {
      const why = error instanceof EnvelopeRejectedError ? error.message : 'not an envelope';
      return { status: 200, body: { code: 'SIGN_ERROR', message: `验签失败: ${why}` } };
    }
    return call(req);
  }

  /** The result push (支付结果通知) of a settled order, sealed as the platform sends it. */
  function resultPush(o: PlatformOrder): string {
    return canonicalJson(
      seal(
        apps.get(o.appId) ?? envelope,
        { ...orderView(o), callType: 'SETL', traceTime: compactTime(new Date()) },
        compactTime(new Date()),
      ),
    );
  }

  /**
   * Issues a new hospital's app (a province registering a hospital): fresh ids, secret and key pairs. The
   * platform keeps its side; the answer is the hospital's (what goes into its secret store).
   */
  function issueApp(): EnvelopeConfig {
    const hospital = sm2.generateKeyPairHex();
    const platformKeys = sm2.generateKeyPairHex();
    const shared = {
      appId: `SANDBOXAPP${randomBytes(4).toString('hex').toUpperCase()}`,
      appSecret: randomBytes(16).toString('hex'),
      secretSeparator: envelope.secretSeparator,
      version: envelope.version,
      sm4KeyHex: randomBytes(16).toString('hex'),
      userId: envelope.userId,
    };
    apps.set(shared.appId, {
      ...shared,
      privateKeyHex: platformKeys.privateKey,
      platformPublicKeyHex: hospital.publicKey,
    });
    return { ...shared, privateKeyHex: hospital.privateKey, platformPublicKeyHex: platformKeys.publicKey };
  }

  return {
    settings,
    orders,
    authorisations,
    authorise,
    exchange,
    byPayAuthNo,
    settle,
    handle,
    resultPush,
    issueApp,
  };
}

export type InsurancePlatform = ReturnType<typeof createInsurancePlatform>;
