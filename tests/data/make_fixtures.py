#!/usr/bin/env python3
"""Regenerates the end-to-end fixtures of tests/test_deduplicate.cpp (see README.md).

Run from anywhere: python3 tests/data/make_fixtures.py
Needs Debian packages: debian-reference-common (+ -en, -ja, -zh-tw docs), base-files
(/usr/share/common-licenses), icu-devtools (uconv), coreutils (fmt). Deterministic: the
same package versions give the same bytes.
"""
import html.parser
import os
import re
import subprocess
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ARTICLE = os.path.join(ROOT, "examples", "data", "article.txt")
DOCS = "/usr/share/doc/debian-reference-common/docs"


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)


def run(cmd, text):
    return subprocess.run(cmd, input=text.encode("utf-8"), stdout=subprocess.PIPE,
                          check=True).stdout.decode("utf-8")


def to_simplified(text):
    return run(["uconv", "-f", "utf-8", "-t", "utf-8", "-x", "Traditional-Simplified"], text)


def wrap(text, width):
    return run(["fmt", "-w", str(width)], text).rstrip("\n")


def wrap_cjk(text, width):
    """Hard-wraps at `width` terminal columns, anywhere (wide characters count 2), as
    Japanese and Chinese text is wrapped: fmt only breaks at spaces."""
    out, line, cols = [], "", 0
    for c in text:
        w = 2 if unicodedata.east_asian_width(c) in "WF" else 1
        if cols + w > width:
            out.append(line.rstrip(" "))
            line, cols = "", 0
            if c == " ":
                continue
        line += c
        cols += w
    out.append(line)
    return "\n".join(out)


class Blocks(html.parser.HTMLParser):
    """Text of each <p> and heading of a DocBook HTML page, whitespace collapsed."""

    def __init__(self):
        super().__init__()
        self.out, self.cur = [], None

    def handle_starttag(self, tag, attrs):
        if tag in ("p", "h1", "h2", "h3") and self.cur is None:
            self.cur = [tag, []]

    def handle_endtag(self, tag):
        if self.cur and tag == self.cur[0]:
            self.out.append((tag, re.sub(r"\s+", " ", "".join(self.cur[1])).strip()))
            self.cur = None

    def handle_data(self, data):
        if self.cur:
            self.cur[1].append(data)


def blocks(page):
    p = Blocks()
    with open(os.path.join(DOCS, page), encoding="utf-8") as f:
        p.feed(f.read())
    return p.out


def paragraphs(page):
    return [t for tag, t in blocks(page) if tag == "p"]


def has_kana(s):
    return any("\u3041" <= c <= "\u30ff" for c in s)


def has_han(s):
    return any("\u4e00" <= c <= "\u9fff" for c in s)


def grams(s, n=5):
    s = "".join(c.lower() for c in s if c.isalnum())
    return {s[i:i + n] for i in range(max(1, len(s) - n + 1))}


def distinct(paras, limit, max_overlap=0.3):
    """First `limit` paragraphs whose character 5-grams overlap no earlier pick by more
    than max_overlap (either direction): the pool must hold no near copies."""
    picked, seen = [], []
    for p in paras:
        g = grams(p)
        if any(len(g & h) > max_overlap * min(len(g), len(h)) for h in seen):
            continue
        picked.append(p)
        seen.append(g)
        if len(picked) == limit:
            break
    return picked


# --- The example article and its harder forms (one paragraph per line) -------------------
with open(ARTICLE, encoding="utf-8") as f:
    lines = f.read().split("\n")  # 27 lines + "" after the final LF
assert len(lines) == 28 and lines[27] == ""
head, copy, tail = lines[:14], lines[14:23], lines[23:]  # copy = lines 15-23


def article_with(copy_lines):
    return "\n".join(head + copy_lines + tail)


write("article_crlf.txt", "\r\n".join(lines[:27]) + "\r\n")
write("article_simplified_copy.txt",
      article_with(to_simplified("\n".join(copy) + "\n").rstrip("\n").split("\n")))
halfwidth = str.maketrans({"，": ",", "。": ".", "「": '"', "」": '"', "、": ",",
                           "（": "(", "）": ")", "：": ":", "！": "!", "？": "?"})
write("article_halfwidth_copy.txt", article_with([l.translate(halfwidth) for l in copy]))

# Copy with line 17 (a copy of line 5) edited in three places, one character each (a
# copy-editor's touch, similarity about 0.81: below the 0.85 threshold, so it goes with the
# block as a bridge), and lines 19 and 20 (copies of lines 7 and 8) merged into one line.
edited = list(copy)
e = edited[2]
for old, new in (("樂見", "樂意"), ("提前", "提早"), ("部分", "部份")):
    assert old in e
    e = e.replace(old, new, 1)
edited[2] = e
edited[4:6] = [edited[4] + edited[5]]
write("article_edited_merged_copy.txt", article_with(edited))

