-- terms_tokenizer: the tokenizer fingerprint complaint_terms was cut with (dashboard/derived/terms_index.py;
-- complaint_masked is written by the same pass). One pass writes every row with its own fingerprint (a
-- reused row must match it), so one row says it; no row: nothing cut yet (or the analysis deferred:
-- terms_placeholder). No parameters.
select tokenizer
from complaint_terms
limit 1
