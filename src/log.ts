// Structured JSON logs (pino), one child logger per feature; `show log <feature>` filters on it.
// Loggers can be created at import time: where lines go is decided later by logToFile().
import { mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Logger, pino } from 'pino';

const sink = {
  fd: undefined as number | undefined,
  write(line: string): void {
    if (this.fd !== undefined) writeSync(this.fd, line);
    process.stderr.write(line);
  },
};

const root: Logger = pino(
  {
    level: process.env.TANDEM_LOG_LEVEL ?? 'info',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  },
  sink,
);

export function featureLogger(feature: string): Logger {
  return root.child({ feature });
}

/** From now on, log lines also go to `file` (the daemon's log, read by `show log`). */
export function logToFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  sink.fd = openSync(file, 'a', 0o640);
}
