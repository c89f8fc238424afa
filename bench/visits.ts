/** Pay-later benchmarks for `npm run bench`: add-charge and settlement, each against its floor. */
import { randomBytes } from 'node:crypto';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoLedgerStore } from '../lib/adapters/dynamodb/ledger-store';
import { systemClock } from '../lib/adapters/system/clock';
import { emfMetrics } from '../lib/adapters/system/emf-metrics';
import { ulidIds } from '../lib/adapters/system/ulid-ids';
import { fen } from '../lib/domain/money';
import { refreshAuthorisation } from '../lib/usecases/visits/authorisation';
import { addCharge } from '../lib/usecases/visits/add-charge';
import type { VisitDeps } from '../lib/usecases/visits/deps';
import { preauthoriseInsurance } from '../lib/usecases/visits/preauthorise';
import { openVisit } from '../lib/usecases/visits/open';
import { loadVisit } from '../lib/usecases/visits/records';
import { settleVisit } from '../lib/usecases/visits/settle';
import { localTable } from '../scripts/lib/dynamodb-local';
import { sandboxWithProviders } from '../tests/support/sandbox';
import type { Interleave, Stats } from './payments';
import { hospitalKeys } from '../lib/adapters/dynamodb/keys';

/** The hospital these records belong to (the default hospital of the test and bench configurations). */
const HOSPITAL = hospitalKeys('default');

