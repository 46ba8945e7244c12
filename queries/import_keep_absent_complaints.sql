-- import_keep_absent_complaints: an extract's complaint rows with each optional column the file does not
-- have taken from the stored complaint. A column missing from a file says nothing about its values: a
-- re-extract whose 投诉内容 header was renamed by its source system must not erase the stored narratives
-- (hostile H65). An empty cell in a column the file has is a value, and stays as it was read. New complaints
-- keep NULL. The optional columns of contract section 7 and extracted_at keep stored values already
-- (import_merge_complaints). The closing columns (办结时间, 处理结果, 回访满意度) describe the stored status:
-- they are kept only while the status stays the same, so a row that reopens a complaint never keeps its old
-- closing time (hostile H71). Tables: incoming, stored. Param: $absent (VARCHAR[], canonical column names).
select incoming.* replace (
    if(list_contains($absent, 'closed_at') and incoming.status = stored.status,
       stored.closed_at, incoming.closed_at)                                               as closed_at,
    if(list_contains($absent, 'product'), stored.product, incoming.product)                as product,
    if(list_contains($absent, 'customer_age'), stored.customer_age, incoming.customer_age) as customer_age,
    if(list_contains($absent, 'amount'), stored.amount, incoming.amount)                   as amount,
    if(list_contains($absent, 'content'), stored.content, incoming.content)                as content,
    if(list_contains($absent, 'result') and incoming.status = stored.status,
       stored.result, incoming.result)                                                     as result,
    if(list_contains($absent, 'satisfaction') and incoming.status = stored.status,
       stored.satisfaction, incoming.satisfaction)                                         as satisfaction,
    if(list_contains($absent, 'root_cause'), stored.root_cause, incoming.root_cause)       as root_cause)
from incoming
left join stored using (complaint_id)
