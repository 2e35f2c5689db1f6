import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * Whether the operation selects `path` below the field being resolved (through fragments too),
 * e.g. `selects(info, ['edges', 'node', 'items'])` in `orders`: a list resolver then loads the
 * rows' children with the page, in one statement, and the children resolve without a promise per
 * row. Directives (@skip, @include) are not evaluated: a skipped selection only loads rows that
 * are not sent.
 */
export function selects(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  let level: SelectionSetNode[] = info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  for (const [depth, name] of path.entries()) {
    const next: SelectionSetNode[] = [];
    let found = false;
    const visit = (set: SelectionSetNode): void => {
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          if (selection.name.value !== name) continue;
          found = true;
          if (selection.selectionSet) next.push(selection.selectionSet);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
        else {
          const fragment = info.fragments[selection.name.value];
          if (fragment) visit(fragment.selectionSet);
        }
      }
    };
    level.forEach(visit);
    if (!found) return false;
    if (depth === path.length - 1) return true;
    level = next;
  }
  return false;
}
