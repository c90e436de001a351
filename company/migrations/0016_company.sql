-- The company's processes (README, "The company's processes: handlers"): order numbers, customer
-- accounts with their arrears, the customer SMS outbox, outages with the reports linked to them,
-- and archive records. Written by company/handlers (job types company.*) and company/outages.ts.

-- One counter per prefix (GZ fault repair, TS complaint, YK business expansion, OUT outage) and
-- China day. A number is taken in the same transaction as the row that uses it, so a rolled back
-- attempt leaves no gap.
CREATE TABLE company_sequence (
  prefix    text NOT NULL CHECK (prefix ~ '^[A-Z]{1,8}$'),
  day       date NOT NULL,
  last_no   integer NOT NULL CHECK (last_no > 0),
  PRIMARY KEY (prefix, day)
);

-- Order numbers (工单号) handed out by company.order-number: one per element instance, so a
-- retried job answers the number it took the first time.
CREATE TABLE company_order_number (
  element_instance_key  bigint PRIMARY KEY,
  process_instance_key  bigint NOT NULL,
  prefix                text NOT NULL,
  day                   date NOT NULL,
  seq                   integer NOT NULL,
  business_key          text NOT NULL UNIQUE,
  created_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX company_order_number_instance ON company_order_number (process_instance_key);

-- Customer accounts (用电户号) as the marketing system knows them; the local stand-in of the
-- billing system that company.arrears-check asks.
CREATE TABLE customer_account (
  account_no      text PRIMARY KEY CHECK (account_no ~ '^[0-9A-Za-z-]{4,32}$'),
  name            text NOT NULL CHECK (char_length(name) <= 200),
  address         text NOT NULL CHECK (char_length(address) <= 500),
  area            text NOT NULL CHECK (area IN ('urban', 'rural', 'remote')),
  customer_class  text NOT NULL CHECK (customer_class IN ('lv-residential', 'lv-nonresidential', 'hv-single', 'hv-dual')),
  phone           text,
  -- unpaid electricity bills (欠费), yuan
  arrears         numeric(12, 2) NOT NULL DEFAULT 0 CHECK (arrears >= 0),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

INSERT INTO customer_account (account_no, name, address, area, customer_class, phone, arrears) VALUES
  ('0100000001', '张伟', '城关镇人民路 12 号 3 单元 501', 'urban', 'lv-residential', '13800000001', 0),
  ('0100000002', '王芳', '城关镇建设路 88 号', 'urban', 'lv-residential', '13800000002', 236.50),
  ('0100000003', '李娜', '城关镇解放街 7 号', 'urban', 'lv-residential', '13800000003', 0),
  ('0100000004', '星光超市', '城关镇人民路 30 号', 'urban', 'lv-nonresidential', '13800000004', 0),
  ('0100000005', '刘洋', '河口乡河口村 5 组', 'rural', 'lv-residential', '13800000005', 0),
  ('0100000006', '河口米业有限公司', '河口乡工业园 2 号', 'rural', 'lv-nonresidential', '13800000006', 1830.00),
  ('0100000007', '陈静', '青山镇青山村 3 组', 'rural', 'lv-residential', '13800000007', 0),
  ('0100000008', '高山牧场', '云岭乡高山村', 'remote', 'lv-nonresidential', '13800000008', 0),
  ('0100000009', '华能机械厂', '经济开发区创业大道 9 号', 'urban', 'hv-single', '13800000009', 0),
  ('0100000010', '县人民医院', '城关镇健康路 1 号', 'urban', 'hv-dual', '13800000010', 0);

-- The customer SMS outbox (短信): company.notify-customer writes one row per element instance
-- (a retried job sends nothing twice); a gateway drains it like the notification outbox
-- (sla/notify.ts): rows with sent_at NULL, the row id as the gateway's deduplication key.
CREATE TABLE customer_message (
  id                    bigserial PRIMARY KEY,
  element_instance_key  bigint UNIQUE,
  process_instance_key  bigint,
  business_key          text,
  phone                 text NOT NULL CHECK (char_length(phone) <= 32),
  template              text NOT NULL CHECK (template IN ('accepted', 'dispatched', 'restored', 'reply', 'return-visit', 'material-missing', 'power-on')),
  text                  text NOT NULL CHECK (char_length(text) <= 500),
  created_at            timestamptz NOT NULL DEFAULT now(),
  sent_at               timestamptz
);
CREATE INDEX customer_message_unsent ON customer_message (id) WHERE sent_at IS NULL;
CREATE INDEX customer_message_instance ON customer_message (process_instance_key);

-- Outages (停电事件) the hub opens when many calls concern one fault; closing one tells every
-- linked report (message outage-restored, correlation key = the outage id).
CREATE TABLE outage (
  id          text PRIMARY KEY CHECK (id ~ '^OUT-[0-9]{8}-[0-9]{2,}$'),
  title       text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  area        text NOT NULL CHECK (area IN ('urban', 'rural', 'remote')),
  state       text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  closed_by   text,
  closed_at   timestamptz,
  cause       text CHECK (char_length(cause) <= 2000),
  CHECK ((state = 'closed') = (closed_at IS NOT NULL))
);
CREATE INDEX outage_state ON outage (state, created_at DESC);

CREATE TABLE outage_link (
  outage_id             text NOT NULL REFERENCES outage (id),
  process_instance_key  bigint NOT NULL,
  business_key          text,
  linked_by             text NOT NULL,
  linked_at             timestamptz NOT NULL DEFAULT now(),
  -- when closing the outage reached this instance's wait (NULL: it was not waiting yet)
  notified_at           timestamptz,
  PRIMARY KEY (outage_id, process_instance_key)
);
CREATE INDEX outage_link_instance ON outage_link (process_instance_key);

-- Archive records (归档): company.archive writes one per element instance with the case's data.
CREATE TABLE company_archive (
  element_instance_key  bigint PRIMARY KEY,
  process_instance_key  bigint NOT NULL,
  bpmn_process_id       text NOT NULL,
  business_key          text,
  variables             jsonb NOT NULL,
  archived_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX company_archive_instance ON company_archive (process_instance_key);
CREATE INDEX company_archive_business_key ON company_archive (business_key);
