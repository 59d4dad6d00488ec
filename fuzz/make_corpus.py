#!/usr/bin/env python3
"""Writes the seed corpus fuzz/corpus/: a few test fixtures, trimmed to whole lines of at
most 4 KB, each behind the 4-byte options header that fuzz_document.cpp reads."""
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fuzz", "corpus")

# header byte 0: mode | fold_han<<2 | fold_digits<<3 | exact_only<<4 | policy<<5
LINES, BLANK, AUTO = 0, 1, 2
FOLD_HAN, FOLD_DIGITS, EXACT_ONLY = 4, 8, 16
FAIL, SKIP, REPLACE = 0, 32, 64


def header(b0, threshold=217, shingle=4, min_chars=20):  # 0.85, 5, 20: the defaults
    return bytes([b0, threshold, shingle, min_chars])


def trimmed(path, limit=4000):
    data = open(os.path.join(ROOT, path), "rb").read()
    if len(data) <= limit:
        return data
    cut = data.rfind(b"\n", 0, limit)
    return data[: cut + 1]


SEEDS = {
    "article_lines": (header(LINES | FOLD_HAN), "examples/data/article.txt"),
    "simplified_copy_auto": (header(AUTO | FOLD_HAN), "tests/data/article_simplified_copy.txt"),
    "crlf_auto": (header(AUTO | FOLD_HAN), "tests/data/article_crlf.txt"),
    "interleaved_lines": (header(LINES | FOLD_HAN), "tests/data/article_interleaved.txt"),
    "rewrapped_auto": (header(AUTO | FOLD_HAN), "tests/data/english_rewrapped.txt"),
    "japanese_auto": (header(AUTO | FOLD_HAN, shingle=2), "tests/data/japanese_article.txt"),
    "labels_auto": (header(AUTO | FOLD_HAN, min_chars=5), "tests/data/labels.txt"),
    "hardwrapped_blank": (header(BLANK | FOLD_HAN, threshold=180), "tests/data/hardwrapped_en.txt"),
    "edited_merged_auto": (header(AUTO | FOLD_HAN), "tests/data/article_edited_merged_copy.txt"),
    "truncated_replace": (header(AUTO | REPLACE), "tests/data/article_truncated_copy.txt"),
    "pool_en_exact": (header(LINES | EXACT_ONLY, shingle=0), "tests/data/pool_en.txt"),
    "pool_zh_tw_digits": (header(LINES | FOLD_HAN | FOLD_DIGITS, threshold=150, shingle=2),
                          "tests/data/pool_zh_tw.txt"),
}

os.makedirs(OUT, exist_ok=True)
for name, (hdr, path) in SEEDS.items():
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(hdr + trimmed(path))

# Small hand-made seeds: invalid UTF-8 under each policy, U+2029, NEL, BOM, NUL.
body = trimmed("tests/data/article_interleaved.txt", 1200)
cut = body.find(b"\n", 300)
bad = body[:cut] + b"\xff\xc0\xaf\xed\xa0\x80" + body[cut:]
for name, pol in (("invalid_fail", FAIL), ("invalid_skip", SKIP), ("invalid_replace", REPLACE)):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(header(LINES | FOLD_HAN | pol) + bad)
with open(os.path.join(OUT, "separators_blank"), "wb") as f:
    p = b"The quick brown fox jumps over the lazy dog near the river bank."
    f.write(header(BLANK, shingle=2, min_chars=3) + b"\xef\xbb\xbf" + p + b"\r\n\r\nshort\xe2\x80\xa9"
            + p + b"\xc2\x85tail\x00nul\n\n\xe3\x80\x80\nshort\n" + p + b"\xe2\x80\xa8" + p)
