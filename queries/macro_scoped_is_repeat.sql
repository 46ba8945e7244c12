-- macro_scoped_is_repeat: scalar macro scoped_is_repeat(scope, stored, c_customer, c_category, c_received,
-- c_id, window_days): one complaint's repeat flag as a user of `scope` may see it. Without a scope the stored
-- flag (contract 6's rule over the whole bank, import_derive_complaints.sql); with one, recomputed from the
-- complaints inside the scope only, so a branch user's complaint is never a repeat because of another branch's.
create or replace macro scoped_is_repeat(scope, stored, c_customer, c_category, c_received, c_id, window_days) as
    case when scope is null then stored
         else exists (
             select 1
             from filtered_complaints(date '1900-01-01', date '2999-12-01', null, scope, null, null, null, null) p
             where p.customer_id = c_customer and p.business_category = c_category
               and (p.received_at < c_received or (p.received_at = c_received and p.complaint_id < c_id))
               and date_diff('day', p.received_at::date, c_received::date) <= window_days)
    end
