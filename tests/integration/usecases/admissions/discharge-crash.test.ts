/**
 * Discharge settlement killed at every step (#23): the process dies right after each effect it has (every
 * ledger commit, every call to a wallet or to the insurance platform), at each one in turn, and is run again.
 * Whatever the step, no money is lost or doubled: insurance settles once, every top-up is refunded exactly
 * what the plan gave it (once at the wallet), the arrears are asked for once, and the admission's deposit
 * and tab accounts end at zero. The same through WeChat's discharge order (settleIn wallet): an order lost
 * to the crash is closed and the discharge asked again; the one the patient confirms is paid once.
 * DynamoDB Local and the sandbox over real HTTP, as in admissions.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admission } from '../../../../lib/domain/admission';
import type { Channel } from '../../../../lib/domain/ledger/accounts';
import {
  dischargeAdmission,
  runDischarge,
  type DischargeInput,
} from '../../../../lib/usecases/admissions/discharge';
import { closePayment } from '../../../../lib/usecases/payments/close';
import type { AdmissionDeps } from '../../../../lib/usecases/admissions/deps';
import { loadAdmission } from '../../../../lib/usecases/admissions/records';
import { openPayLink } from '../../../../lib/usecases/payments/pay-link';
import { loadPayment } from '../../../../lib/usecases/payments/records';
import { admissionWorld, type Env } from '../../../support/admissions';
import { visitEnv } from '../../../support/visit-env';

/** The simulated crash: thrown right after an effect happened, so its caller never learns the outcome. */
class Killed extends Error {}

/**
 * `target` with `methods` counted as effects: `before` runs ahead of each (a dead process does nothing more),
 * `after` once it happened (where the process dies).
 */
function counted<T extends object>(
  target: T,
  methods: readonly string[],
  hooks: { before: () => void; after: () => void },
): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof property !== 'string' || !methods.includes(property) || typeof value !== 'function')
        return value;
      return async (...args: unknown[]) => {
        hooks.before();
        const out: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(object, args);
        hooks.after();
        return out;
      };
    },
  });
}

