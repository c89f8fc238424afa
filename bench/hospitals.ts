/**
 * (l) Many hospitals on one deployment: the cost of a payment (create, and verify-and-apply its notification)
 * with 1,000 hospitals' keys against one hospital's, interleaved in the same run, and how the writes spread
 * over partitions (every key a TransactWriteItems touches: the items' own and their index partitions).
 */
import { buildDeps, type AppDeps } from '../lib/config/container';
import { loadConfig } from '../lib/config/config';
import { emfMetrics } from '../lib/adapters/system/emf-metrics';
import type { Fen } from '../lib/domain/money';
import { applyNotification } from '../lib/usecases/payments/apply-notification';
import { createPayment } from '../lib/usecases/payments/create';
import { sandboxWithProviders } from '../tests/support/sandbox';
import { localTable } from '../scripts/lib/dynamodb-local';
import { alipayNote, type Interleave, type Stats } from './payments';
import type { RawNotification } from '../lib/ports/payment-provider';

/** How many hospitals the deployment holds. */
export const HOSPITALS = 1_000;

/** Writes per partition key, while `on`. */
function partitionCounter() {
  const writes = new Map<string, number>();
  let on = false;
  const add = (key: unknown) => {
    if (on && typeof key === 'string') writes.set(key, (writes.get(key) ?? 0) + 1);
  };
  /** Counts the partitions of one TransactWriteItems input (puts, updates and their index keys). */
  const record = (input: { TransactItems?: Array<Record<string, Record<string, unknown>>> }) => {
    for (const item of input.TransactItems ?? []) {
      const put = item.Put?.Item as Record<string, unknown> | undefined;
      const update = item.Update;
      if (put) for (const k of ['pk', 'gsi1pk', 'gsi2pk']) add(put[k]);
      if (update) {
        add((update.Key as Record<string, unknown>).pk);
        const values = (update.ExpressionAttributeValues ?? {}) as Record<string, unknown>;
        add(values[':gsi1pk']);
        add(values[':gsi2pk']);
      }
    }
  };
  return {
    record,
    measure: <T>(run: () => Promise<T>) => {
      on = true;
      return run().finally(() => (on = false));
    },
    summary() {
      const total = [...writes.values()].reduce((a, b) => a + b, 0);
      const [top, topWrites] = [...writes.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
      return {
        writes: total,
        partitions: writes.size,
        largest: { partition: top.replace(/#[^#]*$/, '#…'), writes: topWrites, share: topWrites / total },
      };
    },
  };
}

/** Runs (l) against DynamoDB Local at `endpoint`. */
export async function benchHospitals(endpoint: string, interleaved: Interleave, iterations: number) {
  const tableName = 'bench-hospitals';
  const doc = await localTable(endpoint, tableName);
  const single = partitionCounter();
  const many = partitionCounter();
  doc.middlewareStack.add(
    (next) => (args) => {
      const input = args.input as Parameters<typeof single.record>[0];
      single.record(input);
      many.record(input);
      return next(args);
    },
    { step: 'initialize', name: 'benchPartitionCounter' },
  );
  const env = await sandboxWithProviders('http://127.0.0.1:9');
  try {
    /**
     * A function's dependencies believing a registration for `cacheSeconds`. Every hospital pays through the
     * same sandbox accounts, so the providers cost the same in both modes: what differs is the keys, the
     * registry check and the stores built per request.
     */
    const depsWith = (cacheSeconds: number) =>
      buildDeps<AppDeps>(
        loadConfig({
          STAGE: 'bench',
          TABLE_NAME: tableName,
          DYNAMODB_ENDPOINT: endpoint,
          AUTH_MODE: 'hs256',
          AUTH_HS256_SECRET: 'file:/dev/null',
          LOG_LEVEL: 'SILENT',
          HOSPITAL_CACHE_SECONDS: String(cacheSeconds),
        }),
        {
          dynamo: doc,
          providers: env.providers,
          verifiers: env.providers,
          credit: {},
          bills: {},
          metrics: emfMetrics('bench', () => undefined),
          partner: () => ({ providers: env.providers }),
        },
      );
    // A busy container: it sees each of its hospitals within the registry window for the whole run (the
    // default minute is shorter than this part, so the window is set to the hour this part fits in).
    const deps = await depsWith(3_600);
    // A container meeting a hospital it has not seen within the window: one registry read more.
    const unseen = await depsWith(1);
    const ids = Array.from({ length: HOSPITALS }, (_, i) => `h${String(i).padStart(4, '0')}`);
    const now = new Date().toISOString();
    for (let i = 0; i < ids.length; i += 50)
      await Promise.all(
        ids.slice(i, i + 50).map((hospitalId) =>
          deps.hospitals.create({
            hospitalId,
            name: hospitalId,
            status: 'ACTIVE',
            channels: {},
            createdAt: now,
            updatedAt: now,
          }),
        ),
      );
    // A busy container has seen its hospitals within the registry cache's minute: visit each once.
    for (const id of ids) await deps.inHospital(deps, id);
    const scoped = (i: number) => deps.inHospital(deps, ids[(i * 7919) % HOSPITALS] as string);

    let n = 0;
    const pay = (d: AppDeps) =>
      createPayment(d, {
        patientId: `P${n % 97}`,
        channel: 'alipay',
        purpose: 'examination',
        referenceId: `R${n++}`,
        amountFen: 2500 as Fen,
        description: 'bench',
        payer: { alipayUserId: '2088102122524333' },
        mode: 'mini-program',
      });
    // Pending payments and their signed notifications for the apply cases, in each mode.
    const total = iterations + 30;
    const pending = { single: [] as RawNotification[], many: [] as RawNotification[] };
    for (let i = 0; i < total; i++) {
      for (const mode of ['single', 'many'] as const) {
        const { payment } = await pay(mode === 'single' ? deps : await scoped(i));
        pending[mode].push(alipayNote(env, payment.outTradeNo).raw);
      }
    }
    /** Verifies a notification and applies it within `d` (the webhook scopes to its hospital first). */
    const apply = async (d: AppDeps, raw: RawNotification | undefined) => {
      if (!raw) throw new Error('ran out of notifications');
      return applyNotification(d, await env.providers.alipay.verifyNotification(raw));
    };
    const cases = await interleaved(
      {
        createOneHospital: () => single.measure(() => pay(deps)),
        createThousandHospitals: async (i) => {
          const d = await scoped(i + 1);
          return many.measure(() => pay(d));
        },
        createUnseenHospital: async (i) =>
          pay(await unseen.inHospital(unseen, ids[(i * 7919 + 13) % HOSPITALS] as string)),
        applyOneHospital: (i) => single.measure(() => apply(deps, pending.single[i])),
        applyThousandHospitals: async (i) => {
          const d = await scoped(i);
          return many.measure(() => apply(d, pending.many[i]));
        },
      },
      iterations,
    );
    const round = (x: number) => Number(x.toFixed(2));
    const r = (a: Stats, b: Stats) => round(a.medianMs / b.medianMs);
    return {
      cases,
      ratios: {
        createThousand_vs_one: r(cases.createThousandHospitals, cases.createOneHospital),
        createUnseen_vs_one: r(cases.createUnseenHospital, cases.createOneHospital),
        applyThousand_vs_one: r(cases.applyThousandHospitals, cases.applyOneHospital),
      },
      partitions: { oneHospital: single.summary(), thousandHospitals: many.summary() },
    };
  } finally {
    await env.sandbox.close();
  }
}
