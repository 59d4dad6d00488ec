#!/usr/bin/env python3
"""A CCNet-style line deduplicator: the baseline for "what corpus builders run today".

Usage: ccnet_dedup.py FILE > OUT

Follows the recipe of CCNet's dedup step (Wenzek et al. 2019, facebookresearch/cc_net,
written again here, not copied): each line is normalized (stripped, lower-cased, accents
removed through NFD, every digit made 0, common CJK and typographic punctuation mapped to
ASCII, non-printing characters removed), its SHA-1 cut to 8 bytes is looked up in a set of the
hashes seen so far, and the line is dropped when it is there. Blank lines and the form-feed
lines between documents are kept (CCNet works on paragraphs, so it never sees them). Bytes
that are not UTF-8 are carried through (surrogateescape).

It runs on one core, as CCNet's per-shard step does. Exact after normalization only: no
near-duplicates, no paragraphs of several lines.
"""
import hashlib
import re
import sys
import unicodedata

DIGITS = re.compile(r"\d")
PUNCT = str.maketrans({
    "，": ",", "。": ".", "、": ",", "„": '"', "”": '"', "“": '"', "«": '"', "»": '"',
    "」": '"', "「": '"', "《": '"', "》": '"', "´": "'", "∶": ":", "：": ":", "？": "?",
    "！": "!", "（": "(", "）": ")", "；": ";", "–": "-", "—": " - ", "．": ". ", "～": "~",
    "’": "'", "…": "...", "━": "-", "〈": "<", "〉": ">", "【": "[", "】": "]", "％": "%",
    "►": "-",
})
NON_PRINTING = {c: None for c in list(range(0, 32)) + list(range(127, 160))}


def normalize(line: str) -> str:
    line = line.strip().lower()
    if not line:
        return line
    line = "".join(c for c in unicodedata.normalize("NFD", line)
                   if unicodedata.category(c) != "Mn")
    line = DIGITS.sub("0", line)
    line = line.translate(PUNCT)
    return line.translate(NON_PRINTING)


def main() -> None:
    seen = set()
    out = sys.stdout
    with open(sys.argv[1], encoding="utf-8", errors="surrogateescape", newline="") as f:
        for line in f:
            key = normalize(line)
            if not key:
                out.write(line)
                continue
            h = hashlib.sha1(key.encode("utf-8", "surrogateescape")).digest()[:8]
            if h in seen:
                continue
            seen.add(h)
            out.write(line)


if __name__ == "__main__":
    sys.stdout = open(sys.stdout.fileno(), "w", encoding="utf-8", errors="surrogateescape",
                      newline="", closefd=False)
    main()
