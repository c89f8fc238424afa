/** The parts of s3rver (local S3 for `npm start`) the start script uses; the package ships no types. */
declare module 's3rver' {
  export default class S3rver {
    constructor(options: {
      address?: string;
      port?: number;
      directory: string;
      silent?: boolean;
      configureBuckets?: Array<{ name: string; configs: unknown[] }>;
    });
    run(): Promise<unknown>;
    close(): Promise<void>;
  }
}
