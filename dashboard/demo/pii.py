"""Fake but well-formed personal data for narratives: mainland mobile numbers, 18-digit resident ID numbers
(GB 11643 check digit, so some end in X), Luhn-valid 16-19 digit bank card numbers, customer names.
All vectorised: each function returns a numpy array of ASCII bytes strings (dtype S).
"""

from __future__ import annotations

import numpy as np

_MOBILE_PREFIX = np.array(
    [
        130,
        131,
        132,
        133,
        134,
        135,
        136,
        137,
        138,
        139,
        145,
        147,
        150,
        151,
        152,
        153,
        155,
        156,
        157,
        158,
        159,
        166,
        171,
        173,
        175,
        176,
        177,
        178,
        180,
        181,
        182,
        183,
        184,
        185,
        186,
        187,
        188,
        189,
        191,
        193,
        195,
        196,
        198,
        199,
    ]
)
_REGION = np.array(
    [
        110101,
        110105,
        110108,
        310104,
        310115,
        120101,
        500103,
        440106,
        440304,
        440605,
        320102,
        320505,
        330106,
        330203,
        370102,
        370202,
        510104,
        510107,
        420102,
        420111,
        430102,
        430104,
        410105,
        350102,
        350203,
        610113,
        610103,
        130102,
        340104,
        360102,
        450103,
        230103,
    ]
)
_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
_ID_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)
# (BIN, total length)
_CARD_BINS = (
    ("622202", 19),
    ("621700", 19),
    ("622848", 19),
    ("621226", 19),
    ("623668", 19),
    ("621483", 16),
    ("622588", 16),
    ("438088", 16),
    ("524047", 16),
    ("625958", 16),
    ("620522", 19),
    ("6217", 17),
    ("622609", 18),
)


def _digits_to_bytes(d: np.ndarray) -> np.ndarray:
    """(n, w) array of values 0..9 (or raw ASCII codes >= 48) to an S<w> array."""
    d = np.asarray(d)
    a = np.where(d < 10, d + 48, d).astype(np.uint8)
    return np.ascontiguousarray(a).view(f"S{a.shape[1]}").ravel()


def _num_digits(x: np.ndarray, width: int) -> np.ndarray:
    """Integers to an (n, width) digit matrix, most significant first."""
    p = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (np.asarray(x, dtype=np.int64)[:, None] // p) % 10


def mobiles(rng: np.random.Generator, n: int) -> np.ndarray:
    pre = rng.choice(_MOBILE_PREFIX, n)
    rest = rng.integers(0, 10**8, n)
    return _digits_to_bytes(np.hstack([_num_digits(pre, 3), _num_digits(rest, 8)]))


def id_cards(rng: np.random.Generator, n: int, birth_year: np.ndarray) -> np.ndarray:
    region = rng.choice(_REGION, n)
    month = rng.integers(1, 13, n)
    day = rng.integers(1, 29, n)
    seq = rng.integers(0, 1000, n)
    d = np.hstack(
        [
            _num_digits(region, 6),
            _num_digits(birth_year, 4),
            _num_digits(month, 2),
            _num_digits(day, 2),
            _num_digits(seq, 3),
        ]
    )
    check = _ID_CHECK[(d * _ID_WEIGHTS).sum(axis=1) % 11]
    return _digits_to_bytes(np.hstack([d, check[:, None].astype(np.int64)]))


def bank_cards(rng: np.random.Generator, n: int) -> np.ndarray:
    """Luhn-valid card numbers; returns an object-free S19 array (shorter numbers are left-aligned)."""
    which = rng.integers(0, len(_CARD_BINS), n)
    out = np.zeros(n, dtype="S19")
    for i, (bin_, length) in enumerate(_CARD_BINS):
        idx = np.flatnonzero(which == i)
        if idx.size == 0:
            continue
        body_len = length - len(bin_) - 1
        bd = np.tile(np.frombuffer(bin_.encode(), dtype=np.uint8) - 48, (idx.size, 1)).astype(np.int64)
        body = rng.integers(0, 10, (idx.size, body_len))
        d = np.hstack([bd, body])
        # Luhn: double every second digit from the right of the payload (the check digit goes last)
        rev = d[:, ::-1].copy()
        dbl = rev[:, 0::2] * 2
        rev[:, 0::2] = np.where(dbl > 9, dbl - 9, dbl)
        check = (10 - rev.sum(axis=1) % 10) % 10
        out[idx] = _digits_to_bytes(np.hstack([d, check[:, None]]))
    return out


def names(rng: np.random.Generator, n: int, surnames: tuple[str, ...], suffixes: tuple[str, ...]) -> np.ndarray:
    s = np.array(surnames, dtype=object)[rng.integers(0, len(surnames), n)]
    t = np.array(suffixes, dtype=object)[rng.choice(len(suffixes), n, p=[0.38, 0.38, 0.16, 0.08])]
    return s + t
