/** GET /overdue-refunds: finance's to-do list of refunds past their expected arrival. */
import { appDeps } from '../../../lib/config/container';
import { listOverdueRefunds } from '../../../lib/http/contract/payments/overdue-refunds';
import { httpHandler } from '../../../lib/http/handler';
import { overdueRefunds } from '../../../lib/usecases/payments/overdue-refunds';
import { refundView } from '../../../lib/usecases/views';

export const handler = httpHandler(
  listOverdueRefunds,
  async ({ deps }) => {
    const overdue = await overdueRefunds(deps);
    return {
      status: 200,
      body: { checkedAt: deps.clock.now().toISOString(), items: overdue.map((o) => refundView(o.refund)) },
    };
  },
  appDeps,
);
