/**
 * The statement ports (S3 file store, CSV/XLSX writers), built only by the functions that export statements:
 * keeping them out of the composition root keeps them out of every other bundle.
 */
import { writeStatementCsv, writeStatementXlsx } from '../adapters/files/statement-files';
import { s3FileStore } from '../adapters/s3/file-store';
import type { StatementDeps } from '../usecases/finance/statement';
import type { Config } from './config';
import { awsCredentials } from './secrets';

let cached: Pick<StatementDeps, 'files' | 'statementWriters'> | undefined;

/** The file store for the configured bucket (s3rver locally) and the writers, built once per container. */
export function statementPorts(config: Config): Pick<StatementDeps, 'files' | 'statementWriters'> {
  cached ??= {
    files: s3FileStore({
      region: config.region,
      bucket: config.statements.bucket,
      endpoint: config.statements.endpoint,
      credentials: awsCredentials,
    }),
    statementWriters: { csv: writeStatementCsv, xlsx: writeStatementXlsx },
  };
  return cached;
}
