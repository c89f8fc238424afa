/** Resolves secret references: `file:<path>` (local, .local/) or `ssm:<name>` (SSM SecureString on AWS). */
import { readFile } from 'node:fs/promises';
import type { AwsCredentials } from '../adapters/aws/sigv4';
import { getSsmParameter } from '../adapters/aws/ssm';

/**
 * The function's AWS credentials. On Lambda the execution role's temporary keys are in the environment
 * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN: Lambda's "defined runtime environment
 * variables"); locally `npm start` sets s3rver's fixed key. Read on every call, as Lambda may rotate them.
 */
export function awsCredentials(): AwsCredentials {
  const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN } = process.env;
  if (!AWS_ACCESS_KEY_ID || !AWS_SECRET_ACCESS_KEY)
    throw new Error('AWS credentials are missing from the environment (Lambda provides them).');
  return {
    accessKeyId: AWS_ACCESS_KEY_ID,
    secretAccessKey: AWS_SECRET_ACCESS_KEY,
    sessionToken: AWS_SESSION_TOKEN,
  };
}

/**
 * Reads the secret a reference points to. The value is never logged. AWS_ENDPOINT_URL_SSM overrides the
 * SSM endpoint, as in the SDKs.
 */
export async function resolveSecret(ref: string, region: string): Promise<string> {
  if (ref.startsWith('file:')) {
    return (await readFile(ref.slice('file:'.length), 'utf8')).trim();
  }
  if (ref.startsWith('ssm:')) {
    return getSsmParameter(ref.slice('ssm:'.length), {
      region,
      endpoint: process.env.AWS_ENDPOINT_URL_SSM,
      credentials: awsCredentials(),
    });
  }
  throw new Error('A secret reference must start with "file:" or "ssm:".');
}
