-- SLA module: working-day calendars and service-time limit policies (README, "Service-time limits").

-- A working-day calendar: local UTC offset and working hours; its years hold the holidays and
-- make-up working days. A year without a row is not covered: deadlines that fall in it are refused.
CREATE TABLE calendar (
  id                  text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  name                text NOT NULL,
  utc_offset_minutes  integer NOT NULL DEFAULT 480 CHECK (utc_offset_minutes BETWEEN -720 AND 840),
  -- [[startMinute, endMinute], …] of a working day, for limits counted in working hours
  working_hours       jsonb NOT NULL DEFAULT '[[510, 720], [810, 1050]]',
  created_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE calendar_year (
  calendar_id  text NOT NULL REFERENCES calendar (id) ON DELETE CASCADE,
  year         integer NOT NULL CHECK (year BETWEEN 1990 AND 2200),
  holidays     date[] NOT NULL DEFAULT '{}',
  workdays     date[] NOT NULL DEFAULT '{}',
  -- where the dates come from: 'chinese-days@1.5.7' for the seed, 'api' for an administrator's entry
  source       text NOT NULL,
  updated_by   text,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (calendar_id, year)
);

INSERT INTO calendar (id, name) VALUES ('cn', '中国法定工作日 / China working days');

-- Policy sets: the 2023 service commitments (default) and the older 2011 per-step rules.
CREATE TABLE sla_policy_set (
  key          text PRIMARY KEY CHECK (key ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
  name         text NOT NULL,
  is_default   boolean NOT NULL DEFAULT false,
  description  text NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX sla_policy_set_one_default ON sla_policy_set ((true)) WHERE is_default;

-- A policy: key → limit, time base, calendar and warning levels. Versions are never changed: a change
-- adds a version, which applies to clocks that start afterwards; each clock records the version used.
CREATE TABLE sla_policy (
  set_key      text NOT NULL REFERENCES sla_policy_set (key),
  key          text NOT NULL CHECK (key ~ '^[a-z0-9][a-z0-9._-]{0,126}$'),
  version      integer NOT NULL CHECK (version >= 1),
  name         text NOT NULL,
  -- ISO 8601 duration: P5D (five working days with time_base workingDays), PT45M …
  duration     text NOT NULL,
  time_base    text NOT NULL CHECK (time_base IN ('natural', 'workingDays', 'workingHours')),
  calendar_id  text REFERENCES calendar (id),
  -- [{"at": 0.5}, {"at": 0.8}] (fractions of the limit) or [{"before": "PT2H"}]
  warnings     jsonb NOT NULL DEFAULT '[{"at": 0.5}, {"at": 0.8}]',
  created_by   text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (set_key, key, version),
  CHECK (time_base = 'natural' OR calendar_id IS NOT NULL)
);

INSERT INTO sla_policy_set (key, name, is_default, description) VALUES
  ('commitments-2023', '2023 年供电服务承诺 / 2023 service commitments', true,
   'Own-steps totals per customer class, fault-repair arrival and restoration, complaint limits; per-step limits as in the 2011 rules'),
  ('rules-2011', '2011 年服务承诺与考核规则 / 2011 commitments and assessment rules', false,
   'Per-step limits of business expansion, complaint reply within 7 working days');

-- Per-step limits of business expansion (2011 rules; kept in the 2023 set too), DOMAIN.md.
INSERT INTO sla_policy (set_key, key, version, name, duration, time_base, calendar_id)
SELECT s.key, p.key, 1, p.name, p.duration, p.time_base, CASE WHEN p.time_base = 'natural' THEN NULL ELSE 'cn' END
FROM sla_policy_set s
CROSS JOIN (VALUES
  ('bx.site-visit',                     '受理后现场勘查 / site visit after acceptance',                 'P2D',  'workingDays'),
  ('bx.plan-reply.lv-residential',      '供电方案答复（低压居民） / supply plan reply, LV residential',   'P3D',  'workingDays'),
  ('bx.plan-reply.lv-nonresidential',   '供电方案答复（低压非居民） / supply plan reply, LV',             'P7D',  'workingDays'),
  ('bx.plan-reply.hv-single',           '供电方案答复（高压单电源） / supply plan reply, HV single',       'P15D', 'workingDays'),
  ('bx.plan-reply.hv-dual',             '供电方案答复（高压双电源） / supply plan reply, HV dual',         'P30D', 'workingDays'),
  ('bx.design-review',                  '设计审查 / design review',                                     'P10D', 'workingDays'),
  ('bx.mid-inspection',                 '中间检查 / mid-construction inspection',                       'P5D',  'workingDays'),
  ('bx.completion-inspection',          '竣工检验 / completion inspection',                             'P5D',  'workingDays'),
  ('bx.power-on.residential',           '装表接电（居民） / power on, residential',                       'P3D',  'workingDays'),
  ('bx.power-on.nonresidential',        '装表接电（非居民） / power on, non-residential',                  'P5D',  'workingDays'),
  ('bx.archive',                        '归档 / archive after power on',                                 'P10D', 'workingDays'),
  ('repair.arrival.urban',              '到达现场（城区） / arrival, urban',                              'PT45M', 'natural'),
  ('repair.arrival.rural',              '到达现场（农村） / arrival, rural',                              'PT90M', 'natural'),
  ('repair.arrival.remote',             '到达现场（边远） / arrival, remote',                             'PT2H',  'natural'),
  ('repair.restore.urban',              '恢复送电（城区） / restoration, urban',                           'PT3H',  'natural'),
  ('repair.restore.rural',              '恢复送电（农村） / restoration, rural',                           'PT4H',  'natural'),
  ('repair.restore.remote',             '恢复送电（边远） / restoration, remote',                          'PT4H',  'natural'),
  ('complaint.contact',                 '投诉联系客户 / contact the complaining customer',                 'P1D',  'workingDays')
) AS p (key, name, duration, time_base);

-- Limits that differ between the sets.
INSERT INTO sla_policy (set_key, key, version, name, duration, time_base, calendar_id) VALUES
  ('commitments-2023', 'bx.own-steps.lv-residential', 1,    '业扩全流程（低压居民） / whole process, LV residential',       'P5D',  'workingDays', 'cn'),
  ('commitments-2023', 'bx.own-steps.lv-nonresidential', 1, '业扩供电企业环节合计（低压非居民） / own steps, LV',          'P6D',  'workingDays', 'cn'),
  ('commitments-2023', 'bx.own-steps.hv-single', 1,         '业扩供电企业环节合计（高压单电源） / own steps, HV single',    'P22D', 'workingDays', 'cn'),
  ('commitments-2023', 'bx.own-steps.hv-dual', 1,           '业扩供电企业环节合计（高压双电源） / own steps, HV dual',      'P32D', 'workingDays', 'cn'),
  ('commitments-2023', 'complaint.reply', 1,                '投诉答复 / complaint reply',                                  'P5D',  'workingDays', 'cn'),
  ('rules-2011',       'complaint.reply', 1,                '投诉答复 / complaint reply',                                  'P7D',  'workingDays', 'cn');
