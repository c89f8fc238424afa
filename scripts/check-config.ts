/**
 * Checks a deployed stage's environment with medpay's own config schema (lib/config/config.ts) and the
 * deployed-stage rules; infra/check-params.cjs runs it before `serverless package/deploy`. Reads the
 * environment as JSON on stdin and prints the issues as JSON on stdout.
 */
import { deployedStageIssues, parseConfig } from '../lib/config/config';

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const env = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, string>;
const parsed = parseConfig(env);
console.log(JSON.stringify([...(parsed.ok ? [] : parsed.issues), ...deployedStageIssues(env)]));
