import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../../../lib/config/container';
import type { Channel } from '../../../../lib/domain/ledger/accounts';
import { fen } from '../../../../lib/domain/money';
import type { Visit } from '../../../../lib/domain/visit';
import type { CreditProvider } from '../../../../lib/ports/credit-provider';
import type { InsuranceGateway } from '../../../../lib/ports/insurance-gateway';
import type { LedgerStore } from '../../../../lib/ports/ledger-store';
import { addCharge } from '../../../../lib/usecases/visits/add-charge';
import { preauthoriseInsurance } from '../../../../lib/usecases/visits/preauthorise';
import { loadVisit } from '../../../../lib/usecases/visits/records';
import { settleVisit } from '../../../../lib/usecases/visits/settle';
import { netOf, visitEnv } from '../../../support/visit-env';

/** A crash right after the n-th commit of the run has been written (the process dies before going on). */
function crashAfterCommit(ledger: LedgerStore, n: number): LedgerStore {
  let commits = 0;
  return {
    ...ledger,
    commit: async (change) => {
      const outcome = await ledger.commit(change);
      if (++commits === n) throw new Error(`crash after commit ${n}`);
      return outcome;
    },
  };
}

/** A crash right after the provider acted, before medpay recorded what it did. */
function crashAfter<T extends object>(target: T, method: keyof T): T {
  return {
    ...target,
    [method]: async (...args: unknown[]) => {
      await (target[method] as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      throw new Error(`crash after ${String(method)}`);
    },
  };
}

describe('settlement saga: a crash at every step, then re-running settlement, captures exactly once', () => {
  let t: Awaited<ReturnType<typeof visitEnv>>;
  let deps: AppDeps;
  beforeAll(async () => {
    t = await visitEnv();
    deps = t.deps;
  });
  afterAll(() => t.close());

  /** A visit with its charges, ready for the patient to authorise insurance. */
  async function charged(channel: Channel, selfPay = true) {
    // With selfPay false the personal account covers everything insurance does not: nothing to capture.
    const { visitId, patientId, outOrderNo, payer } = await t.authorisedVisit(channel);
    const visit = { visitId, outOrderNo };
    // Registration is not listed: it is self-pay. The lab's list code is a drug's (70 % in the sandbox).
    await addCharge(deps, visit.visitId, {
      chargeId: 'LAB',
      category: 'laboratory',
      description: 'lab',
      amountFen: fen(40_000),
      listing: { listCode: 'X0001', hospitalListCode: 'H-LAB', quantity: '1' },
    });
    if (selfPay)
      await addCharge(deps, visit.visitId, {
        chargeId: 'REG',
        category: 'registration',
        description: 'reg',
        amountFen: fen(25_000),
      });
    t.env.sandbox.platform.settings.personalAccounts[patientId] = selfPay ? 0 : 1_000_000;
    const { authCode } = t.env.sandbox.platform.authorise({
      channel,
      payerId: Object.values(payer)[0],
      psnNo: patientId,
    });
    return { ...visit, patientId, authorise: { authCode, location: '113.26,23.12' } };
  }

  /** A visit whose insurance the platform settled and medpay holds. */
  async function readyToSettle(channel: Channel, selfPay = true) {
    const v = await charged(channel, selfPay);
    const hold = await preauthoriseInsurance(deps, v.visitId, v.authorise);
    return { ...v, hold };
  }

  async function settledEventually(visitId: string): Promise<Visit> {
    for (let i = 0; i < 100; i++) {
      const v = (await loadVisit(deps.ledger, visitId)).value;
      if (v.status === 'SETTLED') return v;
      await new Promise((r) => setTimeout(r, 50));
    }
    return (await loadVisit(deps.ledger, visitId)).value;
  }

  async function expectExactlyOnce(
    visitId: string,
    patientId: string,
    outOrderNo: string,
    hold: { insuredFen: number; personalAccountFen: number; selfPayFen: number },
  ) {
    const visit = await settledEventually(visitId);
    expect(visit.status).toBe('SETTLED');
    expect(visit.settlement?.capturedFen).toBe(hold.selfPayFen);
    const captures = t.env.sandbox.credit.captures.filter((c) => c.outOrderNo === outOrderNo);
    expect(captures.map((c) => c.amountFen)).toEqual(hold.selfPayFen > 0 ? [hold.selfPayFen] : []);
    const journal = await t.journalOf(visitId);
    expect(journal.filter((x) => x.txnId.endsWith(':captured'))).toHaveLength(hold.selfPayFen > 0 ? 1 : 0);
    expect(netOf(journal, 'insurance:fund:receivable')).toBe(hold.insuredFen);
    expect(netOf(journal, 'insurance:personal-account:receivable')).toBe(hold.personalAccountFen);
    expect((await deps.ledger.balanceOf(`patient:${patientId}:receivable` as never)).netFen).toBe(0);
    expect(t.env.sandbox.platform.orders.get(visit.insurance?.preauthId ?? '')?.status).toBe('SETTLED');
    expect(visit.insurance?.status).toBe('SETTLED');
  }

  for (const channel of ['alipay', 'wechatpay'] as const) {
    // Three commits per run: begin (with the capture's index), insurance settled, then captured and settled
    // (Alipay) or capture pending (Pay Score, which PAYSCORE.USER_PAID later finishes).
    for (const commit of [1, 2, 3]) {
      it(`${channel}: crash after commit ${commit}`, async () => {
        const v = await readyToSettle(channel);
        await expect(
          settleVisit({ ...deps, ledger: crashAfterCommit(deps.ledger, commit) }, v.visitId, {
            requestedBy: 'staff:S',
          }),
        ).rejects.toThrow(/crash/);
        await settleVisit(deps, v.visitId, { requestedBy: 'staff:S' });
        await expectExactlyOnce(v.visitId, v.patientId, v.outOrderNo, v.hold);
      });
    }

    it(`${channel}: crash after the platform settled (6202), before it was recorded: 6301 decides`, async () => {
      const v = await charged(channel);
      const parts = deps.insurance as NonNullable<AppDeps['insurance']>;
      const platform = crashAfter<InsuranceGateway>(parts.platform, 'placeOrder');
      await expect(
        preauthoriseInsurance({ ...deps, insurance: { ...parts, platform } }, v.visitId, v.authorise),
      ).rejects.toThrow(/crash/);
      const ordering = (await loadVisit(deps.ledger, v.visitId)).value.insurance;
      expect(ordering?.status).toBe('ORDERING');
      // Within the minute another 6202 answer may still come: the settlement waits rather than guess.
      expect((await settleVisit(deps, v.visitId, { requestedBy: 'staff:S' })).status).toBe('SETTLING');
      const later = { ...deps, clock: { now: () => new Date(Date.now() + 2 * 60_000 + 5 * 60_000) } };
      await settleVisit(later, v.visitId, { requestedBy: 'staff:S' });
      const order = t.env.sandbox.platform.orders.get(ordering?.preauthId ?? '');
      await expectExactlyOnce(v.visitId, v.patientId, v.outOrderNo, {
        insuredFen: order?.fundFen ?? -1,
        personalAccountFen: order?.personalAccountFen ?? -1,
        selfPayFen: (order?.selfPayFen ?? -1) + 25_000,
      });
    });

    it(`${channel}: crash after the provider captured, before it was recorded`, async () => {
      const v = await readyToSettle(channel);
      const credit = {
        ...deps.credit,
        [channel]: crashAfter(deps.credit[channel] as CreditProvider, 'capture'),
      };
      await expect(settleVisit({ ...deps, credit }, v.visitId, { requestedBy: 'staff:S' })).rejects.toThrow(
        /crash/,
      );
      await settleVisit(deps, v.visitId, { requestedBy: 'staff:S' });
      await expectExactlyOnce(v.visitId, v.patientId, v.outOrderNo, v.hold);
    });

    it(`${channel}: zero self-pay, crash after the provider released, before it was recorded`, async () => {
      const v = await readyToSettle(channel, false);
      expect(v.hold.selfPayFen).toBe(0);
      const credit = {
        ...deps.credit,
        [channel]: crashAfter(deps.credit[channel] as CreditProvider, 'release'),
      };
      await expect(settleVisit({ ...deps, credit }, v.visitId, { requestedBy: 'staff:S' })).rejects.toThrow(
        /crash/,
      );
      await settleVisit(deps, v.visitId, { requestedBy: 'staff:S' });
      await expectExactlyOnce(v.visitId, v.patientId, v.outOrderNo, v.hold);
    });
  }
});
