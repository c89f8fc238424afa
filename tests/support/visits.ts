/** Test helpers for visits: a stored visit in any status, without going through a provider. */
import { fen } from '../../lib/domain/money';
import { visitProviderNumbers, type Visit, type VisitStatus } from '../../lib/domain/visit';
import type { LedgerStore } from '../../lib/ports/ledger-store';

/** Stores a visit (authorised unless AWAITING_AUTHORISATION) and takes the patient's credit lock. */
export async function seedVisit(
  ledger: LedgerStore,
  visitId: string,
  patientId: string,
  status: VisitStatus = 'OPEN',
  overrides: Partial<Visit> = {},
): Promise<Visit> {
  const numbers = visitProviderNumbers(visitId);
  const now = new Date();
  const visit: Visit = {
    visitId,
    patientId,
    channel: 'alipay',
    status,
    insured: false,
    creditLimitFen: fen(100_000),
    outOrderNo: numbers.outOrderNo,
    outRequestNo: numbers.outRequestNo,
    payer: { alipayUserId: '2088000000000001' },
    createdAt: now.toISOString(),
    authoriseBy: new Date(now.getTime() + 30 * 60_000).toISOString(),
    ...(status === 'AWAITING_AUTHORISATION'
      ? {}
      : { authorisation: { authNo: 'AUTH1', authorisedFen: fen(100_000), confirmedAt: now.toISOString() } }),
    charges: [],
    tabVersion: 0,
    ...overrides,
  };
  await ledger.commit({
    entities: [
      ledger.visits.write(visit, { kind: 'absent' }),
      ledger.creditLocks.take(patientId, visitId, undefined),
    ],
  });
  return visit;
}
