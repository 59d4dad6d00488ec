#!/usr/bin/env python3
"""Builds the no-loss fixtures: scraped-page documents from real text, each holding either a
look-alike that must stay (a paragraph repeated with one change of meaning) or a real copy
that must go (the body scraped twice with some damage). For every document NAME.txt it writes
NAME.expected, the right output, derived from how the document was built (never from
paradedup's output).

Sources (Debian 12 packages, see README.md): debian-reference-common 2.100 chapter 4 (en, ja,
zh-tw; zh-cn is the zh-tw text through `uconv -x Traditional-Simplified`, so the Traditional
and Simplified documents differ only in script), and, for Korean, the ko translations of
dpkg, apt and coreutils (their .mo catalogs, read with msgunfmt). These fixtures are tuned
on; a held-out set must come from other text (debian-faq, fortunes-zh, other catalogs).

Usage: python3 tests/data/no_loss/make_no_loss.py   (rewrites tests/data/no_loss/*.txt)
"""
import glob
import html
import html.parser
import os
import re
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
DOCS = "/usr/share/doc/debian-reference-common/docs"


class Paragraphs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.buf, self.depth = [], None, 0

    def handle_starttag(self, tag, attrs):
        if tag == "p":
            self.buf = []

    def handle_endtag(self, tag):
        if tag == "p" and self.buf is not None:
            text = re.sub(r"\s+", " ", "".join(self.buf)).strip()
            text = re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])",
                          "", text)
            self.out.append(text)
            self.buf = None

    def handle_data(self, data):
        if self.buf is not None:
            self.buf.append(data)


def reference(lang):
    p = Paragraphs()
    with open(os.path.join(DOCS, "ch04.%s.html" % lang), encoding="utf-8") as f:
        p.feed(f.read())
    return p.out


def korean():
    out = []
    for mo in ["dpkg", "apt", "coreutils"]:
        text = subprocess.run(["msgunfmt", "/usr/share/locale/ko/LC_MESSAGES/%s.mo" % mo],
                              capture_output=True, text=True, check=True).stdout
        for m in re.findall(r'msgstr ((?:"(?:[^"\\]|\\.)*"\n?)+)', text):
            s = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m))
            s = re.sub(r"\s+", " ", s.replace("\\n", " ").replace('\\"', '"')).strip()
            if 60 <= len(s) <= 300 and re.search("[\uac00-\ud7a3]{2}", s) and not re.search(
                    r"[%`<>\\]|--|  |\[-\]|[와과] 동일", s):
                out.append(s)
    return out


def simplified(lines):
    r = subprocess.run(["uconv", "-x", "Traditional-Simplified"], input="\n".join(lines),
                       capture_output=True, text=True, check=True)
    return r.stdout.split("\n")


def pick(paras, lo, hi, must=None, avoid=(), n=1):
    got = []
    for p in paras:
        if lo <= len(p) <= hi and p not in avoid and p not in got and (must is None or
                                                                         re.search(must, p)):
            got.append(p)
            if len(got) == n:
                return got
    raise SystemExit("not enough paragraphs for %r" % must)


# Language-specific edits of meaning: (pattern, replacement), applied once.
NEGATE = {
    "en": [(r"\b(is|are|can|will|should|must|does) ", r"\1 not ")],
    "zh-tw": [("可以", "不可以"), ("是", "不是"), ("有", "沒有"), ("會", "不會")],
    "ja": [("できます", "できません"), ("します", "しません"), ("あります", "ありません"),
           ("です", "ではありません")],
    "ko": [("있습니다", "없습니다"), ("합니다", "하지 않습니다"), ("됩니다", "되지 않습니다"),
           ("수 있", "수 없")],
}
NEGATABLE = {"en": r"\b(is|are|can|will|should|must|does) ", "zh-tw": "可以|是|有|會",
             "ja": "できます|します|あります|です", "ko": "있습니다|합니다|됩니다|수 있"}
# A clause with a magnitude or unit, appended to a real paragraph, and its look-alike.
UNIT = {
    "en": (" The download is about 30 megabytes.", " The download is about 30 gigabytes."),
    "zh-tw": ("全部費用約為三萬元。", "全部費用約為三億元。"),
    "ja": ("費用は約三万円です。", "費用は約三万ドルです。"),
    "ko": (" 비용은 약 3만 원입니다.", " 비용은 약 3억 원입니다."),
}
NAME = {"en": ("Debian", "Ubuntu"), "zh-tw": ("Debian", "Ubuntu"), "ja": ("Debian", "Ubuntu"),
        "ko": ("apt", "yum")}
NUMBER = {"en": (" in 1800 cases", " in 1807 cases"), "zh-tw": ("共有1800個", "共有1807個"),
          "ja": ("合計1800件", "合計1807件"), "ko": (" 모두 1800개", " 모두 1807개")}
TAG = {"en": "[Reuters] ", "zh-tw": "【本報訊】", "ja": "【共同通信】", "ko": "[연합뉴스] "}
SUBHEAD = {"en": "What changed", "zh-tw": "市場反應", "ja": "変更点", "ko": "바뀐 점"}
CAPTION = {"en": "Photo: the archive", "zh-tw": "圖為資料照片", "ja": "写真は資料", "ko": "사진은 자료"}
TITLE = {"en": "Debian Reference: notes", "zh-tw": "Debian 參考手冊筆記", "ja": "Debian リファレンス覚え書き",
         "ko": "데비안 참고 사항"}
