import type { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * An entity's columns for hand-written SQL: the SELECT list, rows read back as entities and values
 * bound as parameters, each converted exactly as TypeORM's query builder converts them (dates and
 * numbers, per driver). For the few statements on every request's path, where building SQL through
 * the query builder costs more than running it.
 */
export class EntityRows<T extends ObjectLiteral> {
  private readonly metadata: EntityMetadata;

  constructor(
    private readonly dataSource: DataSource,
    target: EntityTarget<T>,
  ) {
    this.metadata = dataSource.getMetadata(target);
  }

  /** The table's name, quoted for this database. */
  get table(): string {
    return this.dataSource.driver.escape(this.metadata.tableName);
  }

  /** A column's name, quoted for this database. */
  column(property: keyof T & string): string {
    return this.dataSource.driver.escape(this.columnOf(property).databaseName);
  }

  /** `alias.column AS alias_column, …` for every column, as `read` expects them. */
  selectList(alias: string): string {
    const { driver } = this.dataSource;
    return this.metadata.columns
      .map((column) => `${alias}.${driver.escape(column.databaseName)} AS ${driver.escape(`${alias}_${column.databaseName}`)}`)
      .join(', ');
  }

  /** The entity in `row`, whose columns were selected with `selectList(alias)`. */
  read(row: Record<string, unknown>, alias: string): T {
    const entity = this.metadata.create() as T;
    for (const column of this.metadata.columns) {
      column.setEntityValue(entity, this.dataSource.driver.prepareHydratedValue(row[`${alias}_${column.databaseName}`], column));
    }
    return entity;
  }

  /** `value` as a parameter compared with `property`'s column. */
  parameter(property: keyof T & string, value: unknown): unknown {
    return this.dataSource.driver.preparePersistentValue(value, this.columnOf(property));
  }

  private columnOf(property: string) {
    const column = this.metadata.findColumnWithPropertyName(property);
    if (!column) throw new Error(`${this.metadata.name} has no column ${property}`);
    return column;
  }
}

/** A piece of hand-written SQL with its `?` parameters, in order. */
export interface SqlFragment {
  sql: string;
  parameters: unknown[];
}
