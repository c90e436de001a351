/**
 * One column description per /v2 resource: each API field names its zod type and SQL column once,
 * and the resource yields from that its item schema, SELECT list, search fields and sort keys, and
 * the row-to-JSON mapping. Rows come back keyed by API field (`SELECT col AS "field"`).
 */
import { z } from 'zod';

export type FilterKind = 'text' | 'bool' | 'member' | 'date';

export interface FieldSpec {
  /** SQL expression filtered and sorted on. */
  column: string;
  /** How filter values are compared: as text, as a boolean, as a member of an array column, or as a date (text equality, and ranges with $gt/$gte/$lt/$lte). */
  kind?: FilterKind;
}

export interface Column<T extends z.ZodType = z.ZodType> {
  type: T;
  /** SQL expression read into the field. */
  select: string;
  /** Filter and sort spec; absent when the field can be read but not searched. */
  search?: FieldSpec;
  /** Turns the database value into the JSON value (dates to ISO text); null/undefined stay absent. */
  toJson?: (value: never) => unknown;
}

const iso = (d: Date | string) => new Date(d).toISOString();

/** A numeric key (bigint) shown as a string; filtered and sorted as the number. */
export const key = (column: string): Column<z.ZodString> => ({ type: z.string(), select: `${column}::text`, search: { column } });
export const optKey = (column: string): Column<z.ZodOptional<z.ZodString>> => ({ type: z.string().optional(), select: `${column}::text`, search: { column } });
export const text = (column: string): Column<z.ZodString> => ({ type: z.string(), select: column, search: { column } });
/** Text that is absent from the item when NULL (or empty). */
export const optText = (column: string): Column<z.ZodOptional<z.ZodString>> => ({ type: z.string().optional(), select: column, search: { column } });
export const textList = (column: string): Column<z.ZodArray<z.ZodString>> => ({ type: z.array(z.string()), select: column, search: { column, kind: 'member' } });
export const int = (column: string): Column<z.ZodNumber> => ({ type: z.number().int(), select: column, search: { column } });
export const bool = (column: string): Column<z.ZodBoolean> => ({ type: z.boolean(), select: column, search: { column, kind: 'bool' } });
export const date = (column: string): Column<z.ZodString> => ({ type: z.string(), select: column, search: { column, kind: 'date' }, toJson: iso });
export const optDate = (column: string): Column<z.ZodOptional<z.ZodString>> => ({ type: z.string().optional(), select: column, search: { column, kind: 'date' }, toJson: iso });
export const oneOf = <const V extends readonly [string, ...string[]]>(column: string, values: V): Column<z.ZodEnum<{ [K in V[number]]: K }>> => ({
  type: z.enum(values),
  select: column,
  search: { column },
});
/** Read-only: shown in the item, not searchable. */
export const readOnly = <T extends z.ZodType>(c: Column<T>): Column<T> => {
  const { search: _search, ...rest } = c;
  return rest;
};

type Columns = Record<string, Column>;
type ItemShape<C extends Columns> = { [K in keyof C]: C[K]['type'] };

export interface ResourceSpec<C extends Columns> {
  /** FROM clause (a table or joins). */
  table: string;
  columns: C;
  /** Fields that can only be searched (no item field of that name), e.g. candidateGroup on candidateGroups. */
  filterOnly?: Record<string, FieldSpec>;
  /** Appended to every ORDER BY, so pages are stable. */
  defaultSort: string;
}

export interface Resource<C extends Columns> {
  table: string;
  item: z.ZodObject<ItemShape<C>>;
  /** SELECT list with every column aliased as its field. */
  select: string;
  /** Searchable fields by name (a Map: a field named like an Object.prototype member is simply unknown). */
  fields: ReadonlyMap<string, FieldSpec>;
  defaultSort: string;
  toItem(row: Record<string, unknown>): z.infer<z.ZodObject<ItemShape<C>>>;
}

/** SQL text of an alias for an API field (fields are identifiers: letters and digits only). */
function alias(field: string): string {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(field)) throw new Error(`column field '${field}' is not a plain identifier`);
  return `"${field}"`;
}

export function defineResource<C extends Columns>(spec: ResourceSpec<C>): Resource<C> {
  const entries = Object.entries(spec.columns);
  const shape = Object.fromEntries(entries.map(([field, c]) => [field, c.type])) as ItemShape<C>;
  const fields = new Map<string, FieldSpec>();
  for (const [field, c] of entries) if (c.search) fields.set(field, c.search);
  for (const [field, f] of Object.entries(spec.filterOnly ?? {})) fields.set(field, f);
  const optional = new Set(entries.filter(([, c]) => c.type.safeParse(undefined).success).map(([field]) => field));
  return {
    table: spec.table,
    item: z.object(shape),
    select: entries.map(([field, c]) => `${c.select} AS ${alias(field)}`).join(', '),
    fields,
    defaultSort: spec.defaultSort,
    toItem(row) {
      const item: Record<string, unknown> = {};
      for (const [field, c] of entries) {
        const value = row[field];
        if (value === null || value === undefined || (value === '' && optional.has(field))) continue;
        item[field] = c.toJson ? c.toJson(value as never) : value;
      }
      return item as z.infer<z.ZodObject<ItemShape<C>>>;
    },
  };
}
