/**
 * How the web app words a server message that comes with a code (modeler/src/server-messages.ts,
 * views/notice.ts errorText, views/modeler/problem-text.ts; pure code): in the chosen language from
 * the catalogues, the server's own detail or message when the code is missing, unknown or its
 * params are not plain values.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../modeler/src/api/client.js';
import { setLanguage } from '../../modeler/src/text.js';
import { codedText } from '../../modeler/src/server-messages.js';
import { errorText } from '../../modeler/src/views/notice.js';
import { problemText } from '../../modeler/src/views/modeler/problem-text.js';

const stale = new ApiError({
  status: 409,
  title: 'Conflict',
  detail: '草稿 7 已在别处保存（当前版本 3，您修改的是版本 2），请重新打开后再改 / draft 7 was saved elsewhere (now version 3, you changed version 2); open it again',
  code: 'draft.stale',
  params: { draftId: '7', currentVersion: 3, version: 2 },
});

describe('server messages with a code', () => {
  afterEach(() => setLanguage('zh-CN'));

  it('a refusal is worded in Chinese by default and in English after the switch', () => {
    expect(errorText(stale)).toBe('草稿 7 已在别处保存（当前版本 3，您修改的是版本 2），请重新打开后再改。');
    setLanguage('en');
    expect(errorText(stale)).toBe('Draft 7 was saved elsewhere (now version 3, you changed version 2); open it again.');
  });

  it("the server's detail when the code is missing, unknown, or its params are not plain values", () => {
    const plain = new ApiError({ status: 409, title: 'Conflict', detail: 'as the server wrote it' });
    expect(errorText(plain)).toBe('as the server wrote it');
    expect(codedText('no.such.code', {}, 'fallback')).toBe('fallback');
    expect(codedText('draft.stale', { draftId: { nested: true } }, 'fallback')).toBe('fallback');
    expect(codedText('draft.stale', [1, 2], 'fallback')).toBe('fallback');
  });

  it('deploy problems render labels and reasons in the language; conflict codes still work there', () => {
    const params = { label: 'label.timerCycle', reason: 'reason.cron', value: '0 0 9 * * ?' };
    expect(problemText('bpmn.value.invalid', params, 'english')).toBe(
      '定时器的周期 timeCycle "0 0 9 * * ?" 像是 cron 表达式，不支持；请使用 ISO 8601 重复间隔，例如 R3/PT10M（每 10 分钟，共 3 次）或 R/P1D（每天，一直重复）。',
    );
    expect(problemText('hub.itemResolved', { itemId: '5' }, 'x')).toBe('督办事项 5 已处理过了。');
    expect(problemText(undefined, undefined, 'the message')).toBe('the message');
    setLanguage('en');
    expect(problemText('bpmn.value.invalid', params, 'english')).toBe(
      'The timer cycle "0 0 9 * * ?" looks like a cron expression, which is not supported; use ISO 8601 repeating intervals like R3/PT10M (3 times, every 10 minutes) or R/P1D (daily, forever).',
    );
  });
});
