/** Resolves secret references: `file:<path>` (local, .local/) or `ssm:<name>` (SSM SecureString on AWS). */
import { readFile } from 'node:fs/promises';
import { getSsmParameter } from '../adapters/aws/ssm';

/**
 * Reads the secret a reference points to. The value is never logged. On Lambda the execution role's
 * credentials are in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN: Lambda's
 * "defined runtime environment variables"); AWS_ENDPOINT_URL_SSM overrides the endpoint, as in the SDKs.
 */
export async function resolveSecret(ref: string, region: string): Promise<string> {
  if (ref.startsWith('file:')) {
    return (await readFile(ref.slice('file:'.length), 'utf8')).trim();
  }
  if (ref.startsWith('ssm:')) {
    const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_ENDPOINT_URL_SSM } = process.env;
    if (!AWS_ACCESS_KEY_ID || !AWS_SECRET_ACCESS_KEY)
      throw new Error('Reading an ssm: secret needs AWS credentials in the environment, as Lambda provides.');
    return getSsmParameter(ref.slice('ssm:'.length), {
      region,
      endpoint: AWS_ENDPOINT_URL_SSM,
      credentials: {
        accessKeyId: AWS_ACCESS_KEY_ID,
        secretAccessKey: AWS_SECRET_ACCESS_KEY,
        sessionToken: AWS_SESSION_TOKEN,
      },
    });
  }
  throw new Error('A secret reference must start with "file:" or "ssm:".');
}
