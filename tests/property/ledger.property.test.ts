import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamoLedgerStore } from '../../lib/adapters/dynamodb/ledger-store';
import { businessDayOf } from '../../lib/domain/business-day';
import { MedpayError } from '../../lib/domain/errors';
import { Accounts, hasTrackedBalance, type AccountId } from '../../lib/domain/ledger/accounts';
import { journalTransaction, type Side } from '../../lib/domain/ledger/journal';
import type { LedgerStore } from '../../lib/ports/ledger-store';
import { createTestTable } from '../support/dynamo';
import { hospitalKeys } from '../../lib/adapters/dynamodb/keys';

/** The hospital these records belong to (the default hospital of the test and bench configurations). */
const HOSPITAL = hospitalKeys('default');

/** A proposed commit: postings that may or may not balance, and whether it replays an earlier txnId. */
const posting = fc.record({
  account: fc.constantFrom('patient', 'visit', 'alipay', 'revenue', 'insurance'),
  side: fc.constantFrom<Side>('debit', 'credit'),
  amountFen: fc.integer({ min: 1, max: 5_000_000 }),
});
const proposal = fc.record({
  postings: fc.array(posting, { minLength: 1, maxLength: 6 }),
  balanceIt: fc.boolean(), // when true, a closing posting is added so that it balances
  replay: fc.boolean(),
});

describe('ledger invariant', () => {
  let ledger: LedgerStore;
  beforeAll(async () => {
    const { doc, tableName } = await createTestTable();
    ledger = dynamoLedgerStore(doc, tableName, HOSPITAL);
  });

  it('keeps total debits equal to total credits, and tracked balances equal to their postings, whatever is attempted', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(proposal, { minLength: 1, maxLength: 12 }), async (proposals) => {
        run += 1;
        // Each run gets its own business day and accounts, so runs cannot see each other.
        const occurredAt = new Date(Date.UTC(2030, 0, 1) + run * 86_400_000);
        const account = (name: string): AccountId =>
          ({
            patient: Accounts.patientReceivable(`PR${run}`),
            visit: Accounts.visitTab(`VR${run}`),
            alipay: Accounts.channelClearing('alipay'),
            revenue: Accounts.revenue('examination'),
            insurance: Accounts.insuranceReceivable(),
          })[name] as AccountId;
        const committed: string[] = [];
        for (const [i, p] of proposals.entries()) {
          const postings = p.postings.map((x) => ({ ...x, account: account(x.account) }));
          if (p.balanceIt) {
            const net = postings.reduce((n, x) => n + (x.side === 'debit' ? x.amountFen : -x.amountFen), 0);
            if (net !== 0)
              postings.push({
                account: account('revenue'),
                side: net > 0 ? 'credit' : 'debit',
                amountFen: Math.abs(net),
              });
          }
          const txnId =
            p.replay && committed.length > 0 ? (committed[0] as string) : `test:r${run}-t${i}:posted`;
          try {
            const outcome = await ledger.commit({
              entities: [],
              journal: journalTransaction({ txnId, occurredAt, postings }),
            });
            if (outcome === 'committed') committed.push(txnId);
          } catch (error) {
            expect(error).toBeInstanceOf(MedpayError); // refused before any write, never a crash
          }
        }

        let debits = 0;
        let credits = 0;
        const perAccount = new Map<string, number>();
        const seen: string[] = [];
        for await (const txn of ledger.journalForDay(businessDayOf(occurredAt))) {
          seen.push(txn.txnId);
          for (const p of txn.postings) {
            if (p.side === 'debit') debits += p.amountFen;
            else credits += p.amountFen;
            perAccount.set(
              p.account,
              (perAccount.get(p.account) ?? 0) + (p.side === 'debit' ? 1 : -1) * p.amountFen,
            );
          }
        }
        expect(debits).toBe(credits);
        expect(seen.sort()).toEqual([...committed].sort());
        for (const name of ['patient', 'visit']) {
          const id = account(name);
          expect(hasTrackedBalance(id)).toBe(true);
          expect((await ledger.balanceOf(id)).netFen).toBe(perAccount.get(id) ?? 0);
        }
      }),
      { numRuns: 25 },
    );
  });
});
