import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompactMap } from '../../lib/usecases/shared/compact-map';

describe('CompactMap', () => {
  it('behaves as a Map<string, number> under any sequence of set, delete and get', () => {
    const key = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.constantFrom('payment:MP1', 'refund:RF1', '支付:单号'),
    );
    const op = fc.oneof(
      fc.record({ op: fc.constant('set' as const), key, value: fc.integer({ min: -1e10, max: 1e10 }) }),
      fc.record({ op: fc.constant('delete' as const), key }),
      fc.record({ op: fc.constant('get' as const), key }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 2_000 }), (ops) => {
        const ours = new CompactMap();
        const model = new Map<string, number>();
        for (const o of ops) {
          if (o.op === 'set') {
            ours.set(o.key, o.value);
            model.set(o.key, o.value);
          } else if (o.op === 'delete') expect(ours.delete(o.key)).toBe(model.delete(o.key));
          else expect(ours.get(o.key)).toBe(model.get(o.key));
        }
        expect(ours.size).toBe(model.size);
        expect([...ours].sort()).toEqual([...model].sort());
      }),
      { numRuns: 200 },
    );
  });

  it('holds a million keys exactly', () => {
    const m = new CompactMap();
    for (let i = 0; i < 1_000_000; i++) m.set(`payment:MP${i}`, i);
    expect(m.size).toBe(1_000_000);
    for (const i of [0, 1, 999_999, 123_457]) expect(m.get(`payment:MP${i}`)).toBe(i);
    expect(m.get('payment:MP1000000')).toBeUndefined();
  });
});
