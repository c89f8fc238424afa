/** Resolves secret references: `file:<path>` (local, .local/) or `ssm:<name>` (SSM SecureString on AWS). */
import { readFile } from 'node:fs/promises';

/** Reads the secret a reference points to. The value is never logged. */
export async function resolveSecret(ref: string, region: string): Promise<string> {
  if (ref.startsWith('file:')) {
    return (await readFile(ref.slice('file:'.length), 'utf8')).trim();
  }
  if (ref.startsWith('ssm:')) {
    // Loaded only when used: local stacks and JWKS-only deployments never pay for the SSM client.
    const { GetParameterCommand, SSMClient } = await import('@aws-sdk/client-ssm');
    const ssm = new SSMClient({ region });
    try {
      const { Parameter } = await ssm.send(
        new GetParameterCommand({ Name: ref.slice('ssm:'.length), WithDecryption: true }),
      );
      if (!Parameter?.Value) throw new Error(`SSM parameter ${ref.slice(4)} is empty.`);
      return Parameter.Value;
    } finally {
      ssm.destroy();
    }
  }
  throw new Error('A secret reference must start with "file:" or "ssm:".');
}
