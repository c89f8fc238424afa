/**
 * Reads one SSM parameter (GetParameter, WithDecryption) over HTTPS with SigV4, instead of bundling
 * @aws-sdk/client-ssm. The wire format is SSM's AWS JSON 1.1 protocol (SSM API Reference, GetParameter;
 * "Common parameters"): `POST /`, `X-Amz-Target: AmazonSSM.GetParameter`,
 * `Content-Type: application/x-amz-json-1.1`, body `{"Name","WithDecryption"}`, answer
 * `{"Parameter":{"Name","Type","Value",…}}`, errors `{"__type","message"}`.
 */
import { signRequest, type AwsCredentials } from './sigv4';

/** Where SSM answers: `endpoint` overrides (tests); China regions use the amazonaws.com.cn domain. */
export function ssmEndpoint(region: string, endpoint?: string): URL {
  if (endpoint) return new URL(endpoint);
  return new URL(`https://ssm.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}/`);
}

/** The decrypted value of parameter `name`; throws with SSM's error type (never the value) on failure. */
export async function getSsmParameter(
  name: string,
  options: {
    readonly region: string;
    readonly credentials: AwsCredentials;
    readonly endpoint?: string;
    readonly timeoutMs?: number;
  },
): Promise<string> {
  const url = ssmEndpoint(options.region, options.endpoint);
  const body = JSON.stringify({ Name: name, WithDecryption: true });
  const headers = signRequest(
    {
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonSSM.GetParameter' },
      body,
    },
    options.credentials,
    { region: options.region, service: 'ssm' },
    new Date(),
  );
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body,
    signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
  });
  const answer = (await response.json().catch(() => ({}))) as {
    Parameter?: { Value?: unknown };
    __type?: string;
  };
  if (!response.ok)
    throw new Error(
      `SSM GetParameter ${name} failed: ${response.status} ${answer.__type ?? 'unknown error'}`,
    );
  const value = answer.Parameter?.Value;
  if (typeof value !== 'string' || value === '') throw new Error(`SSM parameter ${name} is empty.`);
  return value;
}
