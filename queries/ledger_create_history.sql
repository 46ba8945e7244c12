-- ledger_create_history: every change to a ledger item (who, when, what), in the ledger's SQLite database.
-- No parameters. One row per changed field per save; creating an item records each field it was given
-- with old_value NULL.
--   item_id, version   the item and the version the save produced
--   changed_at, changed_by, field, old_value, new_value   (values as text)
create table if not exists ledger_history (
    item_id integer not null,
    version integer not null,
    changed_at varchar not null,
    changed_by varchar not null,
    field varchar not null,
    old_value varchar,
    new_value varchar
)