END = {"en": ["1", "No comments yet", "Share: |"], "zh-tw": ["1", "目前還沒有任何留言", "分享：｜"],
       "ja": ["1", "コメントはまだありません", "共有：｜"], "ko": ["1", "아직 댓글이 없습니다", "공유: |"]}


def sub_once(p, rules):
    for pat, rep in rules:
        new, n = re.subn(pat, rep, p, count=1)
        if n:
            return new
    raise SystemExit("no edit applies to %r" % p)


def escape(p, lang):
    """The HTML escaping a scraper leaves: quotes, ampersands, and for CJK text its
    full-width punctuation written as numeric references."""
    s = html.escape(p, quote=True).replace("&#x27;", "&#39;")
    if lang != "en":
        s = "".join("&#%d;" % ord(c) if c in "，。、：「」（）" else c for c in s)
    if lang in ("en", "ko"):
        s = s.replace(". ", ".&nbsp; ", 1)
    return s


def write(name, lines, keep):
    with open(os.path.join(HERE, name + ".txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(HERE, name + ".expected"), "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(l + "\n" for l, k in zip(lines, keep) if k))


def build(lang, paras, out_lang=None):
    out_lang = out_lang or lang
    lo, hi = {"en": (120, 400), "ko": (50, 300)}.get(lang, (40, 160))
    neg = pick(paras, lo, hi, NEGATABLE[lang])[0]
    name_p = pick(paras, lo, hi, NAME[lang][0], avoid=[neg])[0]
    body = pick(paras, lo, hi, avoid=[neg, name_p], n=4)
    head = [TITLE[lang], body[0]]
    end = END[lang]
    conv = (lambda ls: simplified(ls)) if out_lang == "zh-cn" else (lambda ls: ls)

    def doc(kind, lines, keep):
        write("%s_%s" % (out_lang, kind), conv(lines), keep)

    # Look-alikes that must stay.
    page = head + [body[1], neg, SUBHEAD[lang], body[2]] + end[:2]
    doc("negation", page + [sub_once(neg, NEGATE[lang]), end[2]], [1] * (len(page) + 2))
    u0, u1 = UNIT[lang]
    page = head + [body[1] + u0, SUBHEAD[lang], body[2]] + end[:2]
    doc("unit", page + [body[1] + u1, end[2]], [1] * (len(page) + 2))
    a, b = NAME[lang]
    page = head + [name_p, body[1], body[2]] + end[:2]
    doc("name", page + [name_p.replace(a, b, 1), end[2]], [1] * (len(page) + 2))
    # A doubled body whose copy changed one figure: the rest of the copy goes, that one stays.
    n0, n1 = NUMBER[lang]
    first = [body[1], SUBHEAD[lang], body[2] + n0, body[3]]
    copy = [body[1], SUBHEAD[lang], body[2] + n1, body[3]]
    lines = head + first + [CAPTION[lang]] + end[:2] + copy + [end[2]]
    keep = [1] * (len(head) + len(first) + 3) + [0, 0, 1, 0] + [1]
    doc("block_number", lines, keep)

    # Real copies that must go (the copy with its short sub-heading and caption).
    first = [body[1], SUBHEAD[lang], body[2], body[3], CAPTION[lang]]
    page = head + first + end[:2]
    n = len(page)
    doc("html_copy", page + [escape(p, lang) for p in first] + [end[2]],
        [1] * n + [0] * len(first) + [1])
    doc("tag_copy", page + [TAG[lang] + p for p in first] + [end[2]],
        [1] * n + [0] * len(first) + [1])
    # Re-split: two paragraphs joined into one line, one split in two at a sentence end.
    sep = " " if lang in ("en", "ko") else ""
    cut = max(body[3].find(". "), body[3].find("。"))
    if cut < 10:
        cut = len(body[3]) // 2
    else:
        cut += 1 if body[3][cut] == "。" else 2
    resplit = [body[1] + sep + SUBHEAD[lang], body[2], body[3][:cut].rstrip(),
               body[3][cut:].lstrip(), CAPTION[lang]]
    doc("resplit_copy", page + resplit + [end[2]], [1] * n + [0] * len(resplit) + [1])
    # Truncated: the copy stops in the middle of a paragraph, then the caption again.
    half = body[3][: len(body[3]) // 2]
    trunc = [body[1], SUBHEAD[lang], body[2], half, CAPTION[lang]]
    doc("truncated_copy", page + trunc + [end[2]], [1] * n + [0] * len(trunc) + [1])


def main():
    for old in glob.glob(os.path.join(HERE, "*.txt")) + glob.glob(os.path.join(HERE, "*.expected")):
        os.remove(old)
    build("en", reference("en"))
    zh = reference("zh-tw")
    build("zh-tw", zh)
    build("zh-tw", zh, out_lang="zh-cn")
    build("ja", reference("ja"))
    build("ko", korean())


if __name__ == "__main__":
    main()
