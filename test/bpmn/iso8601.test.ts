import { describe, expect, it } from 'vitest';
import { cycleProblem, dateTimeProblem, durationProblem } from '../../bpmn/iso8601.js';

describe('ISO 8601 timer values', () => {
  it('durations', () => {
    for (const ok of ['PT15M', 'P3D', 'P1DT12H', 'PT0.5S', 'P2W', 'P1Y2M']) expect(durationProblem(ok), ok).toBeUndefined();
    for (const bad of ['P', 'PT', '15M', 'P1DT', 'PT-5M', 'P1.5D', 'pt5m', '5 minutes']) expect(durationProblem(bad), bad).toBeDefined();
  });

  it('date-times need a time zone and a real calendar date', () => {
    for (const ok of ['2025-03-01T09:00:00+08:00', '2025-03-01T01:00:00Z', '2025-03-01T01:00Z', '2024-02-29T00:00:00.123Z', '2025-03-01T09:00:00+08:00[Asia/Shanghai]']) {
      expect(dateTimeProblem(ok), ok).toBeUndefined();
    }
    for (const bad of ['2025-03-01T09:00:00', '2025-03-01', '2025-02-29T00:00:00Z', '2025-13-01T00:00:00Z', '2025-01-01T24:00:00Z', 'tomorrow']) {
      expect(dateTimeProblem(bad), bad).toBeDefined();
    }
  });

  it('repeating intervals; cron is refused with a hint', () => {
    for (const ok of ['R3/PT10M', 'R/P1D', 'R5/2025-03-01T09:00:00+08:00/PT1H']) expect(cycleProblem(ok), ok).toBeUndefined();
    for (const bad of ['PT10M', 'R3/10M', 'R3/2025-03-01/PT1H', 'Rx/PT1M', 'R3/PT1M/PT1M/PT1M']) expect(cycleProblem(bad), bad).toBeDefined();
    expect(cycleProblem('0 0 9 * * MON-FRI')).toMatch(/cron expression.*use ISO 8601 repeating intervals like R3\/PT10M/);
  });
});
