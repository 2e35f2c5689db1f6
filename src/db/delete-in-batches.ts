import type { DataSource, EntityTarget, FindOptionsSelect, FindOptionsWhere } from 'typeorm';
import { In } from 'typeorm';

/**
 * Deletes the rows matching `where`, `batchSize` at a time (select ids through the indexed
 * column, delete those): statements and lock times stay bounded however much has expired.
 * Returns how many rows went.
 */
export async function deleteInBatches<T extends { id: string | number }>(
  dataSource: DataSource,
  entity: EntityTarget<T>,
  where: FindOptionsWhere<T>,
  batchSize: number,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const rows = await dataSource.manager.find(entity, { select: { id: true } as FindOptionsSelect<T>, where, take: batchSize });
    if (rows.length === 0) return deleted;
    await dataSource.manager.delete(entity, { id: In(rows.map((row) => row.id)) } as FindOptionsWhere<T>);
    deleted += rows.length;
    if (rows.length < batchSize) return deleted;
  }
}
