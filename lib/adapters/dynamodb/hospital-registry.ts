/**
 * The hospital registry in the platform's key space (`P#`): one entity per hospital, listed by creation, and
 * one claim per WeChat Pay sub-merchant (a notification's `sub_mchid` finds its hospital).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Hospital } from '../../domain/hospital';
import type { HospitalRegistry } from '../../ports/hospitals';
import { dynamoEntityTable } from './entity-table';
import { platformKeys } from './keys';
import { dynamoLedgerStore } from './ledger-store';
import { entityWrite, pointerWrite, valueOf, versioned, type EntityKind } from './repositories/kind';

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
      const sub = next.channels.wechatpay?.subMchId;
      const claim =
        sub && sub !== current.value.channels.wechatpay?.subMchId
          ? [pointerWrite('wxsub', sub, { hospitalId: next.hospitalId })]
          : [];
      await store.commit({
        entities: [entityWrite(HOSPITAL, next, { kind: 'version', version: current.version }), ...claim],
      });
    },
    ofWechatSubMerchant: async (subMchId) => {
      const claim = await table.getEntity('wxsub', subMchId);
      return claim && valueOf<{ hospitalId: string }>(claim).hospitalId;
    },
  };
}
