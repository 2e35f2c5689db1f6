import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { isDatabaseUnavailable } from './db/database-unavailable';

/**
 * The client contract's error codes (DESIGN.md). Every error a client sees carries exactly one of
 * these in `extensions.code`; anything else is normalised by `formatError` below.
 */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  CONFLICT: 'CONFLICT',
  CONSENT_REQUIRED: 'CONSENT_REQUIRED',
  STEP_UP_REQUIRED: 'STEP_UP_REQUIRED',
  RATE_LIMITED: 'RATE_LIMITED',
  POLICY_ACCEPTANCE_REQUIRED: 'POLICY_ACCEPTANCE_REQUIRED',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** A documentId or APQ hash the gateway does not know; Apollo's persisted-query link retries on it. */
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const CONTRACT_CODES = new Set<string>(Object.values(ErrorCode));

/**
 * An error the gateway raises on purpose. Its message is written for clients and must never
 * contain personal data; extensions say what went wrong in machine-readable form.
 */
export class GatewayError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
}

export const unauthenticated = (message = 'Authentication required.') => new GatewayError(ErrorCode.UNAUTHENTICATED, message);

export const forbidden = (message = 'Not allowed.', extensions: Record<string, unknown> = {}) => new GatewayError(ErrorCode.FORBIDDEN, message, extensions);

export const notFound = (message = 'Not found.') => new GatewayError(ErrorCode.NOT_FOUND, message);

/** `field` names the offending input field, e.g. `phone`. */
export const badUserInput = (field: string, message: string, extra: Record<string, unknown> = {}) =>
  new GatewayError(ErrorCode.BAD_USER_INPUT, message, { field, ...extra });

export const conflict = (field: string, message: string) => new GatewayError(ErrorCode.CONFLICT, message, { field });

export const rateLimited = (retryAfterSeconds: number) =>
  new GatewayError(ErrorCode.RATE_LIMITED, 'Too many attempts; try again later.', { retryAfterSeconds });

export const stepUpRequired = (maxAuthAgeSeconds: number) =>
  new GatewayError(ErrorCode.STEP_UP_REQUIRED, 'This needs a recent sign-in; call stepUp first.', { maxAuthAgeSeconds });

/** The database is unreachable, stopped answering or the request ran out of time: retry later. */
export const serviceUnavailable = (extra: Record<string, unknown> = {}) =>
  new GatewayError(ErrorCode.SERVICE_UNAVAILABLE, 'The service is temporarily unavailable; try again shortly.', extra);

export const consentRequired = (requiredConsent: string, extra: Record<string, unknown> = {}) =>
  new GatewayError(ErrorCode.CONSENT_REQUIRED, `This needs the member's consent ${requiredConsent}.`, { requiredConsent, ...extra });

// graphql-js and Apollo echo offending values in these messages ("got invalid value ...",
// "found ..."); values may be personal data, so only the location and a value-free reason survive.
// Greedy first, so a value containing `; ` cannot hide the path; the detail is whitelisted anyway.
const VARIABLE_WITH_PATH = /^(Variable "\$\w+") got invalid value .* at "([^"]+)"; (.*)$/s;
const VARIABLE_VALUE = /^(Variable "\$\w+") got invalid value .*?; (.*)$/s;
/** Other shapes that quote a value or a token typed by the client, and what replaces it. */
const VALUE_SHAPES: Array<[RegExp, string]> = [
  [/^(Syntax Error: [^"]*?)\s*".*$/s, '$1.'],
  [/^(Expected value of type "[^"]+"), found .*$/s, '$1, found an invalid literal.'],
  [/^Value .* does not exist in "(\w+)" enum\..*$/s, 'The value is not one of the "$1" enum values.'],
  [/^(.*? cannot represent[^:"]*)(?::|\s").*$/s, '$1.'],
];
/** Details that name only schema elements, never values. */
const SAFE_DETAIL = [
  /^Expected non-nullable type "[^"]+" not to be null\.$/,
  /^Field "\w+" of required type "[^"]+" was not provided\.$/,
  /^Field "\w+" is not defined by type "\w+"\.( Did you mean [^"]*("\w+"[^"]*)+\?)?$/,
];
const ENUM_DETAIL = /^Value .* does not exist in "(\w+)" enum\..*$/s;

/**
 * Apollo's `formatError`: every error leaves with a contract code and a message free of personal
 * values. An unexpected error leaves with its code and a generic message only, in every
 * environment: driver messages can quote stored values. The server logs it by request id.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const rawCode = String(formatted.extensions?.code ?? ErrorCode.INTERNAL_SERVER_ERROR);
  const intended = original instanceof GatewayError;
  if (!intended && isDatabaseUnavailable(original)) {
    return { message: serviceUnavailable().message, locations: formatted.locations, path: formatted.path, extensions: { code: ErrorCode.SERVICE_UNAVAILABLE } };
  }

  if (!intended && !CONTRACT_CODES.has(rawCode) && !isRequestShapeError(rawCode)) {
    return internal(formatted);
  }
  if (!intended && rawCode === ErrorCode.INTERNAL_SERVER_ERROR) return internal(formatted);

  const code = CONTRACT_CODES.has(rawCode) ? rawCode : ErrorCode.BAD_USER_INPUT;
  const extensions: Record<string, unknown> = { ...formatted.extensions, code };
  delete extensions.stacktrace;
  delete extensions.validationErrors;
  if (code !== rawCode) extensions.reason = rawCode;
  return { ...formatted, message: intended ? formatted.message : scrubValues(formatted.message, extensions), extensions };
}

/**
 * Production: no "Did you mean …?" in any message (validation, variables, enum values), so that
 * errors do not reveal field, argument and type names while introspection is off.
 */
export function withoutSuggestions(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const message = formatted.message.replace(/ ?Did you mean [^?]*\?/g, '');
  return message === formatted.message ? formatted : { ...formatted, message };
}

function isRequestShapeError(code: string): boolean {
  return [
    'GRAPHQL_PARSE_FAILED',
    'GRAPHQL_VALIDATION_FAILED',
    'BAD_REQUEST',
    'OPERATION_RESOLUTION_FAILURE',
    'PERSISTED_QUERY_NOT_FOUND',
    'PERSISTED_QUERY_NOT_SUPPORTED',
  ].includes(code);
}

function scrubValues(message: string, extensions: Record<string, unknown>): string {
  const withPath = VARIABLE_WITH_PATH.exec(message);
  if (withPath) {
    const [, name, path, detail] = withPath;
    extensions.field = path;
    return `${name} has an invalid value at "${path}": ${safeDetail(detail!)}`;
  }
  const variable = VARIABLE_VALUE.exec(message);
  if (variable) return `${variable[1]} has an invalid value: ${safeDetail(variable[2]!)}`;
  for (const [shape, replacement] of VALUE_SHAPES) if (shape.test(message)) return message.replace(shape, replacement);
  return message;
}

function safeDetail(detail: string): string {
  if (SAFE_DETAIL.some((pattern) => pattern.test(detail))) return detail;
  const enumName = ENUM_DETAIL.exec(detail)?.[1];
  if (enumName) return `the value is not one of the "${enumName}" enum values.`;
  return 'the value does not have the expected type.';
}

function internal(formatted: GraphQLFormattedError): GraphQLFormattedError {
  return {
    message: 'Internal server error.',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}
