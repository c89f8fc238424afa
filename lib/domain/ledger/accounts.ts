/** The chart of accounts: every account id medpay posts to, and which ones keep a synchronous balance. */
import { ValidationError } from '../errors';

/** Payment channels that have a clearing account. */
export const CHANNELS = ['alipay', 'wechatpay'] as const;
export type Channel = (typeof CHANNELS)[number];

/** An account id such as `patient:P1:receivable` or `channel:alipay:clearing`. */
export type AccountId = string & { readonly __account: true };

/** What an account is, for reports and for deciding where its balance lives. */
export type AccountKind =
  | 'patient-receivable'
  | 'visit-tab'
  | 'admission-deposit'
  | 'admission-tab'
  | 'channel-clearing'
  | 'insurance-receivable'
  | 'insurance-fund-receivable'
  | 'personal-account-receivable'
  | 'revenue'
  | 'fees'
  | 'compensation'
  | 'suspense';

// Opaque ids only: letters, digits and - _ . (never names or ID-card numbers).
const ID = '[A-Za-z0-9][A-Za-z0-9_.-]{0,127}';
const SLUG = '[a-z][a-z0-9-]{0,63}';
const PATTERNS: ReadonlyArray<[AccountKind, RegExp]> = [
  ['patient-receivable', new RegExp(`^patient:${ID}:receivable$`)],
  ['visit-tab', new RegExp(`^visit:${ID}:tab$`)],
  ['admission-deposit', new RegExp(`^admission:${ID}:deposit$`)],
  ['admission-tab', new RegExp(`^admission:${ID}:tab$`)],
  ['channel-clearing', new RegExp(`^channel:(${CHANNELS.join('|')}):clearing$`)],
  ['insurance-receivable', /^insurance:receivable$/],
  ['insurance-fund-receivable', /^insurance:fund:receivable$/],
  ['personal-account-receivable', /^insurance:personal-account:receivable$/],
  ['revenue', new RegExp(`^revenue:${SLUG}$`)],
  ['fees', new RegExp(`^fees:(${CHANNELS.join('|')})$`)],
  ['compensation', /^compensation:expense$/],
  ['suspense', /^suspense:reconciliation$/],
];

/**
 * Accounts whose balance is kept as an item updated inside each commit.
 *
 * Only low-contention accounts qualify: one patient or one visit sees a handful of writes a day. Hot
 * accounts (channel clearing, revenue, fees, insurance receivable) are touched by nearly every payment
 * in the hospital; a balance item for them would be one DynamoDB partition key taking every write, and
 * a single partition tops out at about 1,000 writes/s, while every transaction that touched it would
 * also conflict with every other. Their balances are derived instead from the journal, which is
 * spread over business-day shards (see `journalShard`), by a query per business day.
 */
const TRACKED_KINDS: ReadonlySet<AccountKind> = new Set([
  'patient-receivable',
  'visit-tab',
  'admission-deposit',
  'admission-tab',
]);

/** Returns the kind of a valid account id, or throws ValidationError. */
export function accountKind(id: string): AccountKind {
  for (const [kind, pattern] of PATTERNS) if (pattern.test(id)) return kind;
  throw new ValidationError(`Unknown account ${JSON.stringify(id)}.`, [
    { path: 'account', message: 'not in the chart of accounts' },
  ]);
}

/** Checks an account id against the chart of accounts. */
export function parseAccount(id: string): AccountId {
  accountKind(id);
  return id as AccountId;
}

/** True when the account keeps a synchronously updated balance item (see TRACKED_KINDS). */
export function hasTrackedBalance(id: AccountId): boolean {
  return TRACKED_KINDS.has(accountKind(id));
}

/** Constructors for every account in the chart. */
export const Accounts = {
  patientReceivable: (patientId: string) => parseAccount(`patient:${patientId}:receivable`),
  visitTab: (visitId: string) => parseAccount(`visit:${visitId}:tab`),
  /** Money held for an inpatient (住院预交金): a liability, credited by top-ups, emptied at discharge. */
  admissionDeposit: (admissionId: string) => parseAccount(`admission:${admissionId}:deposit`),
  /** What an inpatient's stay has cost so far (在院病人医药费): debited by charges, cleared at discharge. */
  admissionTab: (admissionId: string) => parseAccount(`admission:${admissionId}:tab`),
  channelClearing: (channel: Channel) => parseAccount(`channel:${channel}:clearing`),
  /** Visits settled through the stand-in bureau (before the national platform) booked both parts here; none since. */
  insuranceReceivable: () => parseAccount('insurance:receivable'),
  /** What the insurance platform owes for the pooled fund's part of insured payments and visits (统筹). */
  insuranceFundReceivable: () => parseAccount('insurance:fund:receivable'),
  /** What the platform owes for the part paid from patients' personal medical-insurance accounts (个人账户). */
  personalAccountReceivable: () => parseAccount('insurance:personal-account:receivable'),
  revenue: (category: string) => parseAccount(`revenue:${category}`),
  fees: (channel: Channel) => parseAccount(`fees:${channel}`),
  compensationExpense: () => parseAccount('compensation:expense'),
  /** Reconciliation differences written off (差错挂账), until explained. */
  reconciliationSuspense: () => parseAccount('suspense:reconciliation'),
} as const;
