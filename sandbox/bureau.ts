/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument -- request bodies are untyped JSON on the wire, checked field by field */
/**
 * Local simulator of a medical-insurance bureau's real-time settlement (预结算 / 结算 / 冲正): per-category
 * coverage rules (ratio, deductible, cap), a personal-account balance per patient, held pre-settlements
 * that expire, and HMAC-signed requests. Integer fen throughout; never deployed.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Coverage of one charge category: ratio in basis points, after a deductible, up to a cap (all fen). */
export interface CoverageRule {
  readonly ratioBp: number;
  readonly deductibleFen: number;
  readonly capFen: number;
}

/** The bureau's configurable state (POST /sandbox/settings {"insurance":{…}}). */
export interface BureauSettings {
  available: boolean;
  rules: Record<string, CoverageRule>;
  /** Personal-account balance of patients without an explicit one. */
  defaultPersonalAccountFen: number;
  personalAccounts: Record<string, number>;
  preauthTtlSec: number;
}

/** Typical outpatient rules: examinations and labs 70 %, prescriptions 60 % after a ¥50 deductible. */
export const DEFAULT_BUREAU_SETTINGS: BureauSettings = {
  available: true,
  rules: {
    registration: { ratioBp: 0, deductibleFen: 0, capFen: 0 },
    examination: { ratioBp: 7000, deductibleFen: 0, capFen: 100_000 },
    laboratory: { ratioBp: 7000, deductibleFen: 0, capFen: 100_000 },
    prescription: { ratioBp: 6000, deductibleFen: 5_000, capFen: 50_000 },
    treatment: { ratioBp: 8000, deductibleFen: 0, capFen: 200_000 },
    other: { ratioBp: 0, deductibleFen: 0, capFen: 0 },
  },
  defaultPersonalAccountFen: 10_000,
  personalAccounts: {},
  preauthTtlSec: 1800,
};

interface Preauth {
  preauthId: string;
  visitId: string;
  patientId: string;
  tabVersion: number;
  insuredFen: number;
  personalAccountFen: number;
  selfPayFen: number;
  expiresAt: Date;
  status: 'HELD' | 'SETTLED' | 'REVERSED';
  settlementId?: string;
  settledAt?: Date;
}

/** The split of a list of charges under the rules; pure, integer arithmetic. */
export function splitCharges(
  charges: ReadonlyArray<{ category: string; amountFen: number }>,
  rules: Readonly<Record<string, CoverageRule>>,
  personalBalanceFen: number,
) {
  const byCategory = new Map<string, number>();
  for (const c of charges) byCategory.set(c.category, (byCategory.get(c.category) ?? 0) + c.amountFen);
  let insured = 0;
  let total = 0;
  for (const [category, amount] of byCategory) {
    total += amount;
    const rule = rules[category] ?? { ratioBp: 0, deductibleFen: 0, capFen: 0 };
    const eligible = Math.max(0, amount - rule.deductibleFen);
    insured += Math.min(rule.capFen, Math.floor((eligible * rule.ratioBp) / 10_000));
  }
  const personal = Math.min(personalBalanceFen, total - insured);
  return { insuredFen: insured, personalAccountFen: personal, selfPayFen: total - insured - personal };
}

/** Signs a bureau request: HMAC-SHA256 over "timestamp\nbody", hex. */
export const bureauSignature = (key: string, timestamp: string, body: string) =>
  createHmac('sha256', key).update(`${timestamp}\n${body}`).digest('hex');

