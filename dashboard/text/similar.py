"""Similar complaints (相似投诉): near-duplicate narratives written for many different customers.

A group of near-identical narratives from many customers points at one shared cause: an outage, a
mis-selling script, a fraud script. :func:`similar_groups` finds them.

Method
------
1. Normalise: lower case, full-width letters to ASCII, then drop everything that is not a CJK
   character or a latin letter: digits (amounts, dates, card and phone numbers differ between otherwise
   identical stories), punctuation, whitespace, mask characters (``*``).
2. Shingle: the set of character 3-grams of each normalised narrative. Three code points are packed
   exactly into one 64-bit integer (21 bits each), so there is no hashing and no collision, and the whole
   step is numpy over the concatenated text (no Python loop per shingle).
3. Boilerplate: a shingle that occurs in more than ``max_df`` (5 %) of the narratives, and in more than
   ``min_boilerplate_docs`` (30) of them, is template text (客户来电反映其信用卡…, …要求我行核实处理) and
   is dropped from every set before anything is compared. So a narrative that shares only template
   phrases with a group shares nothing with it. The absolute floor keeps small slices (a few hundred
   narratives, where one genuine group can be 5 % of them) from treating a real group's story as
   template. Trade-off: one story told in more than 5 % of the narratives (and > 30 of them) is
   boilerplate too and is not reported as a group; compare over a wider slice to see it (it will also
   show as a surge). Narratives left with fewer than ``min_shingles`` (8) informative shingles, i.e.
   that are (nearly) all template, are not grouped.
4. Candidate pairs by MinHash + LSH, computed with numpy: 96 multiply-shift hash functions over the
   shingle ids, minimum per narrative sought first among its shingles of low hash (``_minhash``: the same
   values as the minimum over all of them, ~2x faster); banding chosen from the threshold
   so that a pair exactly at the threshold becomes a candidate with probability >= 0.995 (t = 0.6:
   32 bands x 3 rows, P = 0.9996). LSH buckets of up to 50 narratives yield all their pairs, bigger
   buckets a star around a rotating anchor, so no bucket can make the work quadratic. Candidates whose
   MinHash estimate is more than 0.2 below the threshold (4 standard deviations) are dropped.
5. Verify each remaining candidate pair by the exact Jaccard of the two informative shingle sets
   (|A∩B| / |A∪B|, sparse row products), keep pairs with Jaccard >= ``threshold``.
6. Groups are the connected components of the kept pairs (scipy.sparse.csgraph). A group must have at
   least ``min_size`` complaints and ``min_customers`` distinct customer_id (one customer repeating
   themselves is a repeat complaint, not a similar group). Its representative is the medoid: the member
   with the highest mean Jaccard to the other members (ties: smallest complaint_id).

Deterministic: fixed hash seeds and rows processed in complaint_id order, so the same rows give the
same groups whatever their order in ``df``.

Why this design (measured on this 2-core machine with ``bench/similar_bench.py``):
* Exact all-pairs by prefix filtering (AllPairs/PPJoin) was tried first: exact and fast on varied text,
  but narratives built from stock phrases (which complaint narratives are) give long posting lists, and
  it produced 1.4 million candidates at 10k narratives, growing quadratically.
* datasketch's own classes are a Python loop per narrative: on 20k narratives ``MinHash.bulk`` took
  1.6 s and ``MinHashLSH`` insertion another 1.5 s, i.e. ~15 s for 100k before any query or
  verification; the numpy signatures above take ~1.3 s for 100k.
* TF-IDF char n-grams with cosine nearest neighbours needs scikit-learn (not a dependency) and a
  k-NN query per narrative; Jaccard on shingle sets with an explicit boilerplate cut is simpler to
  explain on the page.
Measured: ~0.6 s for 10,000 and ~9-11 s for 100,000 narratives of ~85 characters.

Connected components can chain (A~B, B~C while A and C are less similar); with the default threshold
and boilerplate removal this stays within one story in practice, and the representative shows it.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

__all__ = ["similar_groups", "normalise"]

_COLUMNS = ["group_id", "complaint_id", "is_representative"]
_KEEP = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fffa-z]+")
_SHINGLE = 3
_PAIR_CHUNK = 200_000  # candidate pairs verified per sparse product
_NUM_PERM = 96  # MinHash size; banding chosen from the threshold by _bands_rows
_EST_MARGIN = 0.2  # candidates with a MinHash estimate below threshold - margin are not verified
_ALL_PAIRS_MAX = 50  # LSH buckets up to this size give all their pairs, larger ones a star
_DENSE_MEDOID_MAX = 3000  # groups up to this size get an exact all-pairs medoid
_HASH_MAX = np.iinfo(np.uint32).max
_LOW_HASH = np.uint32(1 << 28)  # MinHash looks for a minimum among the shingles hashed below this first


# full-width latin letters -> lower-case ASCII (digits and punctuation are dropped anyway, so this is all
# of NFKC that matters here, at a fraction of its cost)
_FULLWIDTH = {**{0xFF21 + i: chr(0x61 + i) for i in range(26)}, **{0xFF41 + i: chr(0x61 + i) for i in range(26)}}


def normalise(text: object) -> str:
    """The text that is shingled: lower case, full-width letters folded, only CJK characters and latin
    letters kept (digits, punctuation, whitespace and mask characters dropped)."""
    if not isinstance(text, str):
        return ""
    return _KEEP.sub("", text.lower().translate(_FULLWIDTH))


_code_table: np.ndarray | None = None


def _codes_table() -> np.ndarray:
    """normalise() per code point of the Basic Multilingual Plane, as a lookup table (uint32, 0 = dropped).

    normalise() is per character: lower() of a code point never depends on its neighbours except for the
    Greek final sigma (dropped either way), and no code point lowers to more than one kept character (İ
    lowers to i + a combining dot, which is dropped). Code points above the BMP are all dropped: none of
    them lowers into the kept ranges (tests/test_similar.py checks both claims over every code point)."""
    global _code_table
    if _code_table is None:
        codes = np.arange(0x10000, dtype=np.uint32)
        table = np.where(
            ((codes >= 0x3400) & (codes <= 0x4DBF))
            | ((codes >= 0x4E00) & (codes <= 0x9FFF))
            | ((codes >= 0x61) & (codes <= 0x7A)),
            codes,
            0,
        ).astype(np.uint32)
        for c in range(0x10000):  # the few code points lower() or the full-width fold changes
            ch = chr(c)
            if 0xD800 <= c < 0xE000 or (ch.lower() == ch and c not in _FULLWIDTH):
                continue
            kept = normalise(ch)
            table[c] = ord(kept) if kept else 0
        _code_table = table
    return _code_table


def _normalised_codes(texts: list) -> tuple[np.ndarray, np.ndarray]:
    """(code points of normalise() of every text, concatenated; each text's length in them): normalise()
    done on the code point array with a lookup table instead of one regular expression per text."""
    strs = [t if isinstance(t, str) else "" for t in texts]
    lengths = np.fromiter(map(len, strs), dtype=np.int64, count=len(strs))
    raw = np.frombuffer("".join(strs).encode("utf-32-le", "surrogatepass"), dtype="<u4")
    mapped = _codes_table()[np.minimum(raw, 0xFFFF)]
    mapped[raw > 0xFFFF] = 0
    kept = mapped != 0
    doc_of = np.repeat(np.arange(len(strs), dtype=np.int64), lengths)[kept]
    return mapped[kept], np.bincount(doc_of, minlength=len(strs)).astype(np.int64)


def _sorted_unique(a: np.ndarray) -> np.ndarray:
    """np.unique by sorting (numpy's hash-based unique is several times slower on large int arrays)."""
    a = np.sort(a)
    if a.size == 0:
        return a
    keep = np.empty(a.size, dtype=bool)
    keep[0] = True
    np.not_equal(a[1:], a[:-1], out=keep[1:])
    return a[keep]


def _factorize(a: np.ndarray) -> tuple[int, np.ndarray]:
    """(number of distinct values, dense codes 0..k-1 in sorted order of the values). By hashing, then
    sorting only the distinct values (a few per cent of the shingles), not all of them."""
    codes, uniques = pd.factorize(a, sort=True)
    return len(uniques), codes.astype(np.int64, copy=False)


def _empty() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "group_id": pd.Series(dtype="int64"),
            "complaint_id": pd.Series(dtype=object),
            "is_representative": pd.Series(dtype=bool),
        }
    )


