-- ledger_first_complaint: the first receipt date of the complaints a rectification item is about, the
-- earliest completion date the ledger accepts (hostile H112: a fix done before the item was recorded).
-- Its cited complaints when it cites any ($complaint_ids, as stored), else its slice, as its effect counts it
-- (analysis/effect.py item_slice): $branch_code and, when $subtree, its subtree (a recurring issue's item
-- follows the organisation itself: $subtree false), $business_category, $reason (NULL = any); within $scope.
-- Returns: first_day (a date), one row; no row when no complaint matches.
select min(received_at)::date as first_day
from complaints
where ($scope is null or branch_code in (select branch_code from branch_tree where ancestor_code = $scope))
  and case
        when len($complaint_ids::varchar[]) > 0
            then complaint_id in (select unnest($complaint_ids::varchar[]))
        else ($branch_code::varchar is null
              or branch_code = $branch_code::varchar
              or ($subtree and branch_code in (select branch_code from branch_tree
                                               where ancestor_code = $branch_code::varchar)))
            and ($business_category::varchar is null or business_category = $business_category::varchar)
            and ($reason::varchar is null or reason = $reason::varchar)
      end
having count(*) > 0
