import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * The gateway's logger (JSON lines on stdout). Log lines carry ids, codes and timings only; the
 * redaction list is a second line of defence for anything personal that slips into a log object.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'member-privacy-gateway' },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          '*.password',
          '*.currentPassword',
          '*.newPassword',
          '*.refreshToken',
          '*.accessToken',
          '*.phone',
          '*.variables',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/** Describes an unexpected error for the log without its message, which may quote stored values. */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const frames = (error.stack ?? '')
    .split('\n')
    .slice(1, 8)
    .map((line) => line.trim());
  const driverCode = (error as { code?: unknown }).code;
  return { type: error.constructor.name, ...(typeof driverCode === 'string' ? { driverCode } : {}), frames };
}
