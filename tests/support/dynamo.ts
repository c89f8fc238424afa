/** Test helpers: a fresh table (from infra/table.yml) on the run's DynamoDB Local, and test dependencies. */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { buildDeps, type AppDeps } from '../../lib/config/container';
import { loadConfig } from '../../lib/config/config';
import { recordingMetrics } from './metrics';
import { eventBus } from '../../lib/config/event-bus';
import { hs256Verifier } from '../../lib/http/auth';
import { localTable } from '../../scripts/lib/dynamodb-local';

/** The shared HS256 secret test tokens are signed with. */
export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256';

/** Creates a uniquely named table on DynamoDB Local and returns a document client for it. */
export async function createTestTable() {
  const endpoint = inject('dynamodbEndpoint');
  const tableName = `medpay-test-${randomBytes(5).toString('hex')}`;
  return { endpoint, tableName, doc: await localTable(endpoint, tableName) };
}

/** Dependencies wired to a fresh table, with overrides for clock, logger and the like. */
export async function testDeps(overrides: Partial<AppDeps> = {}): Promise<AppDeps> {
  const { endpoint, tableName, doc } = await createTestTable();
  const config = loadConfig({
    STAGE: 'test',
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: endpoint,
    AUTH_MODE: 'hs256',
    AUTH_HS256_SECRET: 'file:/dev/null',
    LOG_LEVEL: 'SILENT',
  });
  // The relay's local publisher: relayed events reach the in-process subscribers, as under `npm start`.
  return buildDeps<AppDeps>(
    config,
    {
      dynamo: doc,
      auth: hs256Verifier(TEST_JWT_SECRET, { defaultHospital: config.hospitals.defaultId }),
      metrics: recordingMetrics(),
      providers: {},
      credit: {},
      bills: {},
      // A test's providers verify their notifications too, as the local stack's do.
      verifiers: overrides.verifiers ?? overrides.providers ?? {},
      ...overrides,
    },
    { eventBus },
  );
}
