/** Reads infra/table.yml and turns it into DynamoDB API calls, so local tables match the deployed one. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { parse } from 'yaml';

interface CfnTable {
  Properties: {
    BillingMode: 'PAY_PER_REQUEST';
    AttributeDefinitions: CreateTableCommandInput['AttributeDefinitions'];
    KeySchema: CreateTableCommandInput['KeySchema'];
    GlobalSecondaryIndexes: CreateTableCommandInput['GlobalSecondaryIndexes'];
    TimeToLiveSpecification: { AttributeName: string; Enabled: boolean };
    StreamSpecification?: { StreamViewType: 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY' };
  };
}

/** The table resource exactly as CloudFormation receives it. */
export function loadTableResource(): CfnTable {
  const path = fileURLToPath(new URL('./table.yml', import.meta.url));
  return (parse(readFileSync(path, 'utf8')) as { MedpayTable: CfnTable }).MedpayTable;
}

/**
 * Creates `tableName` from infra/table.yml (if it does not exist) and enables its TTL.
 * Point-in-time recovery, SSE and deletion protection are AWS-side settings that DynamoDB Local ignores.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const { Properties: p } = loadTableResource();
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: p.BillingMode,
        AttributeDefinitions: p.AttributeDefinitions,
        KeySchema: p.KeySchema,
        GlobalSecondaryIndexes: p.GlobalSecondaryIndexes,
        ...(p.StreamSpecification
          ? {
              StreamSpecification: {
                StreamEnabled: true,
                StreamViewType: p.StreamSpecification.StreamViewType,
              },
            }
          : {}),
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    return;
  }
  for (let i = 0; i < 100; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: {
        AttributeName: p.TimeToLiveSpecification.AttributeName,
        Enabled: p.TimeToLiveSpecification.Enabled,
      },
    }),
  );
}
