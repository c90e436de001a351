/**
 * How the task list words the time left (modeler/src/views/tasks/time-left.ts, pure code): natural
 * time in days/hours/minutes, working time in working days or hours where the limit counts it, overdue
 * time, and the colour level (risk once a warning level passed, breached once due).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../modeler/src/text.js';
import { timeLeft, urgency } from '../../modeler/src/views/tasks/time-left.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('time left on a task', () => {
  afterEach(() => setLanguage('zh-CN'));

  it('natural time: the largest two units, minutes for the last hour', () => {
    expect(timeLeft(2 * HOUR)).toBe('还剩 2 小时');
    expect(timeLeft(90 * MIN)).toBe('还剩 1 小时 30 分钟');
    expect(timeLeft(3 * DAY + 5 * HOUR + 59 * MIN)).toBe('还剩 3 天 5 小时');
    expect(timeLeft(9 * MIN + 20_000)).toBe('还剩 9 分钟');
    expect(timeLeft(10_000)).toBe('还剩 1 分钟');
  });

  it('working time where the limit counts it: working days (24 h each) or working hours, to a tenth', () => {
    expect(timeLeft(5 * DAY, 'workingDays', 3 * DAY)).toBe('剩余 3 个工作日');
    expect(timeLeft(4 * DAY, 'workingDays', 2.5 * DAY)).toBe('剩余 2.5 个工作日');
    expect(timeLeft(20 * HOUR, 'workingHours', 4 * HOUR)).toBe('剩余 4 个工作小时');
    // Without the working time (a calendar lacking the year) the natural time left is told.
    expect(timeLeft(2 * DAY, 'workingDays', null)).toBe('还剩 2 天');
  });

  it('overdue: how long since the due instant', () => {
    expect(timeLeft(-20 * MIN)).toBe('已超时 20 分钟');
    expect(timeLeft(-(DAY + 2 * HOUR), 'workingDays', -DAY)).toBe('已超时 1 天 2 小时');
  });

  it('in English when the user switched', () => {
    setLanguage('en');
    expect(timeLeft(2 * HOUR)).toBe('2 h left');
    expect(timeLeft(5 * DAY, 'workingDays', 3 * DAY)).toBe('3 working days left');
  });

  it('colour: breached once due or flagged, at risk once a warning level passed', () => {
    expect(urgency(HOUR, false, 0)).toBe('ok');
    expect(urgency(HOUR, false, 1)).toBe('risk');
    expect(urgency(-MIN, false, 1)).toBe('breached');
    expect(urgency(HOUR, true, 2)).toBe('breached');
    expect(urgency(null, false, 0)).toBe('ok');
  });
});
