// Structured JSON logs (pino), one child logger per feature; `show log <feature>` filters on it.
import { type Logger, pino } from 'pino';

const root: Logger = pino({
  level: process.env.TANDEM_LOG_LEVEL ?? 'info',
  base: { pid: process.pid },
  timestamp: pino.stdTimeFunctions.isoTime,
});

export function featureLogger(feature: string): Logger {
  return root.child({ feature });
}
