import { ErrorCode } from '../errors';

/** The `operation` label of a request whose document is not from the trusted-document manifest. */
export const UNLISTED = 'unlisted';
/** The `operation` label of a manifest document whose operation has no name. */
export const ANONYMOUS = 'anonymous';

const CONTRACT_CODES = new Set<string>(Object.values(ErrorCode));

/** What an HTTP status says about a request that never reached (or never finished) GraphQL execution. */
const STATUS_OUTCOME: Record<number, ErrorCode> = {
  400: ErrorCode.BAD_USER_INPUT,
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  413: ErrorCode.BAD_USER_INPUT,
  415: ErrorCode.BAD_USER_INPUT,
  429: ErrorCode.RATE_LIMITED,
  503: ErrorCode.SERVICE_UNAVAILABLE,
};

type GraphQLResult = { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> };

export interface RequestLabels {
  /** query, mutation, subscription, or `unknown` when the document never resolved to an operation. */
  operation_type: string;
  /** The manifest's operation name, `anonymous`, or `unlisted`: never text a client wrote. */
  operation: string;
  /** `ok`, or the contract code of the response's first error. */
  outcome: string;
}

/**
 * One GraphQL request as the metrics see it: started when HTTP receives it, described by the
 * GraphQL pipeline as it learns the operation and the result, observed once when the response is
 * gone. Labels carry only schema words, contract codes and manifest names, never request values.
 */
export class RequestObservation {
  private readonly started = process.hrtime.bigint();
  private operationType = 'unknown';
  private operationName: string | null = null;
  /** The code of the result's first error (undefined: none), once a GraphQL result was sent. */
  private result: { code: unknown } | undefined;
  private done = false;

  constructor(private readonly observe: (labels: RequestLabels, seconds: number) => void) {}

  /** The operation the document resolved to (its name is used only if the document is a trusted one). */
  describe(operationType: string, operationName: string | null | undefined): void {
    this.operationType = operationType;
    this.operationName = operationName ?? null;
  }

  /**
   * The GraphQL result about to be sent. Only its first error's code is kept, not the result: a
   * reference held until the response is gone kept a page's whole result tree alive through
   * young collections (and promoted it). A later replacement by the audit's SERVICE_UNAVAILABLE
   * shows in the status (503), which `finish` reads first.
   */
  answered(result: GraphQLResult | undefined): void {
    if (result) this.result = { code: result.errors?.[0]?.extensions?.code };
  }

  /**
   * The response is gone (or the connection closed): records the duration once. `trusted` says
   * whether the document came from the manifest; `unknownDocument` that its id was not found.
   */
  finish(status: number, document: { trusted: boolean; unknownDocument: boolean }): void {
    if (this.done) return;
    this.done = true;
    const seconds = Number(process.hrtime.bigint() - this.started) / 1e9;
    const operation = document.trusted ? (this.operationName ?? ANONYMOUS) : UNLISTED;
    this.observe({ operation_type: this.operationType, operation, outcome: this.outcome(status, document.unknownDocument) }, seconds);
  }

  private outcome(status: number, unknownDocument: boolean): string {
    // A 503 is the deadline's or the audit's answer, whatever the GraphQL result said before.
    if (status === 503) return ErrorCode.SERVICE_UNAVAILABLE;
    if (this.result) {
      const { code } = this.result;
      if (code === undefined) return 'ok';
      return typeof code === 'string' && CONTRACT_CODES.has(code) ? code : ErrorCode.INTERNAL_SERVER_ERROR;
    }
    if (unknownDocument) return ErrorCode.PERSISTED_QUERY_NOT_FOUND;
    if (status < 400) return 'ok';
    return STATUS_OUTCOME[status] ?? (status < 500 ? ErrorCode.BAD_USER_INPUT : ErrorCode.INTERNAL_SERVER_ERROR);
  }
}
