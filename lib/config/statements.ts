/**
 * The statement ports (S3 file store, CSV/XLSX writers), built only by the functions that export statements:
 * keeping them out of the composition root keeps the S3 SDK and exceljs out of every other bundle.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { writeStatementCsv, writeStatementXlsx } from '../adapters/files/statement-files';
import { s3FileStore } from '../adapters/s3/file-store';
import type { StatementDeps } from '../usecases/finance/export-statement';
import type { Config } from './config';

let cached: Pick<StatementDeps, 'files' | 'statementWriters'> | undefined;

/** The file store for the configured bucket (s3rver locally) and the writers, built once per container. */
export function statementPorts(config: Config): Pick<StatementDeps, 'files' | 'statementWriters'> {
  const endpoint = config.statements.endpoint;
  cached ??= {
    files: s3FileStore(
      new S3Client({ region: config.region, ...(endpoint ? { endpoint, forcePathStyle: true } : {}) }),
      config.statements.bucket,
    ),
    statementWriters: { csv: writeStatementCsv, xlsx: writeStatementXlsx },
  };
  return cached;
}
