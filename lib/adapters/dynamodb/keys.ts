/**
 * The single-table key layout. Every item has `pk`/`sk`; two GSIs serve the other access patterns.
 *
 *   item                 pk                        sk          gsi1 (byRef)         gsi2 (byTime)
 *   entity               <TYPE>#<id>               STATE       REF#…  / …           <partition> / <sort>
 *   journal transaction  TXN#<txnId>               TXN         –                    JOURNAL#<day>#<shard> / <occurredAt>#<txnId>
 *   account balance      ACCT#<accountId>          BALANCE     –                    –
 *   outbox event         OUTBOX#<eventId>          EVENT       EVENTS#<day> / <eventId>   OUTBOX#PENDING / <occurredAt>#<eventId> until published
 *   idempotency record   IDEM#<sha256(scope)>      IDEM        –                    –  (expires by TTL)
 */
import { createHash } from 'node:crypto';
import type { BusinessDay } from '../../domain/business-day';

/** The GSI names, as defined in infra/table.yml. */
export const INDEX = { byRef: 'gsi1', byTime: 'gsi2' } as const;

/** Journal partitions per business day: spreads one day's writes over several GSI partitions. */
export const JOURNAL_SHARDS = 8;

/** Primary key of an entity item. */
export const entityKey = (type: string, id: string) => ({ pk: `${type.toUpperCase()}#${id}`, sk: 'STATE' });

/** Primary key of a journal transaction item: keyed by txnId alone so a replay collides. */
export const journalKey = (txnId: string) => ({ pk: `TXN#${txnId}`, sk: 'TXN' });

/** Primary key of an account balance item. */
export const balanceKey = (account: string) => ({ pk: `ACCT#${account}`, sk: 'BALANCE' });

/** Primary key of an outbox event item. */
export const outboxKey = (eventId: string) => ({ pk: `OUTBOX#${eventId}`, sk: 'EVENT' });

/** Primary key of an idempotency record; the scope is hashed so no caller id or key is stored in clear. */
export const idempotencyKey = (scopedKey: string) => ({
  pk: `IDEM#${createHash('sha256').update(scopedKey).digest('hex')}`,
  sk: 'IDEM',
});

/** Stable shard of a txnId, 0 … JOURNAL_SHARDS-1. */
export function journalShard(txnId: string): number {
  return createHash('sha256').update(txnId).digest().readUInt32BE(0) % JOURNAL_SHARDS;
}

/** GSI2 partition holding one shard of a business day's journal. */
export const journalDayPartition = (day: BusinessDay, shard: number) => `JOURNAL#${day}#${shard}`;

/** GSI1 partition of a business day's events, sorted by event id (GET /events walks these). */
export const eventDayPartition = (day: BusinessDay) => `EVENTS#${day}`;
