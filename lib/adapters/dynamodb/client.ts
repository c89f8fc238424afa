/** Builds the DynamoDB clients once, in the composition root, with explicit timeouts and retries. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** Where and how to reach DynamoDB. `endpoint` is set only for DynamoDB Local. */
export interface DynamoClientOptions {
  readonly region: string;
  readonly endpoint?: string;
  readonly maxAttempts?: number;
  readonly requestTimeoutMs?: number;
}

/** Creates a document client that drops undefined values and fails fast rather than hanging. */
export function createDocumentClient(options: DynamoClientOptions): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: options.region,
    endpoint: options.endpoint,
    maxAttempts: options.maxAttempts ?? 3,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: 1_000,
      requestTimeout: options.requestTimeoutMs ?? 3_000,
      // Without this, smithy only logs a warning and the request hangs until the Lambda times out.
      throwOnRequestTimeout: true,
    }),
    // DynamoDB Local accepts any credentials; on AWS the Lambda role's credentials are used.
    ...(options.endpoint ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
