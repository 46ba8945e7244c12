-- macro_search_fold: a text as the narrative search matches it, the one definition of the fold in SQL: every
-- full-width ASCII form U+FF01-FF5E (ＡＴＭ, １２月, ＠, and the Chinese comma ，) read as its ASCII character, then
-- lower case, as the search itself reads (dashboard/text/masking.fold_search, SEARCH_FOLD_FROM / SEARCH_FOLD_TO;
-- hostile H266). The import stores it for every narrative (complaints.search_text,
-- queries/import_derive_complaints.sql) and every masked text (complaint_masked.masked_search,
-- dashboard/derived/masked_text.py), so that a search reads folded text without folding it; a snapshot written
-- before those columns existed folds at query time (dashboard/db.complaints_view, masked_view).
-- Scalar macro search_fold(text): VARCHAR, NULL for NULL.
create or replace macro search_fold(text) as
    lower(translate(text, '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～', '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~'))