# Copy whose line 17 (a copy of line 5) has a sentence of new facts appended: not a repeat,
# it must stay (the new sentence would be lost), and the block splits around it.
extended = list(copy)
extended[2] = extended[2] + "此外，該公司證實將於下月在東京設立亞洲研發中心，首批招募兩百名工程師。"
write("article_extended_copy.txt", article_with(extended))

# Copy that stops in the middle of its sixth paragraph (line 20, a copy of line 8).
cut = copy[:5] + [copy[5][:len(copy[5]) // 2]]
write("article_truncated_copy.txt", article_with(cut))

# Interleaved: title, p1 p2 p1 p2 p3 p4 p3 p4, boilerplate (p1..p4 = lines 3, 4, 5, 7).
p1, p2, p3, p4 = lines[2], lines[3], lines[4], lines[6]
write("article_interleaved.txt",
      "\n".join([lines[0], p1, p2, p1, p2, p3, p4, p3, p4, lines[12], lines[13]]) + "\n")

# --- English, hard-wrapped at 72 columns, the repeat re-wrapped at 60 --------------------
en = [p for p in paragraphs("ch01.en.html") if 250 <= len(p) <= 700 and '"' not in p]
en = distinct(en, 7)
doc = [wrap(p, 72) for p in en[:6]] + [wrap(p, 60) for p in en[1:5]] + [wrap(en[6], 72)]
write("english_rewrapped.txt", "\n\n".join(doc) + "\n")

# --- Japanese, a news-like article with a doubled body -----------------------------------
ja_blocks = blocks("ch01.ja.html")
ja_title = next(t for tag, t in ja_blocks if tag == "h1")
ja_heading = "1.1.3. root アカウント"
assert any(t == ja_heading for tag, t in ja_blocks)
ja = distinct([t for tag, t in ja_blocks if tag == "p" and has_kana(t) and 60 <= len(t) <= 260],
              7)
ja_caption = next(t for tag, t in ja_blocks if t.startswith("これであなたはシェルの中にいます")) \
    + "（Debian）"
ja_body = [ja[1], ja[2], ja_heading, ja[3], ja[4], ja[5]]
ja_doc = ([ja_title, ja[0]] + ja_body + ["", ja_caption, "1",
          "コメントはまだありません。最初のコメントを書きましょう！"] + ja_body +
          [ja_caption, "", "", "シェア：｜", "注意：｜全文はこのページでお読みください｜"])
write("japanese_article.txt", "\n".join(ja_doc) + "\n")

# --- Short labels that repeat legitimately between distinct paragraphs -------------------
zh = distinct([p for p in paragraphs("ch01.zh-tw.html") if has_han(p) and 50 <= len(p) <= 200],
              4)
mix = [en[0], zh[0], ja[0], en[1], zh[1], ja[1], en[2], zh[2]]
labels = ["Note:", "例：", "Share"]
doc = []
for i, p in enumerate(mix):
    doc += [labels[i % 3], p]
    if i % 2:
        doc += ["1"]
write("labels.txt", "\n".join(doc) + "\n")

# --- Documents without repeats ----------------------------------------------------------
for src, dst in (("/usr/share/common-licenses/GPL-3", "norepeat_gpl3.txt"),
                 ("/usr/share/common-licenses/Apache-2.0", "norepeat_apache2.txt")):
    with open(src, "rb") as f:
        write(dst, f.read())
write("norepeat_zh_tw.txt", "\n".join(
    distinct([p for p in paragraphs("ch02.zh-tw.html") if has_han(p) and len(p) >= 30], 60))
    + "\n")
write("norepeat_ja_wrapped.txt", "\n\n".join(
    wrap_cjk(p, 72) for p in distinct([p for p in paragraphs("ch02.ja.html")
                                  if has_kana(p) and len(p) >= 100], 25)) + "\n")

# --- Pools of distinct real paragraphs for the property tests, one per line --------------
pool_en = distinct([p for p in paragraphs("ch03.en.html") if 120 <= len(p) <= 500], 40)
pool_ja = distinct([p for p in paragraphs("ch03.ja.html") if has_kana(p) and 50 <= len(p) <= 250],
                   40)
pool_zh = distinct([p for p in paragraphs("ch03.zh-tw.html") if has_han(p) and
                    40 <= len(p) <= 250], 40)
# The three pools must not hold near copies of each other either (untranslated English).
everything = distinct(pool_en + pool_ja + pool_zh, 1000)
pool_ja = [p for p in pool_ja if p in everything]
pool_zh = [p for p in pool_zh if p in everything]
write("pool_en.txt", "\n".join(pool_en) + "\n")
write("pool_ja.txt", "\n".join(pool_ja) + "\n")
write("pool_zh_tw.txt", "\n".join(pool_zh) + "\n")
write("pool_zh_cn.txt", to_simplified("\n".join(pool_zh) + "\n"))
