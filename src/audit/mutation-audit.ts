import {
  type FieldNode,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import type { EntityManager } from 'typeorm';
import type { GatewayContext } from '../context';
import { ErrorCode, GatewayError } from '../errors';
import type { FieldPrivacy } from '../policy/classified.decorator';
import { ownerOf } from '../policy/owner';
import type { AuditService } from './audit.service';

/**
 * Makes a mutation's change and its audit records one unit: called as the last step inside the
 * mutation's transaction, it decides (and buffers) the classified reads the response will make of
 * `result` (the fields the client selected, down through the object's own properties) and writes
 * every pending record of the request in that transaction. If the write fails, the transaction
 * rolls back and the client gets SERVICE_UNAVAILABLE: no change without its audit trail.
 * Reads made later by nested field resolvers are written by the response flush, as for queries.
 */
export async function auditWithinMutation(
  audit: AuditService,
  manager: EntityManager,
  context: GatewayContext,
  info: GraphQLResolveInfo,
  result: unknown,
): Promise<void> {
  try {
    for (const node of info.fieldNodes) {
      if (node.selectionSet) await recordReads(info, info.returnType, node.selectionSet, result, context);
    }
    const pending = context.privacy.auditRecords();
    await audit.appendWithin(manager, pending);
    context.privacy.auditWritten(pending.length);
  } catch {
    throw new GatewayError(ErrorCode.SERVICE_UNAVAILABLE, 'The change could not be recorded safely and was not made; try again later.');
  }
}

async function recordReads(
  info: GraphQLResolveInfo,
  type: GraphQLOutputType,
  selectionSet: SelectionSetNode,
  value: unknown,
  context: GatewayContext,
): Promise<void> {
  if (value === null || value === undefined) return;
  if (type instanceof GraphQLNonNull) return recordReads(info, type.ofType, selectionSet, value, context);
  if (type instanceof GraphQLList) {
    for (const item of Array.isArray(value) ? value : []) await recordReads(info, type.ofType, selectionSet, item, context);
    return;
  }
  if (!(type instanceof GraphQLObjectType)) return;
  const fields = type.getFields();
  for (const node of selectedFields(info, selectionSet)) {
    const field = fields[node.name.value];
    if (!field) continue;
    const category = (field.extensions?.privacy as FieldPrivacy | undefined)?.category;
    if (category) {
      const owner = ownerOf(value);
      if (owner) context.privacy.record(`${type.name}.${field.name}`, category, owner, await context.privacy.decide(category, owner));
    } else if (node.selectionSet) {
      // Only what the object already holds: field resolvers run later and are flushed with the response.
      await recordReads(info, field.type, node.selectionSet, (value as Record<string, unknown>)[field.name], context);
    }
  }
}

function selectedFields(info: GraphQLResolveInfo, selectionSet: SelectionSetNode): FieldNode[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return selectedFields(info, selection.selectionSet);
    const fragment = info.fragments[selection.name.value];
    return fragment ? selectedFields(info, fragment.selectionSet) : [];
  });
}
