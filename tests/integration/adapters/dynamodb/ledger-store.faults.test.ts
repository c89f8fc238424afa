import { createServer, type Server, type Socket } from 'node:net';
import { TransactionCanceledException, ThrottlingException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../../../lib/adapters/dynamodb/client';
import { dynamoLedgerStore } from '../../../../lib/adapters/dynamodb/ledger-store';
import { dynamoEntityTable } from '../../../../lib/adapters/dynamodb/entity-table';
import { ConcurrentModificationError, StorageUnavailableError } from '../../../../lib/domain/errors';
import { Accounts } from '../../../../lib/domain/ledger/accounts';
import { journalTransaction } from '../../../../lib/domain/ledger/journal';
import type { LedgerChange } from '../../../../lib/ports/ledger-store';
import { createTestTable } from '../../../support/dynamo';
import { hospitalKeys } from '../../../../lib/adapters/dynamodb/keys';

/** The hospital these records belong to (the default hospital of the test and bench configurations). */
const HOSPITAL = hospitalKeys('default');

const change = (id: string): LedgerChange => ({
  entities: [{ type: 'payment', id, state: { status: 'PAID' }, expect: { kind: 'absent' } }],
  journal: journalTransaction({
    txnId: `payment:${id}:captured`,
    occurredAt: new Date('2026-03-01T02:00:00Z'),
    postings: [
      { account: Accounts.channelClearing('wechatpay'), side: 'debit', amountFen: 990 },
      { account: Accounts.patientReceivable('PF'), side: 'credit', amountFen: 990 },
    ],
  }),
});

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('dynamoLedgerStore under faults', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  beforeAll(async () => {
    table = await createTestTable();
  });

  /** Runs `commit` against a mocked client, then proves with the real table that nothing was written. */
  async function failWith(error: Error, id: string) {
    const faulty = createDocumentClient({ region: 'cn-north-1', endpoint: table.endpoint });
    const mock = mockClient(faulty);
    mock.on(TransactWriteCommand).rejects(error);
    const outcome = dynamoLedgerStore(faulty, table.tableName, HOSPITAL).commit(change(id));
    await outcome.catch(() => undefined);
    expect(mock.calls()).toHaveLength(1); // one atomic write attempt, no piecemeal fallback
    mock.restore();
    const real = dynamoLedgerStore(table.doc, table.tableName, HOSPITAL);
    expect(
      await dynamoEntityTable(table.doc, table.tableName, HOSPITAL).getEntity('payment', id),
    ).toBeUndefined();
    expect(await real.getTransaction(`payment:${id}:captured`)).toBeUndefined();
    expect((await real.balanceOf(Accounts.patientReceivable('PF'))).creditFen).toBe(0);
    return outcome;
  }

  it('maps throttling to STORAGE_UNAVAILABLE', async () => {
    const outcome = failWith(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }), 'f1');
    await expect(outcome).rejects.toThrow(StorageUnavailableError);
    await expect(outcome).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
  });

  it('maps a transaction cancelled for throttling to STORAGE_UNAVAILABLE', async () => {
    await expect(failWith(cancelled('None', 'ThrottlingError', 'None'), 'f2')).rejects.toThrow(
      StorageUnavailableError,
    );
  });

  it('maps a transaction cancelled by a conflicting transaction to CONCURRENT_MODIFICATION', async () => {
    await expect(failWith(cancelled('TransactionConflict', 'None', 'None'), 'f3')).rejects.toThrow(
      ConcurrentModificationError,
    );
  });

  it('maps an SDK timeout to STORAGE_UNAVAILABLE', async () => {
    const timeout = Object.assign(new Error('Connection timed out after 3000 ms'), { name: 'TimeoutError' });
    await expect(failWith(timeout, 'f4')).rejects.toThrow(StorageUnavailableError);
  });

  describe('against a server that accepts connections and never answers', () => {
    let server: Server;
    let port = 0;
    const sockets = new Set<Socket>();
    beforeAll(async () => {
      server = createServer((socket) => sockets.add(socket)); // hold every socket open, say nothing
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      port = (server.address() as { port: number }).port;
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    });

    it('times out for real and reports STORAGE_UNAVAILABLE', async () => {
      const hanging = createDocumentClient({
        region: 'cn-north-1',
        endpoint: `http://127.0.0.1:${port}`,
        maxAttempts: 1,
        requestTimeoutMs: 200,
      });
      const outcome = dynamoLedgerStore(hanging, 'medpay-nowhere', HOSPITAL).commit(change('f5'));
      await expect(outcome).rejects.toThrow(StorageUnavailableError);
    });
  });
});
