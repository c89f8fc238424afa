/** Payments, refunds and bulk refund batches in the table: their keys, indexes and lookups. */
import { businessDayOf } from '../../../domain/business-day';
import type { Channel } from '../../../domain/ledger/accounts';
import {
  assertPaymentTransition,
  type BulkRefundBatch,
  type Payment,
  type Refund,
} from '../../../domain/payment';
import type {
  BulkRefundRepository,
  PageRequest,
  PaymentRepository,
  RefundRepository,
} from '../../../ports/repositories';
import type { EntityTable } from '../entity-table';
import { byRef, pageOfPointers, pointerWrite, repository, valueOf, versioned, type EntityKind } from './kind';

/** byRef partitions: a payment by its provider order number, a refund by its provider refund number. */
const outTradeRef = (channel: string, outTradeNo: string) => `OUTTRADE#${channel}#${outTradeNo}`;
const outRefundRef = (channel: string, outRefundNo: string) => `OUTREFUND#${channel}#${outRefundNo}`;
/** GSI2 partition listing every payment of one HIS reference (search, bulk refunds). */
const referencePartition = (referenceId: string) => `PAYREF#${referenceId}`;
/** GSI1 partition listing every payment created on one business day (Asia/Shanghai), in time order. */
const paymentDayPartition = (day: string) => `PAYDAY#${day}`;
/** The claim on a provider trade number (or a payment code's digest). */
const tradeNoId = (channel: string, providerTradeNo: string) => `${channel}-${providerTradeNo}`;

/** Payments: by provider order number, and by status and creation time (the sweep). */
const PAYMENT: EntityKind<Payment> = {
  type: 'payment',
  id: (p) => p.paymentId,
  indexes: (p) => ({
    byRef: { partition: outTradeRef(p.channel, p.outTradeNo), sort: 'payment' },
    byTime: { partition: `PAYMENT#${p.status}`, sort: `${p.createdAt}#${p.paymentId}` },
  }),
  assertTransition: assertPaymentTransition,
};

/** Refunds: by provider refund number, and by status and creation time (the sweep). */
const REFUND: EntityKind<Refund> = {
  type: 'refund',
  id: (r) => r.refundId,
  indexes: (r) => ({
    byRef: { partition: outRefundRef(r.channel, r.outRefundNo), sort: 'refund' },
    byTime: { partition: `REFUND#${r.status}`, sort: `${r.createdAt}#${r.refundId}` },
  }),
};

/** The payment repository over the table. */
export function paymentRepository(table: EntityTable): PaymentRepository {
  const byPointer = (index: 'byRef' | 'byTime', partition: string, page: PageRequest) =>
    pageOfPointers<Payment>(table, index, partition, { type: PAYMENT.type, field: 'paymentId' }, page);
  return {
    ...repository(table, PAYMENT),
    byOutTradeNo: (channel: Channel, outTradeNo: string) =>
      byRef<Payment>(table, outTradeRef(channel, outTradeNo)),
    pendingCreatedBefore: async (before: string, limit: number) =>
      (await table.listByTime('PAYMENT#PENDING', before, limit)).map((e) => versioned<Payment>(e)),
    // Listed under its HIS reference (byTime) and its business day (byRef, in creation order).
    listing: (p: Payment) =>
      pointerWrite(
        'payref',
        p.paymentId,
        { paymentId: p.paymentId, referenceId: p.referenceId },
        {
          byTime: { partition: referencePartition(p.referenceId), sort: p.paymentId },
          byRef: {
            partition: paymentDayPartition(businessDayOf(new Date(p.createdAt))),
            sort: `${p.createdAt}#${p.paymentId}`,
          },
        },
      ),
    ofReference: async (referenceId: string) => {
      const refs = await table.listByTime(referencePartition(referenceId), '~', 500);
      const loaded = await Promise.all(
        refs.map((r) => table.getEntity(PAYMENT.type, String(r.state.paymentId))),
      );
      return loaded.flatMap((e) => (e ? [versioned<Payment>(e)] : []));
    },
    pageOfReference: (referenceId: string, page: PageRequest) =>
      byPointer('byTime', referencePartition(referenceId), page),
    pageOfDay: (date: string, page: PageRequest) => byPointer('byRef', paymentDayPartition(date), page),
    claimTradeNo: (p: Payment, providerTradeNo: string) =>
      pointerWrite('tradeno', tradeNoId(p.channel, providerTradeNo), { paymentId: p.paymentId }),
    tradeNoOwner: async (channel: Channel, providerTradeNo: string) => {
      const claim = await table.getEntity('tradeno', tradeNoId(channel, providerTradeNo));
      return claim && valueOf<{ paymentId: string }>(claim).paymentId;
    },
    claimPaymentCode: (p: Payment, codeDigest: string) =>
      pointerWrite('paycode', tradeNoId(p.channel, codeDigest), { paymentId: p.paymentId }),
    paymentCodeOwner: async (channel: Channel, codeDigest: string) => {
      const claim = await table.getEntity('paycode', tradeNoId(channel, codeDigest));
      return claim && valueOf<{ paymentId: string }>(claim).paymentId;
    },
    linkListing: (p: Payment, token: string) => pointerWrite('paylink', token, { paymentId: p.paymentId }),
    byPayLink: async (token: string) => {
      const link = await table.getEntity('paylink', token);
      const stored =
        link && (await table.getEntity(PAYMENT.type, valueOf<{ paymentId: string }>(link).paymentId));
      return stored ? versioned<Payment>(stored) : undefined;
    },
  };
}

/** The refund repository over the table. */
export function refundRepository(table: EntityTable): RefundRepository {
  return {
    ...repository(table, REFUND),
    byOutRefundNo: (channel: Channel, outRefundNo: string) =>
      byRef<Refund>(table, outRefundRef(channel, outRefundNo)),
    processingCreatedBefore: async (before: string, limit: number) =>
      (await table.listByTime('REFUND#PROCESSING', before, limit)).map((e) => valueOf<Refund>(e)),
  };
}

/** Bulk refund batches, by id. */
export const bulkRefundRepository = (table: EntityTable): BulkRefundRepository =>
  repository<BulkRefundBatch>(table, { type: 'batch', id: (b) => b.batchId });
