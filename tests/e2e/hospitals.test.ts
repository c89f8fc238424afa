/**
 * Two hospitals in one local stack (partner mode on both channels), onboarded through the API with no
 * restart: each pays, refunds, settles a pay-later visit, reconciles and closes its own day on both
 * channels, and its search, event log and reconciliation runs hold only its own records. Then the
 * cross-hospital attack suite: every route of the contract that names a resource, called with each of
 * West's roles against East's ids, must refuse; the counts are printed. Each hospital's statement and HIS
 * callbacks hold only its own payments.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDayOf } from '../../lib/domain/business-day';
import { signDevToken, type Role } from '../../lib/http/auth';
import { allRoutes } from '../../lib/http/contract';
import { ALIPAY_MERCHANTS, SUB_MERCHANTS } from '../../sandbox/books';
import { payerFor, stackClient, startLocalStack, type LocalStack } from '../support/local-stack';

type Json = Record<string, any>;
const CHANNELS = ['alipay', 'wechatpay'] as const;
const HOSPITALS = { 'h-east': 0, 'h-west': 1 } as const;
type HospitalId = keyof typeof HOSPITALS;

describe('two hospitals on one local stack', () => {
  let local: LocalStack;
  let client: ReturnType<typeof stackClient>;
  let secret: string;
  const today = businessDayOf(new Date());
  /** What East made, by path parameter name: the ids West's tokens are pointed at. */
  const east: Record<string, string> = {};
  const tokens = {} as Record<HospitalId, Record<Role, string>>;

  /** Each hospital's HIS: the callbacks it received, by path (`/h-east`, `/h-west`). */
  const received: Array<{ path: string; body: Json }> = [];
  let his: Server | undefined;
  let hisUrl = '';

  beforeAll(async () => {
    his = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: JSON.parse(body || '{}') as Json });
        res.end();
      });
    });
    await new Promise<void>((r) => his?.listen(0, '127.0.0.1', r));
    hisUrl = `http://127.0.0.1:${(his.address() as AddressInfo).port}`;
    // Registrations are believed for 2 s here (60 by default), so a connection is seen at once.
    local = await startLocalStack({ env: { MEDPAY_HOSPITAL_CACHE_SECONDS: '2' } });
    client = stackClient(local);
    secret = readFileSync(join(local.localDir, 'jwt-hs256-secret'), 'utf8').trim();
    for (const hospitalId of Object.keys(HOSPITALS) as HospitalId[]) {
      tokens[hospitalId] = {} as Record<Role, string>;
      for (const role of ['patient', 'staff', 'finance', 'admin'] as const)
        tokens[hospitalId][role] = await signDevToken(secret, {
          sub: `${role}-${hospitalId}`,
          role,
          hospitalId,
        });
    }
  }, 180_000);
  afterAll(async () => {
    await local?.stop();
    await new Promise<void>((r) => (his ? his.close(() => r()) : r()));
  });

  const api = (method: string, path: string, token: string | null, body?: unknown) =>
    client.api(method, path, token, body);

  it('an operator onboards both hospitals and their merchants through the API, with no restart', async () => {
    const operator = await signDevToken(secret, { sub: 'ops', role: 'operator' });
    for (const [hospitalId, i] of Object.entries(HOSPITALS)) {
      expect((await api('POST', '/hospitals', operator, { hospitalId, name: hospitalId })).status).toBe(201);
      const wechat = await api('POST', `/hospitals/${hospitalId}/channels/wechatpay`, operator, {
        subMchId: SUB_MERCHANTS[i],
      });
      expect(wechat.status).toBe(200);
      const { app_auth_code } = await client.sandbox('/sandbox/alipay/app-auth', {
        authAppId: ALIPAY_MERCHANTS[i].authAppId,
      });
      const alipay = await api('POST', `/hospitals/${hospitalId}/channels/alipay`, operator, {
        appAuthCode: app_auth_code,
      });
      expect(alipay).toMatchObject({ status: 200, body: { channels: { alipay: { status: 'AUTHORISED' } } } });
    }
    expect((await api('GET', '/hospitals', operator)).body.items).toHaveLength(2);
    // Each hospital's admin registers its own HIS for every event.
    for (const hospitalId of Object.keys(HOSPITALS) as HospitalId[]) {
      const endpoint = await api('POST', '/notification-endpoints', tokens[hospitalId].admin, {
        url: `${hisUrl}/${hospitalId}`,
        events: ['*'],
      });
      expect(endpoint.status).toBe(201);
    }
  });

  /** The hospital's patient opens a visit, confirms it in the wallet, is charged, and settles it. */
  async function settledVisit(hospitalId: HospitalId, channel: (typeof CHANNELS)[number]) {
    const t = tokens[hospitalId];
    const visitId = await authorisedVisit(hospitalId, channel);
    const charge = await api('POST', `/visits/${visitId}/charges`, t.staff, {
      chargeId: 'LAB-1',
      category: 'laboratory',
      description: '化验',
      amountFen: 2300,
    });
    expect(charge).toMatchObject({ status: 201, body: { tabFen: 2300 } });
    expect([200, 202]).toContain((await api('POST', `/visits/${visitId}/settle`, t.patient, {})).status);
    let visit = await api('GET', `/visits/${visitId}`, t.patient);
    for (let i = 0; i < 100 && visit.body.status !== 'SETTLED'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      visit = await api('GET', `/visits/${visitId}`, t.patient);
    }
    expect(visit.body).toMatchObject({ status: 'SETTLED', settlement: { capturedFen: 2300 } });
    return visitId;
  }

  /** A visit the hospital's patient opened and confirmed in the wallet (its notification found the hospital). */
  async function authorisedVisit(hospitalId: HospitalId, channel: (typeof CHANNELS)[number]) {
    const opened = await api('POST', '/visits', tokens[hospitalId].patient, {
      channel,
      payer: payerFor(channel),
      insured: false,
    });
    expect(opened.status).toBe(201);
    const confirmed = await client.sandbox('/sandbox/authorise', {
      channel,
      outOrderNo: opened.body.outOrderNo,
      orderStr: opened.body.clientParams.orderStr,
    });
    expect(confirmed.notification.acknowledged).toBe(true);
    const visit = await api('GET', `/visits/${opened.body.visitId}`, tokens[hospitalId].patient);
    expect(visit.body.status).toBe('OPEN');
    return opened.body.visitId as string;
  }

  it('each hospital pays, refunds, settles a visit, reconciles and closes its day on both channels; it sees only its own', async () => {
    const mine = {} as Record<HospitalId, string[]>;
    const visits = {} as Record<HospitalId, string[]>;
    for (const hospitalId of Object.keys(HOSPITALS) as HospitalId[]) {
      mine[hospitalId] = [];
      const t = tokens[hospitalId];
      for (const channel of CHANNELS) {
        const created = await api('POST', '/payments', t.patient, {
          channel,
          purpose: 'examination',
          referenceId: `REF-${hospitalId}`,
          amountFen: 4100,
          description: '检查费',
          payer: payerFor(channel),
        });
        expect(created.status).toBe(201);
        const { paymentId, outTradeNo } = created.body as { paymentId: string; outTradeNo: string };
        mine[hospitalId].push(paymentId);
        const paid = await client.sandbox('/sandbox/pay', { channel, outTradeNo });
        expect(paid).toMatchObject({ status: 'PAID', notified: true });
        const refund = await api('POST', `/payments/${paymentId}/refunds`, t.staff, {
          amountFen: 1000,
          reason: '部分退费',
        });
        expect(refund.status).toBe(201);
        if (hospitalId === 'h-east' && channel === 'alipay') east.alipayOutTradeNo = outTradeNo;
        if (hospitalId === 'h-east' && channel === 'wechatpay') {
          east.paymentId = paymentId;
          east.refundId = refund.body.refundId as string;
          east.outTradeNo = outTradeNo;
        }
        (visits[hospitalId] ??= []).push(await settledVisit(hospitalId, channel));
      }
    }
    await new Promise((r) => setTimeout(r, 1500)); // WeChat refunds succeed shortly after, and events relay
    for (const hospitalId of Object.keys(HOSPITALS) as HospitalId[]) {
      const t = tokens[hospitalId];
      for (const channel of CHANNELS) {
        const run = await api('POST', '/reconciliations', t.finance, { date: today, channel });
        // The payment, its refund and the visit's capture, each found in the hospital's own bill.
        expect(run).toMatchObject({
          status: 201,
          body: {
            status: 'COMPLETED',
            summary: { matched: 3, missingInLedger: 0, missingAtProvider: 0, amountMismatch: 0 },
          },
        });
        if (hospitalId === 'h-east') east.reconciliationId = run.body.reconciliationId as string;
      }
      // Its Alipay day closes (East's WeChat Pay day stays open for the attack suite's discrepancy).
      const closed = await api('POST', `/finance-days/${today}/close`, t.finance, { channel: 'alipay' });
      expect(closed).toMatchObject({ status: 200, body: { date: today, channel: 'alipay' } });
      // Its visits are its own: the day's visit search lists them and none of the other hospital's.
      const visitSearch = await api('GET', `/visits?date=${today}&limit=100`, t.staff);
      expect(visitSearch.body.items.map((v: Json) => v.visitId).sort()).toEqual(
        [...visits[hospitalId]].sort(),
      );
      const search = await api('GET', `/payments?date=${today}&limit=100`, t.staff);
      expect(search.body.items.map((p: Json) => p.paymentId).sort()).toEqual([...mine[hospitalId]].sort());
      // Its statement of the day lists its own payments, and none of the other hospital's.
      const statement = await api('GET', `/statements/${today}?format=csv`, t.finance);
      expect(statement.status).toBe(302);
      const csv = await (await fetch(String(statement.headers.get('location')))).text();
      for (const [other, ids] of Object.entries(mine))
        for (const id of ids) expect(csv.includes(id)).toBe(other === hospitalId);
      const events = await api('GET', '/events?limit=100', t.staff);
      const paymentsInEvents = new Set(
        (events.body.items as Json[]).map((e) => e.data.paymentId as string | undefined).filter(Boolean),
      );
      expect([...paymentsInEvents].sort()).toEqual([...mine[hospitalId]].sort());
      if (hospitalId === 'h-east') east.eventId = (events.body.items as Json[])[0]?.id as string;
    }
    // Each HIS receives callbacks about its own hospital's payments, and none about the other's.
    const about = (path: string) =>
      new Set(
        received.filter((r) => r.path === path).map((r) => r.body.data?.paymentId as string | undefined),
      );
    for (
      let i = 0;
      i < 120 &&
      Object.values(mine)
        .flat()
        .some((id) => !about('/h-east').has(id) && !about('/h-west').has(id));
      i++
    )
      await new Promise((r) => setTimeout(r, 250));
    for (const hospitalId of Object.keys(HOSPITALS) as HospitalId[]) {
      const got = about(`/${hospitalId}`);
      got.delete(undefined);
      expect([...got].sort()).toEqual([...mine[hospitalId]].sort());
    }
  });

  it("a complaint at either wallet about East's charge reaches East's inbox alone, and East answers it there", async () => {
    // WeChat sends every sub-merchant's complaint to the service provider's one URL; Alipay's message names the
    // merchant app. medpay finds East by the complaint's complainted_mchid, and by its auth_app_id.
    for (const [channel, outTradeNo] of [
      ['wechatpay', east.outTradeNo],
      ['alipay', east.alipayOutTradeNo],
    ] as const) {
      const opened = await client.sandbox('/sandbox/complaints', {
        channel,
        outTradeNo,
        description: '多收了检查费',
        notifyUrl: local.stack[channel].notifyUrl,
      });
      expect(opened.responseStatus).toBeLessThan(300);
      let found: Json | undefined;
      for (let i = 0; i < 120 && !found; i++) {
        const inbox = await api('GET', '/disputes?limit=100', tokens['h-east'].staff);
        found = (inbox.body.items as Json[]).find((d) => d.provider?.complaintId === opened.complaintId);
        if (!found) await new Promise((r) => setTimeout(r, 250));
      }
      expect(found).toMatchObject({ source: channel, status: 'OPEN' });
      const west = await api('GET', '/disputes?limit=100', tokens['h-west'].staff);
      expect((west.body.items as Json[]).some((d) => d.provider?.complaintId === opened.complaintId)).toBe(
        false,
      );
      // East's answer reaches the wallet as East's (its sub-merchant, its app's token).
      const replied = await api('POST', `/disputes/${found?.disputeId}/reply`, tokens['h-east'].staff, {
        message: '已核实',
      });
      expect(replied.status).toBe(200);
      const atWallet = await fetch(`${local.stack.sandboxUrl}/sandbox/complaints/${opened.complaintId}`).then(
        (r) => r.json() as Promise<Json>,
      );
      expect((atWallet.history as Json[]).map((h) => h.action)).toContain(
        channel === 'wechatpay' ? 'MERCHANT_RESPONSE' : 'MERCHANT_REPLY',
      );
    }
  });

  it("East's own e-receipt account receipts its payments once connected; West's get none", async () => {
    const operator = await signDevToken(secret, { sub: 'ops', role: 'operator' });
    const account = {
      baseUrl: `${local.stack.sandboxUrl}/ereceipt`,
      appId: `EB${local.stack.wechatpay.mchId}`,
      placeCode: 'EAST-01',
      payee: '东院',
    };
    // The signing key goes to the parameter store first (here the stack's hospital secrets folder).
    expect((await api('POST', '/hospitals/h-east/receipts', operator, account)).status).toBe(400);
    mkdirSync(join(local.localDir, 'hospitals', 'h-east'), { recursive: true });
    writeFileSync(
      join(local.localDir, 'hospitals', 'h-east', 'ereceipt-key'),
      readFileSync(join(local.localDir, 'ereceipt-key'), 'utf8'),
      { mode: 0o600 },
    );
    const connected = await api('POST', '/hospitals/h-east/receipts', operator, account);
    expect(connected).toMatchObject({ status: 200, body: { receipts: account } });
    // Every function sees the connection once its cached registration is older than HOSPITAL_CACHE_SECONDS.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(JSON.stringify(connected.body)).not.toContain(
      readFileSync(join(local.localDir, 'ereceipt-key'), 'utf8').trim(),
    );
    const receiptOf = async (hospitalId: HospitalId) => {
      const t = tokens[hospitalId];
      const created = await api('POST', '/payments', t.patient, {
        channel: 'wechatpay',
        purpose: 'examination',
        referenceId: `RCPT-${hospitalId}`,
        amountFen: 2_300,
        description: '检查费',
        payer: payerFor('wechatpay'),
      });
      await client.sandbox('/sandbox/pay', { channel: 'wechatpay', outTradeNo: created.body.outTradeNo });
      for (let i = 0; i < 80; i++) {
        const payment = await api('GET', `/payments/${created.body.paymentId}`, t.staff);
        // A receipt is recorded as issued, then marked in line: wait for ISSUED (or 5 s for none).
        if (payment.body.status === 'PAID' && (payment.body.receipt?.status === 'ISSUED' || i > 20))
          return payment.body.receipt as Json;
        await new Promise((r) => setTimeout(r, 250));
      }
      return undefined;
    };
    expect(await receiptOf('h-east')).toMatchObject({
      status: 'ISSUED',
      bills: [{ kind: 'ISSUED', amountFen: 2_300 }],
    });
    expect(await receiptOf('h-west')).toBeUndefined();
  });

  it("West's tokens of every role reach none of East's records through any route", async () => {
    // East's remaining resources: a callback endpoint, a copy request, an open visit's request.
    const endpoint = await api('POST', '/notification-endpoints', tokens['h-east'].admin, {
      url: 'http://127.0.0.1:9/east',
      events: ['*'],
    });
    east.endpointId = endpoint.body.endpointId as string;
    const copy = await api('POST', '/copy-requests', tokens['h-east'].patient, {
      admissionId: 'ADM-EAST',
      items: ['discharge-summary'],
      copies: 1,
      delivery: { recipient: '李四', phone: '13900000000', address: '某路 2 号', province: '北京市' },
    });
    expect(copy.status).toBe(201);
    east.copyRequestId = copy.body.copyRequestId as string;
    const batch = await api('POST', '/refunds/bulk', tokens['h-east'].staff, {
      referenceIds: ['REF-h-east'],
      reason: '停诊',
    });
    east.batchId = batch.body.batchId as string;
    // An open visit with a charge on it.
    east.visitId = await authorisedVisit('h-east', 'wechatpay');
    const charged = await api('POST', `/visits/${east.visitId}/charges`, tokens['h-east'].staff, {
      chargeId: 'C-1',
      category: 'laboratory',
      description: '化验',
      amountFen: 500,
    });
    expect(charged.status).toBe(201);
    east.chargeId = 'C-1';
    // A discrepancy: East's sub-merchant bill shows its payment one fen off.
    await client.sandbox('/sandbox/settings', {
      billFaults: { wechatpay: { amountDelta: { [String(east.outTradeNo)]: 1 } } },
    });
    const rerun = await api('POST', '/reconciliations', tokens['h-east'].finance, {
      date: today,
      channel: 'wechatpay',
    });
    await client.sandbox('/sandbox/settings', { billFaults: { wechatpay: {} } });
    expect(rerun.body.status).toBe('COMPLETED_WITH_DISCREPANCIES');
    const open = await api('GET', `/discrepancies?status=OPEN&date=${today}`, tokens['h-east'].finance);
    // The bulk refund above may still be settling at the provider: only the planted mismatch is asserted.
    const mismatched = (open.body.items as Json[]).filter((d) => d.class === 'amountMismatch');
    expect(mismatched).toHaveLength(1);
    east.discrepancyId = mismatched[0]?.discrepancyId as string;
    // West has none: its day and its runs are its own.
    const westOpen = await api('GET', `/discrepancies?status=OPEN&date=${today}`, tokens['h-west'].finance);
    expect(westOpen.body.items).toEqual([]);
    // The registry's own routes name East too: none of West's roles is the platform operator.
    east.hospitalId = 'h-east';
    // An inpatient admission of East's: its balance, charges and discharge are East's alone.
    const admitted = await api('POST', '/admissions', tokens['h-east'].staff, {
      admissionId: 'ZY-EAST-1',
      patientId: 'P-EAST-IN',
      ward: 'east ward',
      requestedDepositFen: 10_000,
    });
    expect(admitted.status).toBe(201);
    east.admissionId = 'ZY-EAST-1';
    // A dispute about East's payment: its conversation and refunds are East's alone.
    const disputed = await api('POST', `/payments/${east.paymentId}/disputes`, tokens['h-east'].staff, {
      description: '重复收费',
    });
    expect(disputed.status).toBe(201);
    east.disputeId = disputed.body.disputeId as string;
    const covered = new Set<string>();
    // Write attempts carry a body that passes validation, so the refusal is the hospital's, not the schema's.
    const bodies: Record<string, unknown> = {
      refundPayment: { amountFen: 100, reason: 'attack' },
      rerouteRefund: { type: 'MERCHANT_BANK_CARD' },
      openDispute: { description: 'attack' },
      replyDispute: { message: 'attack' },
      refundDispute: { amountFen: 100 },
      completeDispute: { note: 'attack' },
      closePayment: {},
      redeliverEvent: { endpointId: east.endpointId },
      rotateNotificationEndpointSecret: { overlapSeconds: 0 },
      disableNotificationEndpoint: {},
      cancelCopyRequest: {},
      payCopyRequest: { channel: 'wechatpay', payer: payerFor('wechatpay') },
      addVisitCharge: { chargeId: 'X-1', category: 'other', description: 'attack', amountFen: 1 },
      preauthoriseVisitInsurance: { authCode: 'AC-attack' },
      resolveDiscrepancy: { action: 'write-off', note: 'attack' },
      completeCopyRequest: { pages: 10 },
      connectWechatpay: { subMchId: SUB_MERCHANTS[1] },
      connectReceipts: {
        baseUrl: 'https://ereceipt.example.cn',
        appId: 'A',
        placeCode: 'P',
        payee: 'attack',
      },
      connectAlipay: { appAuthCode: 'attack' },
      setHospitalStatus: { status: 'SUSPENDED' },
      connectInsurance: {
        orgCode: 'H1',
        orgId: 'O1',
        appId: 'A1',
        medInstName: 'attack',
        medInstNo: 'H1',
      },
      shipCopyRequest: { carrier: 'SF', trackingNo: 'SF1234567890' },
      postAdmissionCharge: { chargeId: 'X-1', category: 'bed', description: 'attack', amountFen: 1 },
    };
    const counts = { attempts: 0, refused: 0, byStatus: {} as Record<number, number> };
    const leaks: string[] = [];
    for (const route of allRoutes) {
      // `{id}` is a copy request's or a reconciliation's, by the route's first segment.
      const idOf = (name: string) =>
        name !== 'id'
          ? east[name]
          : route.path.startsWith('/copy-requests')
            ? east.copyRequestId
            : route.path.startsWith('/reconciliations')
              ? east.reconciliationId
              : undefined;
      const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
      if (names.length === 0 || route.auth === 'public' || names.some((n) => !idOf(n))) continue;
      const path = names.reduce(
        (p, n) => p.replace(`{${n}}`, encodeURIComponent(idOf(n) as string)),
        route.path,
      );
      for (const role of ['patient', 'staff', 'finance', 'admin'] as const) {
        const body = route.method === 'POST' ? (bodies[route.operationId] ?? {}) : undefined;
        const res = await api(route.method, path, tokens['h-west'][role], body);
        counts.attempts++;
        counts.byStatus[res.status] = (counts.byStatus[res.status] ?? 0) + 1;
        covered.add(route.operationId);
        if (res.status < 300) leaks.push(`${role} ${route.method} ${route.path} → ${res.status}`);
        else counts.refused++;
      }
    }
    console.log(
      `cross-hospital attack suite: ${JSON.stringify(counts)} over ${covered.size} routes: ${[...covered].join(', ')}`,
    );
    expect(leaks).toEqual([]);
    // Each refusal is the hospital's or the role's (404, 403), never a body the schema rejected first.
    expect(Object.keys(counts.byStatus).sort()).toEqual(['403', '404']);
    // Every route naming a payment, refund, batch, visit, charge, admission, copy request, reconciliation,
    // discrepancy, endpoint, event or the hospital itself.
    expect(covered.size).toBeGreaterThanOrEqual(35);
    expect(counts.attempts).toBe(covered.size * 4);
    // East's own staff still read what West could not.
    expect((await api('GET', `/payments/${east.paymentId}`, tokens['h-east'].staff)).status).toBe(200);
    expect((await api('GET', `/visits/${east.visitId}`, tokens['h-east'].staff)).body).toMatchObject({
      status: 'OPEN',
      tabFen: 500,
    });
    expect(
      (await api('GET', `/discrepancies/${east.discrepancyId}`, tokens['h-east'].finance)).body.status,
    ).toBe('OPEN');
  });
});
