/** The sandbox's books survive a restart as they were: maps, lists, Dates and Sets. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { persistentBooks } from '../../../sandbox/state';

const dir = mkdtempSync(join(tmpdir(), 'medpay-books-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('persistentBooks', () => {
  it('restores what was saved', () => {
    const file = join(dir, 'books.json');
    const orders = new Map<string, unknown>([
      ['wechatpay:MP1', { amountFen: 2500, paidAt: new Date('2026-11-25T02:00:00.000Z'), status: 'PAID' }],
    ]);
    const freezes = new Map<string, unknown>([
      ['F1', { unfreezeRequests: new Set(['U1', 'U2']), createdAt: new Date(0) }],
    ]);
    const captures = [{ outTradeNo: 'C1', amountFen: 100 }];
    persistentBooks(file, { orders, freezes, captures }).stop();

    const [orders2, freezes2, captures2] = [
      new Map<string, unknown>(),
      new Map<string, unknown>(),
      [] as unknown[],
    ];
    persistentBooks(file, { orders: orders2, freezes: freezes2, captures: captures2 }).stop();
    expect(orders2).toEqual(orders);
    expect(freezes2).toEqual(freezes);
    expect((freezes2.get('F1') as { unfreezeRequests: Set<string> }).unfreezeRequests).toBeInstanceOf(Set);
    expect(captures2).toEqual(captures);
  });
});