/** Runs the visit benchmarks against DynamoDB Local at `endpoint`. */
export async function benchVisits(endpoint: string, interleaved: Interleave, iterations: number) {
  const tableName = 'bench-visits';
  const doc = await localTable(endpoint, tableName);
  const env = await sandboxWithProviders('http://127.0.0.1:9'); // authorisations are confirmed by query
  const deps: VisitDeps = {
    ledger: dynamoLedgerStore(doc, tableName, HOSPITAL),
    clock: systemClock,
    metrics: emfMetrics('bench', () => undefined), // the EMF documents are built, not printed
    ids: ulidIds(),
    credit: env.credit,
    insurance: { ...env.insurance, defaultMedicalType: '11' },
    visits: {
      creditLimitFen: fen(10_000_000),
      authoriseWithinMinutes: 30,
      autoSettleAtMinute: 1200,
      captureRetryDelaysMs: [3_600_000],
      recheckAfterMs: 300_000,
    },
  };
  const round = (n: number) => Number(n.toFixed(2));
  let patients = 0;
  /** An OPEN Alipay visit for a fresh patient, confirmed through the sandbox and a query. */
  async function authorisedVisit() {
    const patientId = `PB${patients++}`;
    const { visit, clientParams } = await openVisit(deps, {
      patientId,
      channel: 'alipay',
      payer: { alipayUserId: '2088102122524333' },
      insured: true,
    });
    await fetch(`${env.sandbox.url}/sandbox/authorise`, {
      method: 'POST',
      body: JSON.stringify({
        channel: 'alipay',
        outOrderNo: visit.outOrderNo,
        orderStr: clientParams.orderStr,
      }),
    });
    await refreshAuthorisation(deps, await loadVisit(deps.ledger, visit.visitId));
    return visit.visitId;
  }
  const charge = (chargeId: string, amountFen: number) => ({
    chargeId,
    category: 'laboratory' as const,
    description: 'bench',
    amountFen: fen(amountFen),
  });

  /** A conditional put of a fresh entity, as a visit's guarded write makes one. */
  const entityPut = (id: string) => ({
    Put: {
      TableName: tableName,
      Item: { ...HOSPITAL.entity('floor', id), state: { status: 'OPEN' }, version: 1 },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });

  /** One bare TransactWriteItems of the shape a ledger commit has: entity put, journal put, balance add. */
  const bareTransactWrite = async (tag: string) => {
    const id = `${tag}-${randomBytes(4).toString('hex')}`;
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          entityPut(id),
          {
            Put: {
              TableName: tableName,
              Item: { ...HOSPITAL.journal(`floor:${id}`), at: new Date().toISOString(), postings: [] },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: tableName,
              Key: HOSPITAL.balance('patient:PBFLOOR:receivable'),
              UpdateExpression: 'ADD debitFen :a',
              ExpressionAttributeValues: { ':a': 100 },
            },
          },
        ],
      }),
    );
  };

  /** One bare TransactWriteItems of a single conditional entity put: the shape of a visit's own transition. */
  const bareEntityWrite = (tag: string) =>
    doc.send(
      new TransactWriteCommand({ TransactItems: [entityPut(`${tag}-${randomBytes(4).toString('hex')}`)] }),
    );

  try {
    // (f) add-charge: read the visit, then ONE TransactWriteItems (visit guarded by version, journal,
    // patient balance) vs one bare TransactWriteItems of the same three items.
    const open = await Promise.all(Array.from({ length: 40 }, () => authorisedVisit()));
    let added = 0;
    const charges = await interleaved(
      {
        addCharge: () => {
          const k = added++;
          return addCharge(deps, open[k % open.length] as string, charge(`L${k}`, 100));
        },
        floorBareTransactWrite: (i) => bareTransactWrite(`c${i}`),
      },
      iterations,
    );

    // (g) settlement end to end (the insurance hold confirmed by 6301 and booked + self-pay capture + release,
    // with its commits) vs the sum of its provider round trips made directly (6301 + Alipay PREAUTH_PAY).
    // The insurance itself (auth exchange, 6201, 6202) happens before, while the patient authorises.
    const rounds = Math.min(iterations, 100);
    const warmup = 10;
    const payerId = '2088102122524333';
    const location = '113.26,23.12';
    /** The patient authorises insurance in the sandbox wallet: a fresh single-use code. */
    const authCode = () => env.sandbox.platform.authorise({ channel: 'alipay', payerId }).authCode;
    /** An OPEN visit with a listed lab and an unlisted registration. */
    const charged = async () => {
      const visitId = await authorisedVisit();
      await addCharge(deps, visitId, {
        ...charge('LAB', 40_000),
        listing: { listCode: '250101001', hospitalListCode: 'H-LAB', quantity: '1' },
      });
      await addCharge(deps, visitId, { ...charge('REG', 2_000), category: 'registration' });
      return visitId;
    };
    const prepare = async () => {
      const visitId = await charged();
      const hold = await preauthoriseInsurance(deps, visitId, { authCode: authCode(), location });
      return { visitId, hold, visit: (await loadVisit(deps.ledger, visitId)).value };
    };
    const forSettle: Array<Awaited<ReturnType<typeof prepare>>> = [];
    const forFloor: Array<Awaited<ReturnType<typeof prepare>>> = [];
    const forFloorPlus: Array<Awaited<ReturnType<typeof prepare>>> = [];
    for (let i = 0; i < rounds + warmup; i++) {
      forSettle.push(await prepare());
      forFloor.push(await prepare());
      forFloorPlus.push(await prepare());
    }
    /** The settlement's provider calls, made directly: 6301 + Alipay PREAUTH_PAY capture. */
    const providerRoundTrips = async (v: (typeof forFloor)[number] | undefined) => {
      if (!v) throw new Error('ran out of visits');
      await env.insurance.platform.queryOrder({ payOrdId: v.hold.preauthId, payToken: v.hold.payToken });
      const captured = await env.credit.alipay.capture({
        outOrderNo: v.visit.outOrderNo,
        outTradeNo: `VF${v.visit.outOrderNo.slice(2)}`,
        authNo: v.visit.authorisation?.authNo ?? '',
        amountFen: v.hold.selfPayFen,
        authorisedFen: v.visit.creditLimitFen,
        description: 'bench',
        lines: [],
        payer: { alipayUserId: '2088102122524333' },
      });
      if (captured.status !== 'SUCCEEDED') throw new Error('floor capture failed');
    };
    const settlement = await interleaved(
      {
        settleVisit: async (i) => {
          const v = forSettle[i];
          if (!v) throw new Error('ran out of visits');
          const done = await settleVisit(deps, v.visitId, { requestedBy: 'bench' });
          if (done.status !== 'SETTLED') throw new Error(`bench visit ${v.visitId} is ${done.status}`);
        },
        floorProviderRoundTrips: (i) => providerRoundTrips(forFloor[i]),
        // The least any saga that records each of its three steps durably could do.
        floorProviderRoundTripsPlusThreeTransactWrites: async (i) => {
          await bareTransactWrite(`s${i}`);
          await providerRoundTrips(forFloorPlus[i]);
          await bareTransactWrite(`s${i}`);
          await bareTransactWrite(`s${i}`);
        },
      },
      rounds,
      warmup,
    );

    // (g2) the visit's insurance step while the patient authorises (exchange, 6201, 6202, with the hold
    // recorded ORDERING then HELD: two single-entity commits) vs those three round trips made directly plus
    // two bare single-put TransactWriteItems.
    const forInsure: string[] = [];
    for (let i = 0; i < rounds + warmup; i++) forInsure.push(await charged());
    const insuranceRoundTrips = async () => {
      const auth = await env.insurance.auth.alipay.exchange({ authCode: authCode(), payerId });
      const uploaded = await env.insurance.platform.uploadFees({
        payAuthNo: auth.payAuthNo,
        insuredRegion: auth.insuredRegion,
        location,
        medOrgOrd: `MO${randomBytes(9).toString('hex')}`,
        chargeBatchNo: 'bench',
        medicalType: '11',
        totalFen: fen(40_000),
        lines: [
          {
            lineId: 'LAB',
            listCode: '250101001',
            hospitalListCode: 'H-LAB',
            name: 'bench',
            quantity: '1',
            amountFen: fen(40_000),
          },
        ],
        at: new Date(),
      });
      await env.insurance.platform.placeOrder({
        ...uploaded,
        payAuthNo: auth.payAuthNo,
        orgBizSer: randomBytes(8).toString('hex'),
        chargeBatchNo: 'bench',
      });
    };
    const insurance = await interleaved(
      {
        preauthoriseInsurance: async (i) => {
          const held = await preauthoriseInsurance(deps, forInsure[i] ?? '', {
            authCode: authCode(),
            location,
          });
          if (held.status !== 'HELD') throw new Error(`bench hold ${held.preauthId} is ${held.status}`);
        },
        floorRoundTripsPlusTwoEntityWrites: async (i) => {
          await insuranceRoundTrips();
          await bareEntityWrite(`i${i}`);
          await bareEntityWrite(`i${i}`);
        },
      },
      rounds,
      warmup,
    );
    const r = (a: Stats, b: Stats) => round(a.medianMs / b.medianMs);
    return {
      charges,
      settlement,
      insurance,
      ratios: {
        preauthoriseInsurance_vs_roundTripsPlusTwoEntityWrites: r(
          insurance.preauthoriseInsurance,
          insurance.floorRoundTripsPlusTwoEntityWrites,
        ),
        addCharge_vs_bareTransactWrite: r(charges.addCharge, charges.floorBareTransactWrite),
        settleVisit_vs_providerRoundTrips: r(settlement.settleVisit, settlement.floorProviderRoundTrips),
        settleVisit_vs_providerRoundTripsPlusThreeTransactWrites: r(
          settlement.settleVisit,
          settlement.floorProviderRoundTripsPlusThreeTransactWrites,
        ),
      },
    };
  } finally {
    await env.sandbox.close();
  }
}