def _shingle_pairs(texts: list) -> tuple[np.ndarray, np.ndarray]:
    """(doc, shingle key) for every 3-gram of every normalised text, not yet de-duplicated."""
    chars, lengths = _normalised_codes(texts)
    if lengths.sum() == 0:
        return np.empty(0, np.int64), np.empty(0, np.uint64)
    codes = chars.astype(np.uint64)
    ends = np.cumsum(lengths)
    doc_of_pos = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    pos = np.arange(codes.size - (_SHINGLE - 1), dtype=np.int64)
    valid = pos + (_SHINGLE - 1) < ends[doc_of_pos[: pos.size]]
    pos = pos[valid]
    keys = (codes[pos] << np.uint64(42)) | (codes[pos + 1] << np.uint64(21)) | codes[pos + 2]
    return doc_of_pos[pos], keys


def _minhash(doc: np.ndarray, sid: np.ndarray, n_docs: int, num_perm: int, seed: int) -> np.ndarray:
    """MinHash signatures (n_docs x num_perm, uint32) of the sets given as (doc, shingle id), sorted by doc.

    Hash k of shingle x is multiply-shift: the top 32 bits of (a_k * x + b_k) mod 2^64 with a_k odd.
    Each hash is computed once per distinct shingle id (the shingles of a window are a few per cent
    distinct). A document's minimum is found among its shingles whose hash is below ``_LOW_HASH`` alone
    (1/16 of them): if it has one, its minimum is one of them; only the few documents with none (short
    ones, ~1 % a hash) are reduced over all their shingles. The same values as the minimum over every
    shingle (:func:`_minhash_all`, tests/test_similar.py), in ~2/5 of its time at 40,000 narratives.
    Rows of documents without shingles are left at the maximum value and are never used.
    """
    a, b = _hash_params(num_perm, seed)
    sig = np.full((n_docs, num_perm), _HASH_MAX, dtype=np.uint32)
    if sid.size == 0:
        return sig
    m = int(sid.max()) + 1
    present = _sorted_unique(doc)
    starts = np.searchsorted(doc, present)
    ends = np.append(starts[1:], doc.size)
    # shingle-major postings (the documents of each shingle): a counting sort in C
    indptr = np.zeros(n_docs + 1, dtype=np.int64)
    indptr[present + 1] = ends - starts
    postings = sparse.csr_matrix((np.ones(doc.size, dtype=np.int8), sid, np.cumsum(indptr)), shape=(n_docs, m)).tocsc()
    post_doc, post_ptr = postings.indices.astype(np.int64), postings.indptr.astype(np.int64)
    doc_freq = np.diff(post_ptr)
    ids = np.arange(m, dtype=np.uint64)
    shift = np.uint64(32)
    column = np.empty(n_docs, dtype=np.uint32)
    for k in range(num_perm):
        table = ((ids * a[k] + b[k]) >> shift).astype(np.uint32)
        low = np.flatnonzero(table < _LOW_HASH)
        column.fill(_HASH_MAX)
        np.minimum.at(column, post_doc[_ranges(post_ptr[low], post_ptr[low + 1])], np.repeat(table[low], doc_freq[low]))
        # no shingle below _LOW_HASH (a true minimum is < _HASH_MAX then: it would be < _LOW_HASH)
        missing = np.flatnonzero(column[present] == _HASH_MAX)
        if missing.size:
            lo, hi = starts[missing], ends[missing]
            column[present[missing]] = np.minimum.reduceat(table[sid[_ranges(lo, hi)]], np.cumsum(hi - lo) - (hi - lo))
        sig[present, k] = column[present]
    return sig


