import type { EntityManager, EntityTarget, FindOptionsWhere, ObjectLiteral } from 'typeorm';
import { badUserInput } from '../errors';
import { pageSize } from './cursor';
import { LIST_DEFAULT_SIZE, LIST_MAX_SIZE, type ListPageArgs } from './list-page.args';

/**
 * One page of rows matching `where`, ordered by (`orderBy`, id) in `direction`, after the row whose
 * id is `page.after` (keyset: no OFFSET, stable while rows are added). `first` over the maximum is
 * BAD_USER_INPUT on `first`; an `after` that names no item is BAD_USER_INPUT on `after`.
 */
export async function keysetPage<T extends ObjectLiteral & { id: string | number }>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  options: { where: FindOptionsWhere<T>; orderBy: keyof T & string; direction: 'ASC' | 'DESC'; page: ListPageArgs },
): Promise<T[]> {
  const first = pageSize(options.page.first, LIST_MAX_SIZE, LIST_DEFAULT_SIZE);
  const at = `item.${options.orderBy}`;
  const query = manager
    .createQueryBuilder(entity, 'item')
    .where(options.where)
    .orderBy(at, options.direction)
    .addOrderBy('item.id', options.direction)
    .limit(first);
  if (options.page.after !== null && options.page.after !== undefined) {
    // By id alone: an item that has left the list since (a request answered meanwhile) still marks the place.
    const anchor = await manager.findOneBy(entity, { id: options.page.after } as FindOptionsWhere<T>);
    if (!anchor) throw badUserInput('after', 'after is not an item of this list');
    const beyond = options.direction === 'DESC' ? '<' : '>';
    query.andWhere(`(${at} ${beyond} :anchorAt OR (${at} = :anchorAt AND item.id ${beyond} :anchorId))`, {
      anchorAt: anchor[options.orderBy],
      anchorId: anchor.id,
    });
  }
  return query.getMany();
}
