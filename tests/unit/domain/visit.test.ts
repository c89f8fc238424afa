import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidStateError, MedpayError, ValidationError } from '../../../lib/domain/errors';
import { fen } from '../../../lib/domain/money';
import {
  CreditLimitExceededError,
  PatientOverdueError,
  assertMayOpenVisit,
  assertVisitTransition,
  availableCreditFen,
  decideAddCharge,
  listedCharges,
  nextCaptureAttempt,
  settlementPlan,
  tabFen,
  type Charge,
} from '../../../lib/domain/visit';

const charge = (chargeId: string, amountFen: number, voided = false): Charge => ({
  chargeId,
  category: 'examination',
  description: 'x',
  amountFen: fen(amountFen),
  voided,
});
const open = (charges: Charge[] = []) => ({
  visitId: 'vis_1',
  status: 'OPEN' as const,
  creditLimitFen: fen(100_000),
  charges,
});

describe('visit state machine', () => {
  it('follows open → settling → settled, with failed captures going overdue and back to settled', () => {
    for (const [from, to] of [
      ['AWAITING_AUTHORISATION', 'OPEN'],
      ['OPEN', 'SETTLING'],
      ['SETTLING', 'PAYMENT_FAILED'],
      ['PAYMENT_FAILED', 'OVERDUE'],
      ['OVERDUE', 'SETTLED'],
      ['OPEN', 'CANCELLED'],
    ] as const)
      expect(() => assertVisitTransition('v', from, to)).not.toThrow();
    expect(() => assertVisitTransition('v', 'SETTLED', 'OPEN')).toThrow(InvalidStateError);
    expect(() => assertVisitTransition('v', 'SETTLING', 'CANCELLED')).toThrow(InvalidStateError);
  });
});

describe('credit policy', () => {
  it('refuses an overdue patient with PATIENT_OVERDUE and a second open visit with INVALID_STATE', () => {
    expect(() => assertMayOpenVisit('P1', [{ visitId: 'v0', status: 'OVERDUE' }])).toThrow(
      PatientOverdueError,
    );
    expect(() => assertMayOpenVisit('P1', [{ visitId: 'v0', status: 'OPEN' }])).toThrow(InvalidStateError);
    expect(() =>
      assertMayOpenVisit('P1', [
        { visitId: 'v0', status: 'SETTLED' },
        { visitId: 'v1', status: 'CANCELLED' },
      ]),
    ).not.toThrow();
  });
});

describe('charges', () => {
  it('adds within the credit, refuses above it with the credit left, and ignores voided lines', () => {
    expect(decideAddCharge(open([charge('c1', 60_000)]), { chargeId: 'c2', amountFen: fen(40_000) })).toBe(
      'add',
    );
    try {
      decideAddCharge(open([charge('c1', 60_000)]), { chargeId: 'c2', amountFen: fen(40_001) });
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(CreditLimitExceededError);
      expect((error as CreditLimitExceededError).availableCreditFen).toBe(40_000);
    }
    expect(
      decideAddCharge(open([charge('c1', 90_000, true)]), { chargeId: 'c2', amountFen: fen(100_000) }),
    ).toBe('add');
  });

  it('adds the same chargeId once, and refuses it with another amount (422 CHARGE_ID_REUSED)', () => {
    expect(decideAddCharge(open([charge('c1', 500)]), { chargeId: 'c1', amountFen: fen(500) })).toBe(
      'duplicate',
    );
    expect(() => decideAddCharge(open([charge('c1', 500)]), { chargeId: 'c1', amountFen: fen(501) })).toThrow(
      expect.objectContaining({ code: 'CHARGE_ID_REUSED' }) as unknown,
    );
  });

  it('refuses a charge on a visit that is not OPEN', () => {
    expect(() =>
      decideAddCharge({ ...open(), status: 'SETTLING' }, { chargeId: 'c9', amountFen: fen(1) }),
    ).toThrow(InvalidStateError);
  });

  it('never lets the tab pass the credit limit, whatever is attempted (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ amount: fc.integer({ min: 1, max: 60_000 }), voidIt: fc.boolean() }), {
          maxLength: 30,
        }),
        (ops) => {
          let charges: Charge[] = [];
          ops.forEach((o, i) => {
            try {
              if (decideAddCharge(open(charges), { chargeId: `c${i}`, amountFen: fen(o.amount) }) === 'add')
                charges = [...charges, charge(`c${i}`, o.amount)];
            } catch (error) {
              expect(error).toBeInstanceOf(MedpayError);
            }
            if (o.voidIt && charges.length > 0)
              charges = charges.map((c, j) => (j === 0 ? { ...c, voided: true } : c));
            expect(tabFen(charges)).toBeLessThanOrEqual(100_000);
            expect(availableCreditFen(fen(100_000), tabFen(charges)) + tabFen(charges)).toBe(100_000);
          });
        },
      ),
    );
  });
});

describe('listed charges (what insurance is asked about)', () => {
  it('are the live charges with a listing; unlisted and voided ones are self-pay or gone', () => {
    const listing = { listCode: '250101001', hospitalListCode: 'H1', quantity: '1' };
    const charges: Charge[] = [
      { ...charge('listed', 1_000), listing },
      charge('unlisted', 2_000),
      { ...charge('voided', 3_000, true), listing },
    ];
    expect(listedCharges(charges).map((c) => c.chargeId)).toEqual(['listed']);
    expect(listedCharges([])).toEqual([]);
  });
});

describe('settlement plan', () => {
  it('captures only the self-pay part and releases the rest of the authorisation', () => {
    expect(
      settlementPlan(fen(200_000), fen(50_000), {
        insuredFen: fen(30_000),
        personalAccountFen: fen(5_000),
        selfPayFen: fen(15_000),
      }),
    ).toEqual({
      captureFen: 15_000,
      releaseFen: 185_000,
      insuranceFen: 35_000,
    });
  });
  it('captures nothing and releases everything when the self-pay part is zero', () => {
    expect(
      settlementPlan(fen(200_000), fen(8_000), {
        insuredFen: fen(8_000),
        personalAccountFen: fen(0),
        selfPayFen: fen(0),
      }),
    ).toMatchObject({ captureFen: 0, releaseFen: 200_000 });
  });
  it('captures the whole tab for an uninsured visit', () => {
    expect(settlementPlan(fen(200_000), fen(12_345), undefined)).toMatchObject({
      captureFen: 12_345,
      releaseFen: 187_655,
      insuranceFen: 0,
    });
  });
  it('refuses a split that does not add up to the tab', () => {
    expect(() =>
      settlementPlan(fen(200_000), fen(10_000), {
        insuredFen: fen(5_000),
        personalAccountFen: fen(0),
        selfPayFen: fen(4_999),
      }),
    ).toThrow(ValidationError);
  });
});

describe('capture retries', () => {
  it('retries after 1 h, 6 h, 24 h and 3 days, then the visit is overdue', () => {
    const at = new Date('2026-03-01T12:00:00Z');
    expect(nextCaptureAttempt(1, at)).toEqual(new Date('2026-03-01T13:00:00Z'));
    expect(nextCaptureAttempt(4, at)).toEqual(new Date('2026-03-04T12:00:00Z'));
    expect(nextCaptureAttempt(5, at)).toBe('overdue');
  });
});
