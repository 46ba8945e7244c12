-- macro_customer_gaps: table macro customer_gaps(month_from, month_to): the (branch_code, month) pairs whose
-- customer base is missing from a month's customer file. Customer rows were loaded for that month, the
-- branch has no row, and either
--   (a) it has complaints that month, and it has a row in some other month or is a leaf of the
--       organisation tree (a 支行 serves its customers itself, so a leaf with complaints and never a row is
--       missing from every month's file: hostile H76, a file covering one 分行 in every month); or
--   (b) without complaints, it has rows on both sides of the month (a hole: it came back, so it was not
--       closed; hostile H76's second shape, 0102 missing from one month's file shrank the bank's base and its
--       rate rose 25 % while volume fell); or
--   (c) without complaints, the month is the latest loaded customer month and the branch had a row in the
--       loaded month just before it: an omission and a closure look the same until the next file, so the
--       latest month fails closed (客户数不全) rather than show a rate over a shrunken base. Once a later
--       file is loaded without the branch, the month is no longer the latest and the branch has no later row:
--       a closure, no gap (a branch that stops appearing for good is closed, its customers gone).
-- A subtree's base that lacks such a member is incomplete (客户数不全): dividing the whole subtree's
-- complaints by the other members' customers would overstate its rate (hostile H50: a customer file covering
-- one 分行 made the bank's rate twelve times as high). The contract (section 6) is silent on partial coverage.
-- Not gaps: a month with no customer file at all (no base anyway), a parent that never has a customer row of
-- its own (a head office, a 分行 whose customers its 支行 hold), a branch before its first row (opened later:
-- the ranking marks it 期内新设) or after its last one (closed), without complaints.
-- Built from the few missing (branch, month) pairs of the customer file, then checked against the cube and
-- the branches' first and last rows, once per snapshot and connection (queries/snapshot_customer_gaps.sql,
-- which holds the rules' SQL): whether a pair is a gap depends on its month alone, so this is the month range
-- of that table. It runs inside every headline query; planning the derivation there cost more than its rows.
create or replace macro customer_gaps(month_from, month_to) as table
select branch_code, month
from customer_gaps_all  -- queries/snapshot_customer_gaps.sql, when the connection opened the snapshot
where month between month_from and month_to
