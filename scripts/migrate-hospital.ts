/**
 * `npm run migrate:hospital -- --table <name> [--hospital default] [--region cn-north-1] [--endpoint URL]`:
 * moves a table written before hospitals existed into one hospital (docs/operations.md, "Moving to hospitals").
 * Safe to run again; prints what it did as JSON; exit status 1 when some item could not move.
 */
import { parseArgs } from 'node:util';
import { createDocumentClient } from '../lib/adapters/dynamodb/client';
import { migrateToHospital } from '../lib/adapters/dynamodb/migrate-hospital';
import { isHospitalId } from '../lib/domain/hospital';

const { values } = parseArgs({
  options: {
    table: { type: 'string' },
    hospital: { type: 'string', default: 'default' },
    region: { type: 'string', default: process.env.AWS_REGION ?? 'cn-north-1' },
    endpoint: { type: 'string' },
  },
});
if (!values.table || !isHospitalId(values.hospital)) {
  console.error(
    'Usage: npm run migrate:hospital -- --table <name> [--hospital <id>] [--region <region>] [--endpoint <url>]',
  );
  process.exit(2);
}
const doc = createDocumentClient({ region: values.region, endpoint: values.endpoint });
const report = await migrateToHospital(doc, values.table, values.hospital);
console.log(JSON.stringify({ table: values.table, hospital: values.hospital, ...report }, null, 2));
process.exit(report.conflicts.length > 0 ? 1 : 0);
