import { buildSchema, graphql, type GraphQLResolveInfo } from 'graphql';
import { selects } from '../../src/common/selects';

const schema = buildSchema(`
  type Item { name: String }
  type Order { number: String items: [Item] }
  type Edge { node: Order }
  type Connection { edges: [Edge] }
  type Query { orders: Connection }
`);

/** What `selects(info, edges.node.items)` says inside `orders` for `query`. */
async function selectsItems(query: string): Promise<boolean> {
  let answer: boolean | undefined;
  const result = await graphql({
    schema,
    source: query,
    rootValue: {
      orders: (_args: unknown, _context: unknown, info: GraphQLResolveInfo) => {
        answer = selects(info, ['edges', 'node', 'items']);
        return { edges: [] };
      },
    },
  });
  expect(result.errors).toBeUndefined();
  return answer!;
}

describe('selects (look-ahead of a list resolver)', () => {
  it('sees a path selected directly, through a fragment spread and through an inline fragment', async () => {
    expect(await selectsItems('{ orders { edges { node { items { name } } } } }')).toBe(true);
    expect(
      await selectsItems('{ orders { ...Page } } fragment Page on Connection { edges { node { ...Lines } } } fragment Lines on Order { items { name } }'),
    ).toBe(true);
    expect(await selectsItems('{ orders { edges { ... on Edge { node { ... { items { name } } } } } } }')).toBe(true);
  });

  it('does not see a path that is not selected, or only partly', async () => {
    expect(await selectsItems('{ orders { edges { node { number } } } }')).toBe(false);
    expect(await selectsItems('{ orders { edges { __typename } } }')).toBe(false);
  });
});
