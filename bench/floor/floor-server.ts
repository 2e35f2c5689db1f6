import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type DocumentNode, execute, type GraphQLFormattedError, type GraphQLSchema, parse, validate } from 'graphql';
import type { FloorContext } from './floor-schema';

type Prepared = { document: DocumentNode } | { errors: GraphQLFormattedError[] };

const MAX_CACHED_DOCUMENTS = 1000;

/**
 * POST /graphql on node:http: the query text parsed and validated once and cached, the bearer
 * token checked per request, the document executed by graphql-js, the result written as JSON.
 * Answers as Apollo does (a trailing newline), so bodies compare byte for byte.
 */
export function floorServer(schema: GraphQLSchema, authenticate: (authorization: string | undefined) => Promise<FloorContext | null>): Server {
  const documents = new Map<string, Prepared>();
  const prepare = (query: string): Prepared => {
    let prepared = documents.get(query);
    if (prepared) return prepared;
    try {
      const document = parse(query);
      const errors = validate(schema, document);
      prepared = errors.length > 0 ? { errors: errors.map((error) => error.toJSON()) } : { document };
    } catch (error) {
      prepared = { errors: [{ message: (error as Error).message }] };
    }
    if (documents.size >= MAX_CACHED_DOCUMENTS) documents.clear();
    documents.set(query, prepared);
    return prepared;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method !== 'POST' || request.url !== '/graphql') return send(response, 404, { errors: [{ message: 'Not found' }] });
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const { query, variables, operationName } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      query: string;
      variables?: Record<string, unknown>;
      operationName?: string;
    };
    const prepared = prepare(query);
    if ('errors' in prepared) return send(response, 400, { errors: prepared.errors });
    const context = await authenticate(request.headers.authorization);
    if (!context) return send(response, 401, { errors: [{ message: 'Unauthenticated', extensions: { code: 'UNAUTHENTICATED' } }] });
    send(response, 200, await execute({ schema, document: prepared.document, contextValue: context, variableValues: variables, operationName }));
  };

  return createServer((request, response) => {
    handle(request, response).catch((error: Error) => send(response, 500, { errors: [{ message: error.message }] }));
  });
}

function send(response: ServerResponse, status: number, result: unknown): void {
  const body = `${JSON.stringify(result)}\n`;
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}
