-- import_stored_closed: which of an extract's complaints (table file_ids: complaint_id) the store holds as
-- 已办结 with a closing time. A file without the 办结时间 column keeps theirs while the status stays 已办结
-- (import_keep_absent_complaints), so such a row is not "已办结 without 办结时间" (hostile H73).
-- Param: $closed (the closed status, 已办结).
select s.complaint_id
from stored_complaints s
join file_ids f using (complaint_id)
where s.status = $closed and s.closed_at is not null
