/**
 * The hospital registry in the platform's key space (`P#`): one entity per hospital, listed by creation, and
 * one claim per channel merchant (a notification's `sub_mchid` or `auth_app_id` finds its hospital).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Hospital } from '../../domain/hospital';
import type { Channel } from '../../domain/ledger/accounts';
import type { HospitalRegistry, MerchantClaim } from '../../ports/hospitals';
import { dynamoEntityTable } from './entity-table';
import { platformKeys } from './keys';
import { dynamoLedgerStore } from './ledger-store';
import { entityWrite, pointerWrite, valueOf, versioned, type EntityKind } from './repositories/kind';

/** The claim on a channel's merchant: one item per WeChat Pay sub_mchid or Alipay auth_app_id. */
const CLAIM = { wechatpay: 'wxsub', alipay: 'alipayapp' } as const;

/** The merchant a hospital's channel names (sub_mchid, auth_app_id), if connected. */
const merchantOf = (h: Hospital, channel: Channel) =>
  channel === 'wechatpay' ? h.channels.wechatpay?.subMchId : h.channels.alipay?.authAppId;

/** byTime partition listing every hospital by creation. */
const HOSPITALS = 'HOSPITALS';

/** Hospitals: listed by creation. */
const HOSPITAL: EntityKind<Hospital> = {
  type: 'hospital',
  id: (h) => h.hospitalId,
  indexes: (h) => ({ byTime: { partition: HOSPITALS, sort: `${h.createdAt}#${h.hospitalId}` } }),
};

/** The registry over one table. */
export function dynamoHospitalRegistry(doc: DynamoDBDocumentClient, tableName: string): HospitalRegistry {
  const table = dynamoEntityTable(doc, tableName, platformKeys);
  const store = dynamoLedgerStore(doc, tableName, platformKeys);
  const claims = new Map<string, MerchantClaim>();
  return {
    get: async (hospitalId) => {
      const stored = await table.getEntity(HOSPITAL.type, hospitalId);
      return stored && versioned<Hospital>(stored);
    },
    all: async function* () {
      for await (const e of table.scanByTime(HOSPITALS, '\uffff')) yield valueOf<Hospital>(e);
    },
    create: async (hospital) => {
      await store.commit({ entities: [entityWrite(HOSPITAL, hospital, { kind: 'absent' })] });
    },
    update: async (current, next) => {
      const claims = (['wechatpay', 'alipay'] as const).flatMap((channel) => {
        const merchant = merchantOf(next, channel);
        const pid = channel === 'alipay' ? next.channels.alipay?.merchantId : undefined;
        return merchant && merchant !== merchantOf(current.value, channel)
          ? [
              pointerWrite(CLAIM[channel], merchant, {
                hospitalId: next.hospitalId,
                ...(pid ? { merchantId: pid } : {}),
              }),
            ]
          : [];
      });
      await store.commit({
        entities: [entityWrite(HOSPITAL, next, { kind: 'version', version: current.version }), ...claims],
      });
    },
    ofMerchant: async (channel, merchant) => {
      // A claim is written once and never moves: a found one is kept for the container's life, so routing a
      // notification costs no read after the first.
      const key = `${channel}:${merchant}`;
      const known = claims.get(key);
      if (known) return known;
      const stored = await table.getEntity(CLAIM[channel], merchant);
      const claim = stored && valueOf<MerchantClaim>(stored);
      if (claim) claims.set(key, claim);
      return claim;
    },
  };
}
