-- ledger_create_items: the rectification ledger's items (整改台账), in the ledger's SQLite database
-- (data/ledger/ledger.sqlite, beside the snapshots, so items survive restarts and re-imports). No parameters.
-- One row per item:
--   id, version       item id; version, +1 on every save (optimistic locking: a save names the version it
--                     edited and is refused when the stored one has moved on)
--   source            recurring (a recurring issue) | similar (a group of similar complaints)
--   branch_code, business_category, reason   the slice a recurring issue covers (NULL when not part of it)
--   complaint_ids, key_terms   JSON lists: a similar group's members and the terms its story is found by
--   source_note       what the source looked like when the item was opened (months, volume, group size)
--   title, root_cause (contract root_cause list), owner_dept, action, due_date (YYYY-MM-DD),
--   status (待整改, 整改中, 已整改, 已验证), fixed_at (YYYY-MM-DD: when it was marked 已整改)
--   created_at, created_by, updated_at, updated_by
create table if not exists ledger_items (
    id integer primary key,
    version integer not null,
    source varchar not null,
    branch_code varchar,
    business_category varchar,
    reason varchar,
    complaint_ids varchar,
    key_terms varchar,
    source_note varchar,
    title varchar not null,
    root_cause varchar,
    owner_dept varchar,
    action varchar,
    due_date varchar,
    status varchar not null,
    fixed_at varchar,
    created_at varchar not null,
    created_by varchar not null,
    updated_at varchar not null,
    updated_by varchar not null
)
