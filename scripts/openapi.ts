/** `npm run openapi`: regenerates lib/http/contract/openapi.json, the document GET /openapi.json serves. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { allRoutes } from '../lib/http/contract';
import { openApiDocument } from '../lib/http/openapi';

const file = resolve(import.meta.dirname, '../lib/http/contract/openapi.json');
writeFileSync(file, `${JSON.stringify(openApiDocument(allRoutes), null, 2)}\n`);
console.log(`wrote ${file}`);