/** Creates the bureau; `handle` answers /insurance/v1/* requests. */
export function createBureau(key: string) {
  const settings: BureauSettings = structuredClone(DEFAULT_BUREAU_SETTINGS);
  const preauths = new Map<string, Preauth>();
  const byVisitVersion = new Map<string, string>();
  const held = (patientId: string) =>
    [...preauths.values()]
      .filter((p) => p.patientId === patientId && p.status === 'HELD' && p.expiresAt > new Date())
      .reduce((n, p) => n + p.personalAccountFen, 0);
  const balance = (patientId: string) =>
    settings.personalAccounts[patientId] ?? settings.defaultPersonalAccountFen;

  const view = (p: Preauth) => ({
    preauthId: p.preauthId,
    insuredFen: p.insuredFen,
    personalAccountFen: p.personalAccountFen,
    selfPayFen: p.selfPayFen,
    expiresAt: p.expiresAt.toISOString(),
    status: p.status,
    ...(p.settlementId ? { settlementId: p.settlementId, settledAt: p.settledAt?.toISOString() } : {}),
  });

  /** Pre-settles charges; idempotent per (visit, tab version). */
  function preSettle(req: any): { status: number; body: object } {
    const charges = req.charges as Array<{ category: string; amountFen: number }> | undefined;
    if (
      typeof req.visitId !== 'string' ||
      typeof req.patientId !== 'string' ||
      !Number.isSafeInteger(req.tabVersion) ||
      !Array.isArray(charges) ||
      charges.length === 0 ||
      !charges.every((c) => Number.isSafeInteger(c.amountFen) && c.amountFen > 0)
    ) {
      return {
        status: 400,
        body: { code: 'INVALID_REQUEST', message: 'visitId, patientId, tabVersion and charges are required' },
      };
    }
    const existing = preauths.get(byVisitVersion.get(`${req.visitId}#${req.tabVersion}`) ?? '');
    if (existing && existing.status === 'HELD' && existing.expiresAt > new Date())
      return { status: 200, body: view(existing) };
    // A newer tab version replaces older holds of the same visit.
    for (const p of preauths.values())
      if (p.visitId === req.visitId && p.status === 'HELD') p.status = 'REVERSED';
    const split = splitCharges(charges, settings.rules, balance(req.patientId) - held(req.patientId));
    const p: Preauth = {
      preauthId: `PA${Date.now()}${randomBytes(6).toString('hex')}`,
      visitId: req.visitId,
      patientId: req.patientId,
      tabVersion: req.tabVersion,
      ...split,
      expiresAt: new Date(Date.now() + settings.preauthTtlSec * 1000),
      status: 'HELD',
    };
    preauths.set(p.preauthId, p);
    byVisitVersion.set(`${req.visitId}#${req.tabVersion}`, p.preauthId);
    return { status: 200, body: view(p) };
  }

  /** Settles a held pre-settlement (idempotent); debits the personal account. */
  function settle(preauthId: string): { status: number; body: object } {
    const p = preauths.get(preauthId);
    if (!p) return { status: 404, body: { code: 'PREAUTH_NOT_FOUND', message: 'no such pre-settlement' } };
    if (p.status === 'SETTLED') return { status: 200, body: view(p) };
    if (p.status === 'REVERSED')
      return { status: 409, body: { code: 'PREAUTH_REVERSED', message: 'the pre-settlement was reversed' } };
    if (p.expiresAt <= new Date())
      return { status: 409, body: { code: 'PREAUTH_EXPIRED', message: 'the pre-settlement expired' } };
    p.status = 'SETTLED';
    p.settlementId = `ST${Date.now()}${randomBytes(6).toString('hex')}`;
    p.settledAt = new Date();
    settings.personalAccounts[p.patientId] = balance(p.patientId) - p.personalAccountFen;
    return { status: 200, body: view(p) };
  }

  function reverse(preauthId: string): { status: number; body: object } {
    const p = preauths.get(preauthId);
    if (!p) return { status: 404, body: { code: 'PREAUTH_NOT_FOUND', message: 'no such pre-settlement' } };
    if (p.status === 'SETTLED') {
      settings.personalAccounts[p.patientId] = balance(p.patientId) + p.personalAccountFen;
    }
    p.status = 'REVERSED';
    return { status: 200, body: view(p) };
  }

  /** Answers one signed request to /insurance/v1/{presettle|settle|reverse}. */
  function handle(path: string, headers: Record<string, string | string[] | undefined>, body: string) {
    if (!settings.available) return { status: 503, body: { code: 'SYSTEM_BUSY', message: '医保系统繁忙' } };
    const timestamp = String(headers['x-bureau-timestamp'] ?? '');
    const signature = Buffer.from(String(headers['x-bureau-signature'] ?? ''), 'hex');
    const expected = Buffer.from(bureauSignature(key, timestamp, body), 'hex');
    if (
      !/^\d+$/.test(timestamp) ||
      Math.abs(Date.now() / 1000 - Number(timestamp)) > 300 ||
      signature.length !== expected.length ||
      !timingSafeEqual(signature, expected)
    ) {
      return { status: 401, body: { code: 'SIGN_ERROR', message: 'signature or timestamp invalid' } };
    }
    let req: any;
    try {
      req = JSON.parse(body);
    } catch {
      return { status: 400, body: { code: 'INVALID_REQUEST', message: 'body must be JSON' } };
    }
    if (path === '/insurance/v1/presettle') return preSettle(req);
    if (path === '/insurance/v1/settle') return settle(String(req.preauthId));
    if (path === '/insurance/v1/reverse') return reverse(String(req.preauthId));
    return { status: 404, body: { code: 'NOT_FOUND', message: `no bureau route ${path}` } };
  }

  return { settings, preauths, byVisitVersion, handle, preSettle, settle, reverse, view };
}
