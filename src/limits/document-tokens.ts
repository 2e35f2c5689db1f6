import { Lexer, Source, TokenKind } from 'graphql';

/**
 * Lexical tokens of a GraphQL document, counted as graphql-js's parser counts them (comments
 * excluded), stopping at `stopAfter`. Cheap: no syntax tree is built. A lexing error ends the
 * count; the parser reports it.
 */
export function countTokens(document: string, stopAfter = Infinity): number {
  const lexer = new Lexer(new Source(document));
  let count = 0;
  try {
    while (count <= stopAfter && lexer.advance().kind !== TokenKind.EOF) count += 1;
  } catch {
    /* a syntax error: the parser answers it */
  }
  return count;
}
