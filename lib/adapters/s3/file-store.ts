/**
 * FileStore on Amazon S3 (s3rver locally) over fetch, signed by the SDK's signer (../aws/sigv4.ts), in place of the S3 client, lib-storage and
 * the presigner (about 170 KB). By the S3 API Reference:
 *   - a file that fits in one part is one PutObject; a bigger one is a multipart upload
 *     (CreateMultipartUpload `POST ?uploads`, UploadPart `PUT ?partNumber&uploadId`, each part ≥ 5 MiB but the
 *     last, CompleteMultipartUpload `POST ?uploadId` with the parts' ETags), aborted on failure, so memory
 *     holds one part whatever the file's size;
 *   - every object is written with `x-amz-server-side-encryption: AES256` and the body's SHA-256 in
 *     x-amz-content-sha256;
 *   - download links are presigned GETs ("Authenticating Requests: Using Query Parameters").
 */
import { Writable } from 'node:stream';
import type { FileStore } from '../../ports/file-store';
import { encodeRfc3986, payloadSha256, presignUrl, signRequest, type AwsCredentials } from '../aws/sigv4';

/** Where the bucket is and how to sign for it. `endpoint` (s3rver) switches to path-style URLs. */
export interface S3Location {
  readonly region: string;
  readonly bucket: string;
  readonly endpoint?: string;
  readonly credentials: () => AwsCredentials | Promise<AwsCredentials>;
  /** Bytes per part; S3's minimum (5 MiB) is the default's floor. */
  readonly partBytes?: number;
}

const MIB = 1024 * 1024;

/** Creates the store for one bucket. */
export function s3FileStore(location: S3Location): FileStore {
  const partBytes = Math.max(location.partBytes ?? 8 * MIB, 5 * MIB);
  const objectUrl = (key: string) => {
    const path = key.split('/').map(encodeRfc3986).join('/');
    if (location.endpoint)
      return new URL(`${location.endpoint.replace(/\/$/, '')}/${location.bucket}/${path}`);
    const domain = `amazonaws.com${location.region.startsWith('cn-') ? '.cn' : ''}`;
    return new URL(`https://${location.bucket}.s3.${location.region}.${domain}/${path}`);
  };

  /** One signed S3 call; a non-2xx answer throws with S3's error code (never the body's data). */
  async function call(
    method: string,
    url: URL,
    body: Uint8Array | string = '',
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const hash = payloadSha256(body);
    const signed = await signRequest(
      { method, url, headers, body: '' },
      await location.credentials(),
      { region: location.region, service: 's3' },
      new Date(),
      hash,
    );
    const response = await fetch(url, {
      method,
      headers: signed,
      body: method === 'GET' || method === 'DELETE' ? undefined : body,
      signal: AbortSignal.timeout(30_000),
    });
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? 'unknown';
      throw new Error(`S3 ${method} ${url.pathname} failed: ${response.status} ${code}`);
    }
    return response;
  }

  return {
    async put(key, contentType, write) {
      const url = objectUrl(key);
      const object = { 'content-type': contentType, 'x-amz-server-side-encryption': 'AES256' };
      let chunks: Buffer[] = [];
      let buffered = 0;
      let uploadId: string | undefined;
      const etags: string[] = [];

      const uploadPart = async (part: Buffer) => {
        if (!uploadId) {
          const created = await call('POST', new URL(`${url.href}?uploads`), '', object);
          uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(await created.text())?.[1];
          if (!uploadId) throw new Error('S3 CreateMultipartUpload answered without an UploadId');
        }
        const partUrl = new URL(url);
        partUrl.searchParams.set('partNumber', String(etags.length + 1));
        partUrl.searchParams.set('uploadId', uploadId);
        const answer = await call('PUT', partUrl, part);
        etags.push(answer.headers.get('etag') ?? '');
      };
      const take = () => {
        const all = Buffer.concat(chunks);
        chunks = [];
        buffered = 0;
        return all;
      };

      const sink = new Writable({
        write(chunk: Buffer | string, _encoding, done) {
          chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
          buffered += chunk.length;
          if (buffered < partBytes) return done();
          uploadPart(take()).then(() => done(), done);
        },
      });
      const finished = new Promise<void>((resolve, reject) => {
        sink.on('finish', resolve);
        sink.on('error', reject);
      });
      try {
        await write(sink);
        await finished;
        if (!uploadId) {
          await call('PUT', url, take(), object);
          return;
        }
        if (buffered > 0) await uploadPart(take());
        const done = new URL(url);
        done.searchParams.set('uploadId', uploadId);
        const parts = etags
          .map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${etag}</ETag></Part>`)
          .join('');
        const completed = await call(
          'POST',
          done,
          `<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${parts}</CompleteMultipartUpload>`,
          { 'content-type': 'application/xml' },
        );
        // "a 200 OK response can contain either a success or an error" (CompleteMultipartUpload).
        const answer = await completed.text();
        if (answer.includes('<Error>'))
          throw new Error(
            `S3 CompleteMultipartUpload failed: ${/<Code>([^<]+)<\/Code>/.exec(answer)?.[1] ?? 'unknown'}`,
          );
      } catch (error) {
        sink.destroy();
        if (uploadId) {
          const abort = new URL(url);
          abort.searchParams.set('uploadId', uploadId);
          await call('DELETE', abort).catch(() => undefined);
        }
        throw error;
      }
    },

    downloadUrl: async (key, ttlSec) =>
      presignUrl(
        objectUrl(key),
        await location.credentials(),
        { region: location.region, service: 's3' },
        new Date(),
        ttlSec,
      ),
  };
}
