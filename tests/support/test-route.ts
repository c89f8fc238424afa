/** A POST route used only by tests to drive the real middy stack: it counts runs and can fail on demand. */
import { z } from 'zod';
import type { AppDeps } from '../../lib/config/container';
import { InvalidStateError } from '../../lib/domain/errors';
import { httpHandler } from '../../lib/http/handler';
import { defineRoute } from '../../lib/http/route';

export const testOrderRoute = defineRoute({
  operationId: 'createTestOrder',
  method: 'POST',
  path: '/test/orders',
  summary: 'test only',
  tags: ['test'],
  auth: ['patient', 'staff'],
  body: z.object({
    amountFen: z.number().int().nonnegative(),
    note: z.string().optional(),
    fail: z.enum(['crash', 'conflict']).optional(),
  }),
  responses: () => ({ 201: { description: 'created' } }),
});

/** Builds the handler plus a run counter and an optional gate that holds runs until released. */
export function testOrderHandler(deps: AppDeps) {
  const state = { runs: 0, gate: undefined as Promise<void> | undefined };
  const handler = httpHandler(
    testOrderRoute,
    async ({ body, caller }) => {
      state.runs += 1;
      const run = state.runs;
      if (state.gate) await state.gate;
      if (body.fail === 'crash') throw new Error('simulated outage inside the use case');
      if (body.fail === 'conflict') throw new InvalidStateError('The order is already closed.');
      return { status: 201, body: { orderId: `ord_${run}`, amountFen: body.amountFen, owner: caller.sub } };
    },
    () => Promise.resolve(deps),
  );
  return { handler, state };
}
