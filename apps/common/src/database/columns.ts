import type { TableColumnOptions } from 'typeorm';

/**
 * Column shorthands for migrations written with TypeORM's driver-neutral Table API, so one migration runs on
 * SQLite and PostgreSQL alike.
 */
export const varchar = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
export const integer = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'integer', isNullable: nullable });
export const text = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
/** Epoch milliseconds and other integers beyond 2^31. */
export const bigint = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });
