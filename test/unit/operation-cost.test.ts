import { buildSchema, getOperationAST, parse } from 'graphql';
import { countTokens, measureOperation } from '../../src/limits';

const schema = buildSchema(`
  type Query { me: Member  recommendations(first: Int = 5): [Product!]!  policies: [Policy!]!  node(id: ID!): Member }
  type Mutation { stepUp(password: String!): Boolean  placeOrder(sku: String!): Order }
  type Member { id: ID!  phone: String  orders(first: Int, after: String): OrderConnection!  consents: [String!]! }
  type OrderConnection { edges: [OrderEdge!]!  pageInfo: PageInfo! }
  type OrderEdge { cursor: String!  node: Order! }
  type PageInfo { hasNextPage: Boolean! }
  type Order { id: ID!  items: [Item!]! }
  type Item { name: String }
  type Product { id: ID! }
  type Policy { text: String }
`);

const measure = (query: string, variables: Record<string, unknown> = {}) => {
  const document = parse(query);
  return measureOperation(schema, document, getOperationAST(document)!, { variables, assumedListSize: 10 });
};

describe('measureOperation', () => {
  it('counts depth, root fields and cost of a plain selection', () => {
    expect(measure('{ me { id phone } }')).toMatchObject({ depth: 2, rootFields: 1, aliases: 0, cost: 3 });
  });

  it('multiplies a paginated field by its literal first and does not count its connection lists again', () => {
    // me 1 + orders 1 + 100 × (edges 1 + node 1 + id 1) = 302
    expect(measure('{ me { orders(first: 100) { edges { node { id } } } } }').cost).toBe(302);
  });

  it('reads first from the variables, then from the variable default, then the argument default', () => {
    const query = 'query($n: Int = 7) { recommendations(first: $n) { id } }';
    expect(measure(query, { n: 50 }).cost).toBe(1 + 50);
    expect(measure(query).cost).toBe(1 + 7);
    expect(measure('{ recommendations { id } }').cost).toBe(1 + 5);
  });

  it('uses the API default page size when first is omitted and has no default', () => {
    expect(measure('{ me { orders { edges { cursor } } } }').cost).toBe(2 + 20 * 2);
  });

  it('multiplies a list without first by the assumed list size', () => {
    expect(measure('{ policies { text } }').cost).toBe(1 + 10);
  });

  it('counts aliases and cost after expanding fragments', () => {
    const query = '{ a: me { ...M } b: me { ...M } } fragment M on Member { x: id y: phone }';
    expect(measure(query)).toMatchObject({ rootFields: 2, aliases: 2 + 2 * 2, cost: 2 * 3, depth: 2 });
  });

  it('multiplies down the tree: aliases × first × items × names', () => {
    const query = `{ me { o1: orders(first: 100) { edges { node { ...N } } } o2: orders(first: 100) { edges { node { ...N } } } } }
      fragment N on Order { i1: items { ...I } i2: items { ...I } } fragment I on Item { n1: name n2: name n3: name }`;
    const measured = measure(query);
    // Per order: 2 items × (1 + 10 × 3 names) = 62; per orders field: 1 + 100 × (edges 1 + node 1 + 62)
    expect(measured.cost).toBe(1 + 2 * (1 + 100 * 64));
    expect(measured.aliases).toBe(2 + 2 * (2 + 2 * 3));
    expect(measured.depth).toBe(6);
  });

  it('measures exponentially nested fragments in linear time and reports the expanded size', () => {
    const levels = 60;
    const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(' ');
    const query = `{ ...F0 } ${fragments} fragment F${levels} on Query { me { id } }`;
    const started = performance.now();
    const measured = measure(query);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(measured.rootFields).toBe(2 ** levels);
    expect(measured.cost).toBe(2 ** levels * 2);
  });

  it('counts root fields by name through fragments and inline fragments', () => {
    const measured = measure(
      'mutation { a: stepUp(password: "x") ... on Mutation { b: stepUp(password: "y") } ...P } fragment P on Mutation { placeOrder(sku: "s") { id } }',
    );
    expect(measured.rootFieldCounts).toEqual({ stepUp: 2, placeOrder: 1 });
    expect(measured.rootFields).toBe(3);
  });

  it('counts an introspection subtree as one field', () => {
    expect(measure('{ __schema { types { fields { name } } } }')).toMatchObject({ depth: 1, cost: 1 });
  });
});

describe('countTokens', () => {
  it('counts tokens as the parser does, without comments', () => {
    const document = '# a comment\n{ a: me { id } }';
    expect(countTokens('{ me { id } }')).toBe(6);
    expect(countTokens(document)).toBe(8);
    expect(() => parse(document, { maxTokens: 8 })).not.toThrow();
    expect(() => parse(document, { maxTokens: 7 })).toThrow(/7 tokens/);
  });

  it('stops counting just past the limit', () => {
    expect(countTokens('{ a b c d e f g h }', 3)).toBe(4);
  });

  it('leaves a lexing error to the parser', () => {
    expect(countTokens('{ me "unterminated }')).toBe(2);
  });
});
