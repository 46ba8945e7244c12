-- macro_search_match: whether a narrative matches the hotspots page's search (dashboard/text/search_query.py).
-- Scalar macro search_match(search_text, s_terms, s_neg):
--   search_text  the narrative as the search reads it, folded (queries/macro_search_fold.sql): the stored
--            complaints.search_text, never folded here (folding at query time cost ×6 at 1M rows, issue 21)
--   s_terms  VARCHAR[][]: the search in conjunctive normal form, an AND of clauses, each an OR of texts
--            (lower case); NULL = no search (every complaint matches)
--   s_neg    BOOLEAN[][]: parallel to s_terms, true where the text is negated (NOT)
-- A clause holds when one of its texts is contained in the folded narrative (case-insensitive, full-width ASCII
-- forms read as ASCII as the search itself is: masking.fold_search, hostile H266), or for a negated text, is not;
-- the search holds when every clause does. A complaint without a narrative contains nothing.
--   cid, s_hidden  for a user who may not reveal personal data: s_hidden VARCHAR[][][], parallel to s_terms,
--            the complaint ids (cid) in whose narrative that text occurs only inside what the mask hides:
--            there it counts as absent, so the search matches the masked text (hostile H237); NULL = none
-- Both lists are bound parameters: the user's text is never part of the SQL.
create or replace macro search_match(search_text, s_terms, s_neg, cid := null, s_hidden := null) as
    s_terms is null or list_bool_and(list_transform(range(1, len(s_terms) + 1), lambda c:
        list_bool_or(list_transform(range(1, len(s_terms[c]) + 1), lambda i:
            (contains(coalesce(search_text, ''), s_terms[c][i])
             and (s_hidden is null or not list_contains(s_hidden[c][i], cid))) <> s_neg[c][i]))))
