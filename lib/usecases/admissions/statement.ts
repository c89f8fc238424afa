/**
 * An admission's statement (GET /admissions/{id}/statement): every movement of its deposit and its tab in
 * time order, read back from the journal (top-ups, the discharge's insurance and deduction, surplus refunds,
 * arrears) and from its charge lines, with the deposit and the tab after each, and the totals. The running
 * balances it ends on are set beside the accounts' own balances, so finance sees that they agree.
 */
import { Accounts } from '../../domain/ledger/accounts';
import { txnIdFor, type JournalTransaction } from '../../domain/ledger/journal';
import type { RecordDeps } from '../payments/deps';
import { chargesOf, loadAdmission } from './records';

/** What a line of the statement is. */
export type StatementLineKind = 'top-up' | 'charge' | 'insurance' | 'deduction' | 'refund' | 'arrears';

/** One movement, with the deposit and the tab after it. */
export interface AdmissionStatementLine {
  readonly at: string;
  readonly kind: StatementLineKind;
  readonly amountFen: number;
  readonly reference: string;
  readonly channel?: string;
  readonly depositFen: number;
  readonly tabFen: number;
}

/** Reads the admission's movements; patients only their own admission's. */
export async function admissionStatement(
  deps: Pick<RecordDeps, 'ledger'>,
  admissionId: string,
  patientScope?: string,
) {
  const { value: admission } = await loadAdmission(deps.ledger, admissionId, patientScope);
  const deposit = Accounts.admissionDeposit(admissionId);
  const tab = Accounts.admissionTab(admissionId);
  const s = admission.settlement;
  const txnIds = [
    ...admission.topUps
      .filter((t) => t.status === 'PAID')
      .map((t) => txnIdFor('payment', t.paymentId, 'captured')),
    txnIdFor('admission', admissionId, 'discharged'),
    ...(s?.insurance?.paymentId ? [txnIdFor('payment', s.insurance.paymentId, 'captured')] : []),
    ...(s?.plan?.refunds ?? []).map((r) => txnIdFor('refund', r.refundId, 'succeeded')),
    ...(s?.arrears ? [txnIdFor('payment', s.arrears.paymentId, 'captured')] : []),
  ];
  const txns = (await Promise.all(txnIds.map((id) => deps.ledger.getTransaction(id)))).filter(
    (t): t is JournalTransaction => t !== undefined,
  );
  type Movement = Omit<AdmissionStatementLine, 'depositFen' | 'tabFen'> & { deposit: number; tab: number };
  const moves: Movement[] = [];
  /** What a transaction put on an account's `side`, less what it took off it. */
  const net = (t: JournalTransaction, account: string, side: 'debit' | 'credit') =>
    t.postings
      .filter((p) => p.account === account)
      .reduce((n, p) => (p.side === side ? n + p.amountFen : n - p.amountFen), 0);
  /** The net credit on the deposit and the net debit on the tab of a transaction. */
  const effect = (t: JournalTransaction) => ({
    deposit: net(t, deposit, 'credit'),
    tab: net(t, tab, 'debit'),
  });
  for (const t of txns) {
    const at = t.occurredAt.toISOString();
    const { deposit: d, tab: b } = effect(t);
    const channel = t.refs.channel;
    if (t.txnId.startsWith('admission:')) {
      // The discharge: insurance's parts and the deduction, each a line of its own.
      const insured = t.postings
        .filter((p) => p.side === 'debit' && p.account !== deposit)
        .reduce((n, p) => n + p.amountFen, 0);
      if (insured > 0)
        moves.push({
          at,
          kind: 'insurance',
          amountFen: insured,
          reference: t.refs.payOrdId ?? t.txnId,
          deposit: 0,
          tab: -insured,
        });
      if (d !== 0)
        moves.push({ at, kind: 'deduction', amountFen: -d, reference: t.txnId, deposit: d, tab: d });
      continue;
    }
    if (t.refs.paymentId && t.refs.paymentId === s?.insurance?.paymentId) {
      // WeChat's discharge order: insurance's parts, and the self-pay beyond the deposits as its cash.
      const insured = t.postings
        .filter((p) => p.side === 'debit' && p.account.startsWith('insurance:'))
        .reduce((n, p) => n + p.amountFen, 0);
      const reference = t.refs.payOrdId ?? t.refs.paymentId;
      moves.push({ at, kind: 'insurance', amountFen: insured, reference, deposit: 0, tab: -insured });
      if (-b > insured)
        moves.push({
          at,
          kind: 'arrears',
          amountFen: -b - insured,
          reference: t.refs.paymentId,
          ...(channel ? { channel } : {}),
          deposit: 0,
          tab: b + insured,
        });
      continue;
    }
    const kind: StatementLineKind = t.refs.refundId ? 'refund' : d !== 0 ? 'top-up' : 'arrears';
    moves.push({
      at,
      kind,
      amountFen: Math.abs(d !== 0 ? d : b),
      reference: t.refs.refundId ?? t.refs.paymentId ?? t.txnId,
      ...(channel ? { channel } : {}),
      deposit: d,
      tab: b,
    });
  }
  for await (const c of chargesOf(deps.ledger, admissionId))
    moves.push({
      at: c.postedAt,
      kind: 'charge',
      amountFen: c.amountFen,
      reference: c.chargeId,
      deposit: 0,
      tab: c.amountFen,
    });
  // The stay's top-ups and charges by time, then the discharge's lines: the wallets give paid times to the
  // second, so a time alone could put a refund or the arrears before the discharge that caused them.
  const phase: Record<StatementLineKind, number> = {
    'top-up': 0,
    charge: 0,
    insurance: 1,
    deduction: 2,
    refund: 3,
    arrears: 3,
  };
  moves.sort((x, y) => phase[x.kind] - phase[y.kind] || x.at.localeCompare(y.at));
  let depositFen = 0;
  let tabFen = 0;
  const lines: AdmissionStatementLine[] = moves.map(({ deposit: d, tab: b, ...line }) => {
    depositFen += d;
    tabFen += b;
    return { ...line, depositFen, tabFen };
  });
  const sum = (kind: StatementLineKind) =>
    lines.filter((l) => l.kind === kind).reduce((n, l) => n + l.amountFen, 0);
  const [held, owed] = await Promise.all([deps.ledger.balanceOf(deposit), deps.ledger.balanceOf(tab)]);
  return {
    admissionId,
    status: admission.status,
    lines,
    totals: {
      toppedUpFen: sum('top-up'),
      chargedFen: sum('charge'),
      insuredFen: sum('insurance'),
      deductedFen: sum('deduction'),
      refundedFen: sum('refund'),
      arrearsPaidFen: sum('arrears'),
      depositFen,
      tabFen,
    },
    /** The accounts' own balances (deposit: what is held; tab: what is owed): they equal the totals above. */
    accounts: { depositFen: -held.netFen, tabFen: owed.netFen },
  };
}
