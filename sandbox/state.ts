/**
 * The sandbox's books on disk (`.local/sandbox-books.json` under npm start): orders, refunds, credit
 * authorisations, Pay Score orders, captures, and the insurance platform's and wallets' medical orders survive a restart, as
 * a provider's do, so reconciling a day after a restart sees the same bills. Written after every request and
 * every few seconds (timers change books too), atomically (a temp file renamed over the old one).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

/** The collections kept: maps by key, or lists. */
export type Collections = Record<string, Map<string, unknown> | unknown[]>;

/**
 * Timestamps are Dates in the books; JSON keeps them as ISO strings under keys ending in At or Time. Sets
 * (a freeze's unfreeze requests) are kept as {"$set":[…]}.
 */
const revive = (key: string, value: unknown) => {
  if (typeof value === 'string' && /(At|Time)$/.test(key) && /^\d{4}-\d{2}-\d{2}T/.test(value))
    return new Date(value);
  if (value && typeof value === 'object' && Array.isArray((value as { $set?: unknown }).$set))
    return new Set((value as { $set: unknown[] }).$set);
  return value;
};
const replace = (_key: string, value: unknown) => (value instanceof Set ? { $set: [...value] } : value);

/** Loads `collections` from `file` (if it exists) and returns how to save them. */
export function persistentBooks(file: string, collections: Collections) {
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8'), revive) as Record<string, unknown[]>;
    for (const [name, target] of Object.entries(collections)) {
      const entries = stored[name] ?? [];
      if (target instanceof Map) for (const [k, v] of entries as Array<[string, unknown]>) target.set(k, v);
      else target.push(...entries);
    }
  }
  const save = () => {
    const snapshot = Object.fromEntries(
      Object.entries(collections).map(([name, c]) => [name, c instanceof Map ? [...c.entries()] : c]),
    );
    writeFileSync(`${file}.tmp`, JSON.stringify(snapshot, replace));
    renameSync(`${file}.tmp`, file);
  };
  const timer = setInterval(save, 3_000);
  timer.unref();
  return {
    save,
    /** Saves once more and stops the timer. */
    stop: () => {
      clearInterval(timer);
      save();
    },
  };
}
