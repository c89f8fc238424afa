/**
 * The single-table key layout. Every item belongs to one hospital, and its keys start with `H#<hospital>#`;
 * so do the index partitions, so no partition is shared by two hospitals. Every item has `pk`/`sk`; two
 * GSIs serve the other access patterns (`H#h#` stands for the hospital's prefix):
 *
 *   item                 pk                          sk          gsi1 (byRef)              gsi2 (byTime)
 *   entity               H#h#<TYPE>#<id>             STATE       H#h#REF#… / …             H#h#<partition> / <sort>
 *   journal transaction  H#h#TXN#<txnId>             TXN         –                         H#h#JOURNAL#<day>#<shard> / <occurredAt>#<txnId>
 *   account balance      H#h#ACCT#<accountId>        BALANCE     –                         –
 *   outbox event         H#h#OUTBOX#<eventId>        EVENT       H#h#EVENTS#<day> / <id>   H#h#OUTBOX#PENDING / <occurredAt>#<eventId> until published
 *   idempotency record   H#h#IDEM#<sha256(scope)>    IDEM        –                         –  (expires by TTL)
 *
 * The platform's own records (the hospital registry) live under `P#` (see platformKeys).
 */
import { createHash } from 'node:crypto';
import type { BusinessDay } from '../../domain/business-day';

/** The GSI names, as defined in infra/table.yml. */
export const INDEX = { byRef: 'gsi1', byTime: 'gsi2' } as const;

/** Journal partitions per business day: spreads one day's writes over several GSI partitions. */
export const JOURNAL_SHARDS = 8;

/** The keys of one key space: a hospital's (`H#<id>#`) or the platform's (`P#`). */
export interface TableKeys {
  /** The prefix every key and index partition of this space starts with. */
  readonly prefix: string;
  /** Primary key of an entity item. */
  entity(type: string, id: string): { pk: string; sk: string };
  /** Primary key of a journal transaction item: keyed by txnId alone so a replay collides. */
  journal(txnId: string): { pk: string; sk: string };
  /** Primary key of an account balance item. */
  balance(account: string): { pk: string; sk: string };
  /** Primary key of an outbox event item. */
  outbox(eventId: string): { pk: string; sk: string };
  /** Primary key of an idempotency record; the scope is hashed so no caller id or key is stored in clear. */
  idempotency(scopedKey: string): { pk: string; sk: string };
  /** An index partition of this space. */
  partition(name: string): string;
  /** GSI2 partition holding one shard of a business day's journal. */
  journalDay(day: BusinessDay, shard: number): string;
  /** GSI1 partition of a business day's events, sorted by event id (GET /events walks these). */
  eventDay(day: BusinessDay): string;
}

/** The keys of a key space with `prefix`. */
function keySpace(prefix: string): TableKeys {
  const partition = (name: string) => `${prefix}${name}`;
  return {
    prefix,
    entity: (type, id) => ({ pk: partition(`${type.toUpperCase()}#${id}`), sk: 'STATE' }),
    journal: (txnId) => ({ pk: partition(`TXN#${txnId}`), sk: 'TXN' }),
    balance: (account) => ({ pk: partition(`ACCT#${account}`), sk: 'BALANCE' }),
    outbox: (eventId) => ({ pk: partition(`OUTBOX#${eventId}`), sk: 'EVENT' }),
    idempotency: (scopedKey) => ({
      pk: partition(`IDEM#${createHash('sha256').update(scopedKey).digest('hex')}`),
      sk: 'IDEM',
    }),
    partition,
    journalDay: (day, shard) => partition(`JOURNAL#${day}#${shard}`),
    eventDay: (day) => partition(`EVENTS#${day}`),
  };
}

/** The keys of one hospital's records. */
export const hospitalKeys = (hospitalId: string): TableKeys => keySpace(`H#${hospitalId}#`);

/** The keys of the platform's own records (the hospital registry), outside every hospital. */
export const platformKeys: TableKeys = keySpace('P#');

/** The layout before hospitals (no prefix): only the migration (migrate-hospital.ts) and its test use it. */
export const legacyKeys: TableKeys = keySpace('');

/** True for a key written before hospitals: it is in neither a hospital's nor the platform's key space. */
export const isLegacyKey = (pk: string) => !pk.startsWith('H#') && !pk.startsWith('P#');

/** Stable shard of a txnId, 0 … JOURNAL_SHARDS-1. */
export function journalShard(txnId: string): number {
  return createHash('sha256').update(txnId).digest().readUInt32BE(0) % JOURNAL_SHARDS;
}
