/** FileStore on Amazon S3 (s3rver locally): multipart streaming uploads and presigned GET links. */
import { PassThrough } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { FileStore } from '../../ports/file-store';

/** Creates the store for one bucket. */
export function s3FileStore(client: S3Client, bucket: string): FileStore {
  return {
    async put(key, contentType, write) {
      const body = new PassThrough();
      const upload = new Upload({
        client,
        params: {
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          ServerSideEncryption: 'AES256',
        },
        queueSize: 2, // memory stays at a few 5 MB parts whatever the file size
      });
      const done = upload.done();
      try {
        await write(body);
      } catch (error) {
        body.destroy(error as Error);
        await upload.abort().catch(() => undefined);
        throw error;
      }
      await done;
    },
    downloadUrl: (key, ttlSec) =>
      getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: ttlSec }),
  };
}
