-- Each database starts its keys at a random point (1 … 10^9 of 2^43), so two databases — a reset
-- installation, or the test databases of one run — never hand out the same process instance keys,
-- which are also the Temporal workflow ids on a shared Temporal namespace.
SELECT setval('engine_key_seq', (floor(random() * 1e9) + 1)::bigint)
 WHERE NOT (SELECT is_called FROM engine_key_seq);
