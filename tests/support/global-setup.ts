/**
 * Starts DynamoDB Local once per test run on a free port and shares its endpoint with every test file. At
 * the end it stops it, then kills by PID anything the run left running (every process a test starts carries
 * the run's marker in its environment) and removes /tmp/medpay-* folders the run created, and fails the run
 * when it had to: a test that leaves things behind is a failing test. Everything the run starts gets the run's
 * own TMPDIR (/tmp/medpay-run-*), removed at the end, so the tools' scratch files (serverless's per-process
 * folder, tsx's cache, zip staging) leave nothing in /tmp either.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../scripts/lib/dynamodb-local';
import { ownTmpdir } from '../../scripts/lib/own-tmpdir';
import { cleanLeftovers, RUN_MARKER } from './leftovers';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const runId = randomUUID();
  const startedAt = Date.now() - 1_000;
  process.env[RUN_MARKER] = runId; // inherited by the test workers, and by everything they start
  ownTmpdir('medpay-run-'); // likewise: os.tmpdir() of every test and every process it starts
  const dynamo = await startDynamoDbLocal();
  project.provide('dynamodbEndpoint', dynamo.endpoint);
  return async () => {
    await dynamo.stop();
    const cleaned = cleanLeftovers(runId, startedAt, resolve(import.meta.dirname, '../..'));
    if (cleaned.length > 0) {
      process.exitCode = 1; // vitest only logs an error thrown here
      throw new Error(`The tests left these behind (now cleaned up):\n  ${cleaned.join('\n  ')}`);
    }
  };
}
