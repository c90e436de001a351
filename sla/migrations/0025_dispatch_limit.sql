-- The dispatch and control centre's own step in high-voltage business expansion (调度送电, switching
-- the customer's supply on once the meter is installed) gets a limit of its own, so the centre is
-- measured for what it does: until now it shared the span "高压装表送电" (meter installation to
-- power on), whose responsible department is the metering centre listed first. DOMAIN.md gives no
-- commitment for this step alone: like the limits of migration 0020 it is company-set and named so.
INSERT INTO sla_policy (set_key, key, version, name, duration, time_base, calendar_id, warnings, created_by)
VALUES ('commitments-2023', 'bx.hv-dispatch', 1,
        '调度送电（公司自定时限，非国家承诺） / business expansion: the dispatch centre switches a high-voltage supply on (company-set limit, not a national commitment)',
        'P1D', 'workingDays', 'cn', '[{"at": 0.5}]'::jsonb, 'migration 0025');
