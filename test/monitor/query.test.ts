/**
 * The instance search kept in the hash (#/instances?process=…&page=2): what a reload or a shared
 * link reads back, with malformed or unknown parts dropped; and the durations the monitor shows.
 */
import { describe, expect, it } from 'vitest';
import { dayStart } from '../../modeler/src/api/instances.js';
import { parseQuery, queryText } from '../../modeler/src/views/instances/list.js';
import { duration } from '../../modeler/src/views/instances/text.js';

describe('the search in the hash query', () => {
  it('reads back what it wrote, pages counted from 1 in the hash and from 0 inside', () => {
    const q = { process: 'fault-repair', version: 2, state: 'INCIDENT' as const, businessKey: 'GZ-2026-0001', customer: '张三', from: '2026-03-01', to: '2026-03-31', page: 1 };
    const text = queryText(q);
    expect(text).toBe(
      '?process=fault-repair&version=2&state=INCIDENT&businessKey=GZ-2026-0001&customer=%E5%BC%A0%E4%B8%89&from=2026-03-01&to=2026-03-31&page=2',
    );
    expect(parseQuery(text)).toEqual(q);
    expect(queryText({ page: 0 })).toBe('');
    expect(parseQuery('')).toEqual({ page: 0 });
  });

  it('drops what is malformed: unknown states, versions and pages that are not positive integers, dates not yyyy-mm-dd, blank text', () => {
    expect(parseQuery('?state=RUNNING&version=-1&page=0&from=2026-3-1&to=tomorrow&businessKey=%20%20&customer=&x=1')).toEqual({ page: 0 });
    expect(parseQuery('?version=1.5&page=abc')).toEqual({ page: 0 });
    expect(parseQuery('?state=ACTIVE&page=3')).toEqual({ state: 'ACTIVE', page: 2 });
    // long text is cut to the input's limit
    expect(parseQuery(`?businessKey=${'k'.repeat(150)}`).businessKey).toHaveLength(100);
  });

  it('turns a day into the instant of its local midnight (the next day for an inclusive end)', () => {
    expect(new Date(dayStart('2026-03-01')).getTime()).toBe(new Date(2026, 2, 1).getTime());
    expect(new Date(dayStart('2026-02-28', 1)).getTime()).toBe(new Date(2026, 2, 1).getTime());
  });
});

describe('durations', () => {
  it('names the two largest units', () => {
    expect(duration(0)).toBe('0 秒');
    expect(duration(12_000)).toBe('12 秒');
    expect(duration(5 * 60_000 + 3_000)).toBe('5 分钟 3 秒');
    expect(duration(4 * 3_600_000)).toBe('4 小时');
    expect(duration(3 * 3_600_000 + 59 * 60_000 + 30_000)).toBe('3 小时 59 分钟');
    expect(duration(2 * 86_400_000 + 3 * 3_600_000 + 60_000)).toBe('2 天 3 小时');
    expect(duration(86_400_000 + 60_000)).toBe('1 天');
  });
});
