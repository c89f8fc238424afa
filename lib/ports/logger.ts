/** Logger port: structured log lines (JSON on Lambda), with keys that follow the request. */

/** The levels, lowest first. */
export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';

/** What the code logs with; `appendKeys` adds keys to every later line until `resetKeys`. */
export interface Logger {
  debug(message: string, fields?: object): void;
  info(message: string, fields?: object): void;
  warn(message: string, fields?: object): void;
  error(message: string, fields?: object): void;
  appendKeys(keys: Readonly<Record<string, unknown>>): void;
  resetKeys(): void;
}
