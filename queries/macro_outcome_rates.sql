-- macro_outcome_rates: the outcome and customer-group shares (issue 19), one definition each; NULL when the
-- denominator is 0.
--   resolution_rate_of(resolved, with_result)    处理结果 已解决 over complaints with a 处理结果
--   satisfaction_rate_of(satisfied, surveyed)    满意 or 基本满意 over those surveyed (not 未回访)
--   elderly_share_of(elderly, complaints, age_unknown)  customers aged 60+ over all complaints, those without an
--                                                age included in the denominator (contract 2, issue 19); NULL
--                                                when no complaint has an age (无年龄数据, not 0 %: hostile H89)
create or replace macro resolution_rate_of(resolved, with_result) as resolved / nullif(with_result, 0)::double;
create or replace macro satisfaction_rate_of(satisfied, surveyed) as satisfied / nullif(surveyed, 0)::double;
create or replace macro elderly_share_of(elderly, complaints, age_unknown) as
    case when complaints > age_unknown then elderly / complaints::double end;
