-- The limits the company set for itself in its three processes, as policies instead of durations
-- written into the diagrams: acceptance, fees, contract and return visit of business expansion; the
-- 95598 and hub steps, report back, review, return visit and follow-up of fault repair; the hub and
-- leadership steps, reply and return visit of complaints. DOMAIN.md gives no national or provincial
-- commitment for these steps: each name says so ("公司自定时限 / company-set limit"), so that a
-- manager reading the policies tells them apart from the service commitments.
--
-- Seeded into the set in force (commitments-2023) only: a key that another set lacks is taken from
-- the set in force (sla/resolve.ts), so rules-2011 uses the same company limits. An administrator
-- changes them with PUT /api/sla/policies/{set}/{key}; clocks that start afterwards use the new
-- version, no diagram is deployed again. Durations and warnings are those the diagrams had.
INSERT INTO sla_policy (set_key, key, version, name, duration, time_base, calendar_id, warnings, created_by)
SELECT 'commitments-2023', p.key, 1, p.name || '（公司自定时限，非国家承诺） / ' || p.name_en || ' (company-set limit, not a national commitment)',
       p.duration, p.time_base, CASE WHEN p.time_base = 'natural' THEN NULL ELSE 'cn' END, p.warnings::jsonb, 'migration 0020'
FROM (VALUES
  ('bx.accept',                 '业扩受理',         'business expansion: acceptance',       'P1D',   'workingDays',  '[{"at": 0.5}]'),
  ('bx.fees',                   '业务收费',         'business expansion: fees',             'P3D',   'workingDays',  '[{"at": 0.5}]'),
  ('bx.contract',               '签订供用电合同',   'business expansion: supply contract',  'P3D',   'workingDays',  '[{"at": 0.5}]'),
  ('bx.return-visit',           '业扩回访',         'business expansion: return visit',     'P3D',   'workingDays',  '[{"at": 0.5}]'),
  ('repair.accept',             '报修欠费核实',     'fault repair: arrears verification',   'PT10M', 'natural',      '[{"at": 0.5}, {"at": 0.8}]'),
  ('repair.dispatch',           '营销部研判派单',   'fault repair: hub dispatch',           'PT10M', 'natural',      '[{"at": 0.5}, {"at": 0.8}]'),
  ('repair.crew-accept',        '抢修接单',         'fault repair: station or crew accepts', 'PT10M', 'natural',     '[{"at": 0.5}, {"at": 0.8}]'),
  ('repair.customer-side',      '客户产权故障告知与服务', 'fault repair: customer-side fault service', 'PT1H', 'natural', '[{"at": 0.5}, {"at": 0.8}]'),
  ('repair.report',             '抢修回单',         'fault repair: report back',            'PT1H',  'natural',      '[{"at": 0.5}, {"at": 0.8}]'),
  ('repair.review',             '回单审核',         'fault repair: report-back review',     'PT2H',  'natural',      '[{"at": 0.5}, {"at": 0.8}]'),
  ('repair.return-visit',       '报修回访',         'fault repair: return visit',           'PT24H', 'natural',      '[{"at": 0.5}, {"at": 0.8}]'),
  ('repair.follow-up',          '不满意核查处理',   'fault repair: follow-up of an unsatisfied customer', 'PT24H', 'natural', '[{"at": 0.5}, {"at": 0.8}]'),
  ('complaint.hub-dispatch',    '投诉派发',         'complaint: hub dispatch',              'PT4H',  'workingHours', '[{"at": 0.5}, {"at": 0.8}]'),
  ('complaint.leader-instruct', '重大投诉领导批示', 'complaint: leadership instruction',    'PT2H',  'natural',      '[{"at": 0.5}, {"at": 0.8}]'),
  ('complaint.hub-review',      '投诉回单审核',     'complaint: hub review of the report',  'PT4H',  'workingHours', '[{"at": 0.5}, {"at": 0.8}]'),
  ('complaint.hub-supervise',   '营销部督办',       'complaint: hub supervision',           'PT2H',  'natural',      '[{"at": 0.5}, {"at": 0.8}]'),
  ('complaint.leader-supervise','公司领导督办',     'complaint: leadership supervision',    'P1D',   'workingDays',  '[{"at": 0.5}, {"at": 0.8}]'),
  ('complaint.leader-approve',  '领导审批答复',     'complaint: leadership approves the reply', 'PT4H', 'workingHours', '[{"at": 0.5}, {"at": 0.8}]'),
  ('complaint.reply-customer',  '答复客户',         'complaint: reply to the customer',     'P1D',   'workingDays',  '[{"at": 0.5}, {"at": 0.8}]'),
  ('complaint.return-visit',    '投诉回访',         'complaint: return visit',              'P3D',   'workingDays',  '[{"at": 0.5}, {"at": 0.8}]'),
  ('complaint.leader-handle',   '公司领导处理重办投诉', 'complaint: leadership handles a case reopened too often', 'P5D', 'workingDays', '[{"at": 0.5}, {"at": 0.8}]')
) AS p (key, name, name_en, duration, time_base, warnings);
