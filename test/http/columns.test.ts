/** The /v2 column descriptions: one description yields the item schema, SELECT list, search fields and the row mapping. */
import { describe, expect, it } from 'vitest';
import { bool, date, defineResource, key, optDate, optText, readOnly, text } from '../../server/routes/v2/columns.js';
import { runSearch } from '../../server/routes/v2/search.js';

const things = defineResource({
  table: 'thing t',
  columns: {
    thingKey: key('t.key'),
    name: optText('t.name'),
    note: readOnly(text('t.note')),
    done: bool('t.done'),
    startDate: date('t.start_date'),
    endDate: optDate('t.end_date'),
  },
  filterOnly: { tag: { column: 't.tags', kind: 'member' } },
  defaultSort: 't.key ASC',
});

/** A database stand-in that records the statements (runSearch builds SQL; the real queries run in test/engine). */
function recorder() {
  const statements: Array<{ sql: string; params: unknown[] }> = [];
  return {
    statements,
    query: async (sql: string, params: unknown[]) => {
      statements.push({ sql, params });
      return { rows: sql.startsWith('SELECT count') ? [{ n: 0 }] : [] };
    },
  };
}

describe('column descriptions', () => {
  it('select every column aliased as its API field, keys as text', () => {
    expect(things.select).toBe(
      't.key::text AS "thingKey", t.name AS "name", t.note AS "note", t.done AS "done", t.start_date AS "startDate", t.end_date AS "endDate"',
    );
  });

  it('map a row to an item: optional fields absent when NULL or empty, dates as ISO text', () => {
    const row = { thingKey: '7', name: null, note: 'n', done: false, startDate: new Date('2026-03-01T08:00:00Z'), endDate: null };
    expect(things.toItem(row)).toEqual({ thingKey: '7', note: 'n', done: false, startDate: '2026-03-01T08:00:00.000Z' });
    expect(things.toItem({ ...row, name: '', endDate: '2026-03-02T00:00:00Z' })).toEqual({
      thingKey: '7',
      note: 'n',
      done: false,
      startDate: '2026-03-01T08:00:00.000Z',
      endDate: '2026-03-02T00:00:00.000Z',
    });
    expect(things.item.parse(things.toItem(row))).toBeTruthy();
  });

  it('search and sort on the raw column (a key as a number), read-only fields excluded, filter-only fields included', async () => {
    expect([...things.fields.keys()]).toEqual(['thingKey', 'name', 'done', 'startDate', 'endDate', 'tag']);
    const db = recorder();
    await runSearch(db, things, { filter: { thingKey: '7', done: true, tag: 'a' }, sort: [{ field: 'thingKey', order: 'DESC' }] });
    const select = db.statements[1]!;
    expect(select.sql).toContain('WHERE t.key::text = $1 AND t.done = $2::boolean AND $3 = ANY(t.tags)');
    expect(select.sql).toContain('ORDER BY t.key DESC, t.key ASC');
    expect(select.params).toEqual(['7', true, 'a']);
  });

  it.each(['constructor', 'toString', 'hasOwnProperty', '__proto__', 'note'])('refuses %s as a filter or sort field with 400 naming it', async (field) => {
    const db = recorder();
    await expect(runSearch(db, things, { filter: { [field]: 'x' } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining(`'${field}'`) });
    await expect(runSearch(db, things, { sort: [{ field }] })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining(`'${field}'`) });
    expect(db.statements).toEqual([]);
  });
});