def _minhash_all(doc: np.ndarray, sid: np.ndarray, n_docs: int, num_perm: int, seed: int) -> np.ndarray:
    """:func:`_minhash` by the minimum over every shingle of every document (the reference it is tested
    against, and its method before 2026-12-07)."""
    a, b = _hash_params(num_perm, seed)
    sig = np.full((n_docs, num_perm), _HASH_MAX, dtype=np.uint32)
    if sid.size == 0:
        return sig
    present = _sorted_unique(doc)
    starts = np.searchsorted(doc, present)
    ids = np.arange(int(sid.max()) + 1, dtype=np.uint64)
    shift = np.uint64(32)
    for k in range(num_perm):
        table = ((ids * a[k] + b[k]) >> shift).astype(np.uint32)
        sig[present, k] = np.minimum.reduceat(table[sid], starts)
    return sig


def _hash_params(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
    return a, b


def _bands_rows(threshold: float, target: float = 0.995) -> tuple[int, int]:
    """The LSH banding of the _NUM_PERM hashes with the fewest bands (fewest chance candidates) that still
    makes a pair at exactly the threshold a candidate with probability >= ``target``:
    P = 1 - (1 - t^rows)^bands, e.g. 32 bands x 3 rows at t = 0.6 gives 0.9996."""
    for rows in (6, 4, 3, 2):
        bands = _NUM_PERM // rows
        if 1.0 - (1.0 - threshold**rows) ** bands >= target:
            return bands, rows
    return _NUM_PERM // 2, 2


def _candidate_pairs(
    sig: np.ndarray, docs: np.ndarray, bands: int, rows: int, n_docs: int
) -> tuple[np.ndarray, np.ndarray]:
    """LSH banding: documents whose signatures agree on all ``rows`` values of a band share a bucket.

    Within a bucket of up to ``_ALL_PAIRS_MAX`` members every pair is a candidate. In a larger bucket
    every member is paired with one anchor only (a star), so a huge bucket (a story told a thousand
    times, or a flood of template-like narratives) costs linear, not quadratic, time; the anchor rotates
    with the band so that one odd member is not the only anchor of a story.
    """
    rng = np.random.default_rng(12345)
    mult = rng.integers(1, 2**63, size=rows, dtype=np.uint64) | np.uint64(1)
    sub = sig[docs]
    left_all, right_all = [], []
    for band in range(bands):
        block = sub[:, band * rows : (band + 1) * rows].astype(np.uint64)
        key = np.zeros(docs.size, dtype=np.uint64)
        for r in range(rows):
            key = (key ^ block[:, r]) * mult[r]
            key ^= key >> np.uint64(29)
        order = np.argsort(key, kind="stable")
        skey = key[order]
        boundaries = np.flatnonzero(skey[1:] != skey[:-1]) + 1
        run_start = np.concatenate(([0], boundaries))
        run_len = np.diff(np.concatenate((run_start, [skey.size])))
        # small buckets: all pairs (each element with the ones after it in its bucket)
        small = (run_len >= 2) & (run_len <= _ALL_PAIRS_MAX)
        if small.any():
            starts, lens = run_start[small], run_len[small]
            elem = _ranges(starts, starts + lens)
            follow = np.repeat(starts + lens, lens) - elem - 1
            left = np.repeat(elem, follow)
            right = _ranges(elem + 1, elem + 1 + follow)
            left_all.append(docs[order[left]])
            right_all.append(docs[order[right]])
        # large buckets: star around a rotating anchor
        large = run_len > _ALL_PAIRS_MAX
        if large.any():
            starts, lens = run_start[large], run_len[large]
            anchor = np.repeat(starts + band % lens, lens)
            member = _ranges(starts, starts + lens)
            keep = member != anchor
            left_all.append(docs[order[anchor[keep]]])
            right_all.append(docs[order[member[keep]]])
    if not left_all:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    a = np.concatenate(left_all).astype(np.int64)
    b = np.concatenate(right_all).astype(np.int64)
    key = _sorted_unique(np.minimum(a, b) * n_docs + np.maximum(a, b))
    return key // n_docs, key % n_docs


def _ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Concatenation of arange(s, e) for each (s, e), vectorised."""
    lens = ends - starts
    total = int(lens.sum())
    return np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(lens) - lens, lens) + np.repeat(starts, lens)


def _estimate(sig: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """MinHash estimate of the Jaccard index: the share of equal signature values. Only the low byte of
    each value is compared (4x less memory traffic); chance byte matches add ~(1 - J)/256, negligible for
    a pre-filter with a margin."""
    low = sig.astype(np.uint8)
    out = np.empty(i.size, dtype=np.float32)
    for s in range(0, i.size, _PAIR_CHUNK):
        ii, jj = i[s : s + _PAIR_CHUNK], j[s : s + _PAIR_CHUNK]
        out[s : s + _PAIR_CHUNK] = np.count_nonzero(low[ii] == low[jj], axis=1) / low.shape[1]
    return out


def _jaccard_pairs(x: sparse.csr_matrix, size: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    out = np.empty(i.size, dtype=np.float64)
    for s in range(0, i.size, _PAIR_CHUNK):
        ii, jj = i[s : s + _PAIR_CHUNK], j[s : s + _PAIR_CHUNK]
        inter = np.asarray(x[ii].multiply(x[jj]).sum(axis=1)).ravel()
        out[s : s + _PAIR_CHUNK] = inter / (size[ii] + size[jj] - inter)
    return out


def similar_groups(
    df: pd.DataFrame,
    threshold: float = 0.6,
    min_size: int = 3,
    min_customers: int = 3,
    *,
    max_df: float = 0.05,
    min_boilerplate_docs: int = 30,
    min_shingles: int = 8,
) -> pd.DataFrame:
    """Groups of near-duplicate narratives spanning several customers.

    ``df`` needs columns complaint_id, customer_id, content (others are ignored; rows with a repeated
    complaint_id: the last one counts). Returns one row per member with columns group_id (1, 2, ...
    by group size descending, ties by smallest complaint_id), complaint_id and is_representative (one
    True per group, the medoid), ordered by group_id, representative first, then complaint_id.
    Similarity is the Jaccard index of character 3-gram sets after dropping digits, punctuation and
    boilerplate shingles (see the module docstring for the method and the keyword parameters).
    """
    if df is None or len(df) == 0:
        return _empty()
    data = df[["complaint_id", "customer_id", "content"]].drop_duplicates("complaint_id", keep="last")
    # canonical order, so that the result does not depend on the row order of ``df``
    data = data.iloc[np.argsort(data["complaint_id"].map(str).to_numpy(), kind="stable")]
    ids = data["complaint_id"].to_numpy(dtype=object)
    customers = data["customer_id"].to_numpy(dtype=object)
    texts = data["content"].tolist()
    n = len(texts)

    doc, keys = _shingle_pairs(texts)
    if doc.size == 0:
        return _empty()
    m, sid = _factorize(keys)
    pair = _sorted_unique(doc * m + sid)
    doc, sid = pair // m, pair % m
    df_count = np.bincount(sid, minlength=m)

    # boilerplate cut
    cut = max(math.ceil(max_df * n), min_boilerplate_docs)
    keep = df_count[sid] <= cut
    doc, sid = doc[keep], sid[keep]
    size = np.bincount(doc, minlength=n)
    keep = size[doc] >= min_shingles
    doc, sid = doc[keep], sid[keep]
    size = np.bincount(doc, minlength=n)
    if doc.size == 0:
        return _empty()

    # doc-sorted (they are: the unique pairs above are sorted by doc, then shingle)
    docs_present = np.flatnonzero(size > 0)
    bands, rows = _bands_rows(threshold)
    sig = _minhash(doc, sid, n, _NUM_PERM, seed=20261005)
    ci, cj = _candidate_pairs(sig, docs_present, bands, rows, n)
    if ci.size == 0:
        return _empty()
    # drop candidates whose MinHash estimate is far below the threshold (4 standard deviations at 96
    # hashes: a pair truly at the threshold is dropped with probability ~3e-5); most chance collisions go
    est = _estimate(sig, ci, cj)
    keep = est >= threshold - _EST_MARGIN
    ci, cj = ci[keep], cj[keep]
    if ci.size == 0:
        return _empty()
    # rows straight from the doc-sorted pairs (no COO conversion, which sorts them again)
    indptr = np.concatenate(([0], np.cumsum(size)))
    x = sparse.csr_matrix((np.ones(doc.size, dtype=np.float32), sid, indptr), shape=(n, m))
    sim = _jaccard_pairs(x, size, ci, cj)
    ok = sim >= threshold - 1e-12
    ci, cj, sim = ci[ok], cj[ok], sim[ok]
    if ci.size == 0:
        return _empty()

    graph = sparse.coo_matrix((np.ones(ci.size), (ci, cj)), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    in_edge = np.zeros(n, dtype=bool)
    in_edge[ci] = True
    in_edge[cj] = True
    members = pd.DataFrame({"node": np.flatnonzero(in_edge)})
    members["label"] = label[members["node"]]
    members["complaint_id"] = ids[members["node"]]
    members["customer_id"] = customers[members["node"]]
    stats = members.groupby("label").agg(
        size=("node", "size"),
        customers=("customer_id", "nunique"),
        first_id=("complaint_id", lambda s: min(map(str, s))),
    )
    stats = stats[(stats["size"] >= min_size) & (stats["customers"] >= min_customers)]
    if stats.empty:
        return _empty()
    stats = stats.sort_values(["size", "first_id"], ascending=[False, True], kind="mergesort")
    group_of_label = pd.Series(np.arange(1, len(stats) + 1), index=stats.index)

    members = members[members["label"].isin(stats.index)].copy()
    members["group_id"] = members["label"].map(group_of_label).astype("int64")
    members["is_representative"] = False
    edge_sum = np.bincount(ci, weights=sim, minlength=n) + np.bincount(cj, weights=sim, minlength=n)
    rep_nodes = []
    for _, nodes in members.groupby("label")["node"]:
        nodes = nodes.to_numpy()
        if nodes.size <= _DENSE_MEDOID_MAX:
            sub = x[nodes]
            inter = (sub @ sub.T).toarray()
            s = size[nodes].astype(np.float64)
            jac = inter / (s[:, None] + s[None, :] - inter)
            score = jac.sum(axis=1)
        else:  # very large group: similarity over its verified pairs only
            score = edge_sum[nodes]
        best = np.flatnonzero(score >= score.max() - 1e-12)
        rep_nodes.append(nodes[best[np.argmin([str(ids[k]) for k in nodes[best]])]])
    members.loc[members["node"].isin(rep_nodes), "is_representative"] = True
    members["_id_str"] = members["complaint_id"].map(str)
    members = members.sort_values(
        ["group_id", "is_representative", "_id_str"], ascending=[True, False, True], kind="mergesort"
    )
    out = members[_COLUMNS].reset_index(drop=True)
    out["is_representative"] = out["is_representative"].astype(bool)
    return out
