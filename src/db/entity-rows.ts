import type { DataSource, EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { TurnAt } from './transaction-turns';

/** `LIMIT n`, written into the statement: `count` must be a non-negative safe integer (it is the code's, after page-size checks). */
export function sqlLimit(count: number): string {
  if (!Number.isSafeInteger(count) || count < 0) throw new Error(`not a row count: ${count}`);
  return `LIMIT ${count}`;
}

/** `?, ?, …`: one placeholder per value of an IN list. */
export function placeholders(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}

/**
 * An entity's columns for hand-written SQL: the SELECT list, rows read back as entities and values
 * bound as parameters, each converted exactly as TypeORM's query builder converts them (dates and
 * numbers, per driver). For the few statements on every request's path, where building SQL through
 * the query builder costs more than running it.
 */
export class EntityRows<T extends ObjectLiteral> {
  private entityMetadata?: EntityMetadata;
  private readonly shapes = new Map<string, RowShape>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly target: EntityTarget<T>,
  ) {}

  /** Looked up on first use: services are made before their DataSource is initialised. */
  private get metadata(): EntityMetadata {
    return (this.entityMetadata ??= this.dataSource.getMetadata(this.target));
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
    return this.shape(alias).selectList;
  }

  /** The entity in `row`, whose columns were selected with `selectList(alias)`. */
  read(row: Record<string, unknown>, alias: string): T {
    const { driver } = this.dataSource;
    const entity = this.metadata.create() as T;
    for (const { key, column } of this.shape(alias).columns) {
      const value = driver.prepareHydratedValue(row[key], column);
      // A plain column is a plain property; only embedded and relation columns need TypeORM's setter.
      if (column.embeddedMetadata || column.relationMetadata) column.setEntityValue(entity, value);
      else (entity as Record<string, unknown>)[column.propertyName] = value;
    }
    return entity;
  }

  /** Per alias, built once: the SELECT list and each column's key in a result row. */
  private shape(alias: string): RowShape {
    let shape = this.shapes.get(alias);
    if (!shape) {
      const { driver } = this.dataSource;
      const columns = this.metadata.columns.map((column) => ({ key: `${alias}_${column.databaseName}`, column }));
      const selectList = columns.map(({ key, column }) => `${alias}.${driver.escape(column.databaseName)} AS ${driver.escape(key)}`).join(', ');
      this.shapes.set(alias, (shape = { selectList, columns }));
    }
    return shape;
  }

  /**
   * Entities of this table: `SELECT <every column> FROM <table> <alias> <rest>`, where `rest` is the
   * hand-written rest of the statement (WHERE, ORDER BY, LIMIT) with `?` for each of `parameters`.
   */
  async select(alias: string, rest: string, parameters: unknown[]): Promise<T[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(this.selectStatement(alias, rest), parameters);
    return rows.map((row) => this.read(row, alias));
  }

  /**
   * `select` for background work in `manager`'s transaction, converting rows with `turn` between
   * them (transaction-turns.ts), so a batch of a thousand does not hold up the requests the same
   * instance is answering.
   */
  async selectInTurns(manager: EntityManager, alias: string, rest: string, parameters: unknown[], turn: TurnAt): Promise<T[]> {
    const rows: Array<Record<string, unknown>> = await manager.query(this.selectStatement(alias, rest), parameters);
    const entities: T[] = [];
    for (const [index, row] of rows.entries()) {
      const wait = turn(index);
      if (wait) await wait;
      entities.push(this.read(row, alias));
    }
    return entities;
  }

  private selectStatement(alias: string, rest: string): string {
    return `SELECT ${this.selectList(alias)} FROM ${this.table} ${alias} ${rest}`;
  }

  /** `alias.column` of `property`, quoted for this database. */
  ref(alias: string, property: keyof T & string): string {
    return `${alias}.${this.column(property)}`;
  }

  /**
   * The keyset condition of a page that continues below `before`, newest first: rows older than
   * `before.at`, or as old with a smaller id (the ORDER BY must be `at DESC, id DESC`).
   */
  olderThan(alias: string, at: keyof T & string, id: keyof T & string, before: { at: Date; id: string }): SqlFragment {
    const time = this.parameter(at, before.at);
    return {
      sql: `(${this.ref(alias, at)} < ? OR (${this.ref(alias, at)} = ? AND ${this.ref(alias, id)} < ?))`,
      parameters: [time, time, before.id],
    };
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

/** How one alias's columns are selected and found again in a result row. */
interface RowShape {
  selectList: string;
  columns: Array<{ key: string; column: ColumnMetadata }>;
}

/** A piece of hand-written SQL with its `?` parameters, in order. */
export interface SqlFragment {
  sql: string;
  parameters: unknown[];
}
