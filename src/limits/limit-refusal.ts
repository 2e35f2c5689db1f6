import { ErrorCode, GatewayError } from '../errors';

/** The refusal of an operation over budget: BAD_USER_INPUT (HTTP 400) with reason, limit and measured value. */
export function limitRefusal(reason: string, limit: number, measured: number, extra: Record<string, unknown> = {}): GatewayError {
  return new GatewayError(ErrorCode.BAD_USER_INPUT, `The operation exceeds a limit (${reason}: ${limit}).`, {
    reason,
    limit,
    // Exponential fragment spreads can measure past what JSON can say.
    measured: Number.isFinite(measured) ? Math.min(measured, Number.MAX_SAFE_INTEGER) : Number.MAX_SAFE_INTEGER,
    ...extra,
    http: { status: 400 },
  });
}
