import {
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** What an operation would do, measured from the document and variables alone. */
export interface OperationMeasure {
  /** Deepest field nesting; `{ me { id } }` is 2. */
  depth: number;
  /** Aliased fields after expanding every fragment spread. */
  aliases: number;
  /** Root fields after expanding fragments. */
  rootFields: number;
  /** How often each root field name occurs (aliases included). */
  rootFieldCounts: Record<string, number>;
  /**
   * Fields resolved: each field counts 1 per parent instance; a field with a `first` argument
   * multiplies its selections by `first` (its default, else `defaultPageSize`), any other list by
   * `assumedListSize` (the lists inside a `…Connection` are already counted by its `first`).
   */
  cost: number;
}

export interface MeasureOptions {
  variables?: Record<string, unknown> | null;
  /** Length assumed for a list without `first` (order items, consents, policies). */
  assumedListSize: number;
  /** Page size of a paginated field called without `first` (the API's default). */
  defaultPageSize?: number;
}

/** The API's page size when `first` is omitted (src/common/cursor.ts pageSize). */
const DEFAULT_PAGE_SIZE = 20;

interface SelectionMeasure {
  depth: number;
  aliases: number;
  /** Cost per instance of the parent. */
  cost: number;
  fields: Record<string, number>;
}

/**
 * Measures the operation as the executor would walk it, fragments expanded. Each fragment is
 * measured once and reused (its cost is linear in the parent's multiplicity), so a document whose
 * fragments spread each other exponentially is measured in linear time and reports the expanded
 * (astronomical) numbers. Introspection subtrees count as one field: introspection is refused in
 * production by validation, and GraphiQL's introspection query must pass in development.
 */
export function measureOperation(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, options: MeasureOptions): OperationMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const memo = new Map<string, SelectionMeasure>();
  const variables = { ...defaultsOf(operation), ...(options.variables ?? {}) };
  const pageSize = options.defaultPageSize ?? DEFAULT_PAGE_SIZE;

  const measureSet = (selectionSet: SelectionSetNode, parent: GraphQLNamedType | undefined, visiting: Set<string>): SelectionMeasure => {
    const total: SelectionMeasure = { depth: 0, aliases: 0, cost: 0, fields: {} };
    const add = (part: SelectionMeasure) => {
      total.depth = Math.max(total.depth, part.depth);
      total.aliases += part.aliases;
      total.cost += part.cost;
      for (const [name, count] of Object.entries(part.fields)) total.fields[name] = (total.fields[name] ?? 0) + count;
    };
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        add(measureField(selection, parent, visiting));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        add(measureSet(selection.selectionSet, type, visiting));
      } else {
        add(measureFragment(selection.name.value, visiting));
      }
    }
    return total;
  };

  const measureFragment = (name: string, visiting: Set<string>): SelectionMeasure => {
    const known = memo.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    // Validation refuses unknown fragments and cycles; should one slip through, it is unaffordable.
    if (!fragment || visiting.has(name)) return { depth: Infinity, aliases: Infinity, cost: Infinity, fields: {} };
    visiting.add(name);
    const measured = measureSet(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value), visiting);
    visiting.delete(name);
    memo.set(name, measured);
    return measured;
  };

  const measureField = (node: FieldNode, parent: GraphQLNamedType | undefined, visiting: Set<string>): SelectionMeasure => {
    const name = node.name.value;
    const measured: SelectionMeasure = { depth: 1, aliases: node.alias ? 1 : 0, cost: 1, fields: { [name]: 1 } };
    const definition = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
    if (!node.selectionSet || !definition || name.startsWith('__')) return measured;
    const child = measureSet(node.selectionSet, getNamedType(definition.type), visiting);
    measured.depth += child.depth;
    measured.aliases += child.aliases;
    measured.cost += multiplicity(definition, node, parent!) * child.cost;
    return measured;
  };

  const multiplicity = (definition: GraphQLField<unknown, unknown>, node: FieldNode, parent: GraphQLNamedType): number => {
    if (definition.args.some((arg) => arg.name === 'first')) {
      const argument = node.arguments?.find((arg) => arg.name.value === 'first');
      const value = argument ? valueFromASTUntyped(argument.value, variables) : definition.args.find((arg) => arg.name === 'first')!.defaultValue;
      // A value the API will refuse at coercion counts as the default; execution never starts anyway.
      return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : pageSize;
    }
    if (!isListType(getNullableType(definition.type))) return 1;
    return parent.name.endsWith('Connection') ? 1 : options.assumedListSize;
  };

  const root = measureSet(operation.selectionSet, schema.getRootType(operation.operation) ?? undefined, new Set());
  const rootFields = Object.values(root.fields).reduce((sum, count) => sum + count, 0);
  return { depth: root.depth, aliases: root.aliases, rootFields, rootFieldCounts: root.fields, cost: root.cost };
}

function defaultsOf(operation: OperationDefinitionNode): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) defaults[definition.variable.name.value] = valueFromASTUntyped(definition.defaultValue);
  }
  return defaults;
}