describe('discharge settlement killed at every step', () => {
  let t: Env;
  let w: Awaited<ReturnType<typeof admissionWorld>>;
  let deps: AdmissionDeps;
  const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };
  beforeAll(async () => {
    t = await visitEnv();
    w = await admissionWorld(t);
    deps = { ...w.deps, clock };
  });
  afterAll(() => t.close());

  /** The dependencies of a process that dies after its `killAt`-th effect. */
  function dying(killAt: number) {
    let effects = 0;
    // Once killed, nothing it would still do happens: a catch in the code cannot carry a dead process on.
    const hooks = {
      before: () => {
        if (effects >= killAt) throw new Killed(`dead since effect ${killAt}`);
      },
      after: () => {
        if (++effects === killAt) throw new Killed(`killed after effect ${killAt}`);
      },
    };
    const providers = Object.fromEntries(
      Object.entries(deps.providers).map(([c, p]) => [c, counted(p, ['refund', 'createOrder'], hooks)]),
    );
    const insured = deps.insured && {
      ...deps.insured,
      platform: counted(deps.insured.platform, ['uploadFees', 'placeOrder', 'revoke'], hooks),
      orders: Object.fromEntries(
        Object.entries(deps.insured.orders).map(([c, o]) => [c, counted(o, ['create'], hooks)]),
      ),
    };
    const dyingDeps: AdmissionDeps = {
      ...deps,
      ledger: counted(deps.ledger, ['commit'], hooks),
      providers,
      ...(insured ? { insured } : {}),
    };
    return dyingDeps;
  }

  /** How insurance takes part: none, at the platform (6202), or in WeChat's discharge order. */
  type Insured = 'none' | 'platform' | 'wallet';

  /** Staff's discharge request, with a fresh authorisation from the patient each time it is asked. */
  const request = (patientOpenId: string, insured: Insured): DischargeInput => ({
    requestedBy: 'staff:ward-3',
    ...(insured !== 'none'
      ? {
          insurance: {
            channel: 'wechatpay' as Channel,
            authCode: t.env.sandbox.platform.authorise({ channel: 'wechatpay', payerId: patientOpenId })
              .authCode,
            payerId: patientOpenId,
            location: '113.264385,23.129112',
            medicalType: '21',
            settleIn: insured === 'wallet' ? 'wallet' : 'platform',
          },
        }
      : {}),
  });

  /**
   * A discharge order the admission waits for: the patient confirms it if WeChat has it; one the crash kept
   * from WeChat is closed by staff (the admission reopens on the next run).
   */
  async function confirmOrClose(admission: Admission): Promise<void> {
    const insurance = admission.settlement?.insurance;
    if (insurance?.settleIn !== 'wallet' || insurance.status !== 'ORDERING' || !insurance.paymentId) return;
    const order = (await loadPayment(deps.ledger, insurance.paymentId)).value;
    const atWeChat = [...t.env.sandbox.medical.mixOrders.values()].find(
      (o) => o.outTradeNo === order.outTradeNo,
    );
    if (atWeChat?.mixPayStatus === 'MIX_PAY_CREATED')
      expect(
        (await w.sandbox('/sandbox/medical-insurance/pay', { outTradeNo: order.outTradeNo })).status,
      ).toBe(200);
    else if (order.status === 'PENDING') await closePayment(deps, order.paymentId);
  }

  /** Runs the discharge again (as staff, the sweep and the refunds' events would) until it settles or waits for arrears. */
  async function recover(admissionId: string, patientOpenId: string, insured: Insured): Promise<Admission> {
    for (let i = 0; i < 60; i++) {
      clock.offsetMs += 61_000; // past the grace an unanswered 6202 is given
      await confirmOrClose((await loadAdmission(deps.ledger, admissionId)).value);
      await runDischarge(deps, admissionId); // a closed order reopens the admission
      const { admission: a } = await dischargeAdmission(deps, admissionId, request(patientOpenId, insured));
      if (a.status === 'SETTLED' || a.status === 'AWAITING_ARREARS') return a;
      await new Promise((r) => setTimeout(r, 100));
    }
    return (await loadAdmission(deps.ledger, admissionId)).value;
  }

  /** One stay: two top-ups on two wallets, listed and unlisted charges. */
  async function stay(depositsFen: [number, number], charges: [number, number]) {
    const a = await w.admit();
    const patientOpenId = `o-${a.patientId}`;
    const first = await w.topUp(a.admissionId, a.patientId, 'wechatpay', depositsFen[0], patientOpenId);
    const second = await w.topUp(
      a.admissionId,
      a.patientId,
      'alipay',
      depositsFen[1],
      '2088000000006666',
      'qr',
    );
    await w.charge(a.admissionId, 'LISTED', charges[0], true);
    await w.charge(a.admissionId, 'UNLISTED', charges[1], false);
    return { admissionId: a.admissionId, patientOpenId, topUps: [first, second] };
  }

  for (const scenario of [
    { name: 'surplus with insurance', deposits: [60_000, 40_000], insured: 'platform', kills: 12 },
    { name: 'arrears without insurance', deposits: [5_000, 5_000], insured: 'none', kills: 4 },
    { name: "surplus in WeChat's order", deposits: [60_000, 40_000], insured: 'wallet', kills: 10 },
    { name: "arrears in WeChat's order", deposits: [5_000, 5_000], insured: 'wallet', kills: 7 },
  ] as const) {
    it(`${scenario.name}: killed after each effect in turn, run again, nothing lost or doubled`, async () => {
      let killAt = 1;
      for (; killAt < 40; killAt++) {
        const s = await stay([...scenario.deposits], [30_000, 10_000]);
        const process = { deps: dying(killAt) };
        let died = false;
        try {
          const { admission } = await dischargeAdmission(
            process.deps,
            s.admissionId,
            request(s.patientOpenId, scenario.insured),
          );
          if (scenario.insured === 'wallet') {
            // The patient confirms at once; the same process carries the settlement on (and may die there).
            await confirmOrClose(admission);
            for (let i = 0; i < 40; i++) {
              if ((await runDischarge(process.deps, s.admissionId)).status !== 'SETTLING') break;
              await new Promise((r) => setTimeout(r, 100));
            }
          }
        } catch (error) {
          if (!(error instanceof Killed)) throw error;
          died = true;
        }
        let a = await recover(s.admissionId, s.patientOpenId, scenario.insured);
        const plan = a.settlement?.plan;
        expect(plan, `killed after effect ${killAt}`).toBeDefined();
        if (!plan) return;
        if (a.status === 'AWAITING_ARREARS') {
          // Asked for once: one arrears payment, paid through its link.
          const arrears = (await loadPayment(deps.ledger, a.settlement?.arrears?.paymentId ?? '')).value;
          expect(arrears.amountFen).toBe(plan.arrearsFen);
          const { redirectTo } = await openPayLink(deps, arrears.payLink ?? '', {
            clientIp: '203.0.113.7',
            returnUrl: 'https://h.example/back',
          });
          if (arrears.channel === 'alipay') expect((await fetch(redirectTo ?? '')).status).toBe(200);
          const paid = await w.sandbox('/sandbox/pay', {
            channel: arrears.channel,
            outTradeNo: arrears.outTradeNo,
            payer: arrears.channel === 'alipay' ? '2088000000005555' : 'oRelative0000000000000000005',
          });
          expect(paid.status).toBe(200);
          a = (await loadAdmission(deps.ledger, s.admissionId)).value;
        }
        expect(a.status, `killed after effect ${killAt}`).toBe('SETTLED');
        expect(await w.balances(s.admissionId), `killed after effect ${killAt}`).toEqual({
          deposit: 0,
          tab: 0,
        });
        // Every top-up was refunded what the plan gave it, once at its wallet.
        for (const topUp of s.topUps) {
          const planned = plan.refunds.filter((r) => r.paymentId === topUp.paymentId);
          const atWallet = await w.refundsOf(topUp.channel, topUp.outTradeNo);
          expect(
            atWallet.map((r) => r.amountFen),
            `killed after effect ${killAt}`,
          ).toEqual(planned.map((r) => r.amountFen));
          expect((await loadPayment(deps.ledger, topUp.paymentId)).value.refundedFen).toBe(
            planned.reduce((n, r) => n + r.amountFen, 0),
          );
        }
        // Insurance settled once for the stay, whatever was uploaded and abandoned on the way.
        const settledAtPlatform = [...t.env.sandbox.platform.orders.values()].filter(
          (o) => o.chrgBchno === s.admissionId && o.status === 'SETTLED',
        );
        expect(settledAtPlatform, `killed after effect ${killAt}`).toHaveLength(
          scenario.insured === 'none' ? 0 : 1,
        );
        // In WeChat: one discharge order paid, its cash what the deposits did not cover.
        const paidOrders = [...t.env.sandbox.medical.mixOrders.values()].filter(
          (o) =>
            o.request.pay_order_id === settledAtPlatform[0]?.payOrdId && o.mixPayStatus === 'MIX_PAY_SUCCESS',
        );
        expect(paidOrders.map((o) => o.request.wechat_pay_cash_fee)).toEqual(
          scenario.insured === 'wallet' ? [plan.paidInOrderFen ?? 0] : [],
        );
        if (!died) break; // the process lived through every effect: each step has been killed once
      }
      // Each step was killed: start, upload, ordering, 6202, plan, book, two refunds' reserve, call and answer…
      expect(killAt - 1).toBeGreaterThanOrEqual(scenario.kills);
    }, 240_000);
  }
});
