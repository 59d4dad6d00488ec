#!/usr/bin/env python3
"""Builds the held-out no-loss set: scraped-page documents from real text that the tuned
fixtures (tests/data/no_loss, debian-reference chapter 4 and the dpkg/apt/coreutils Korean
catalogs) and the benchmark corpus do not use, with edits of other wording than theirs. Each
document NAME.txt holds look-alikes that must stay or real copies that must go; NAME.expected
is the right output, derived from how the document was built (never from paradedup's output).

This set is scored, not tuned on: score.py prints how many documents come out right, the
lines of look-alikes lost (the no-loss promise: must be 0) and the copy lines left in (recall).
A failure found here is fixed through a new fixture elsewhere, never by editing this set.

Sources (Debian 12 packages):
  en     debian-faq (/usr/share/doc/debian/FAQ/*.en.html, <p> texts)
  zh-cn  fortunes-zh (/usr/share/games/fortunes/chinese.u8: the Debian code of conduct and
         other prose, colour codes stripped)
  zh-tw  manpages-zh, zh_TW sections 5 and 8, the first 80 pages of each in name order
         (rendered by man at MANWIDTH=4000, so that each paragraph is one line)
  ja     manpages-ja, sections 5 and 8 (the same way)
  ko     the ko catalogs of bash, findutils, grep, make, man-db, tar and sed (msgunfmt)

Usage: python3 tests/data/heldout/make_heldout.py   (rewrites tests/data/heldout/*.txt)
"""
import glob
import gzip
import html
import html.parser
import os
import re
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))


class Paragraphs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.buf = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "p":
            self.buf = []

    def handle_endtag(self, tag):
        if tag == "p" and self.buf is not None:
            self.out.append(re.sub(r"\s+", " ", "".join(self.buf)).strip())
            self.buf = None

    def handle_data(self, data):
        if self.buf is not None:
            self.buf.append(data)


def english():
    out = []
    for path in sorted(glob.glob("/usr/share/doc/debian/FAQ/*.en.html")):
        p = Paragraphs()
        with open(path, encoding="utf-8") as f:
            p.feed(f.read())
        out += p.out
    return out


def fortunes():
    with open("/usr/share/games/fortunes/chinese.u8", encoding="utf-8") as f:
        text = re.sub(r"\x1b\[[0-9;]*m", "", f.read())
    out = []
    for entry in text.split("\n%\n"):
        for block in re.split(r"\n\s*\n", entry):
            line = "".join(l.strip() for l in block.split("\n"))
            if not line.startswith("--"):
                out.append(line)
    return out


def man_pages(lang, sections=("5", "8"), per_section=80):
    out = []
    for sec in sections:
        for path in sorted(glob.glob("/usr/share/man/%s/man%s/*.gz" % (lang, sec)))[:per_section]:
            env = dict(os.environ, MANWIDTH="4000", LANG="C.UTF-8")
            r = subprocess.run(["man", "-l", path], capture_output=True, text=True, env=env)
            for line in r.stdout.split("\n"):
                s = re.sub(r"\s+", " ", line).strip()
                if s and not s.startswith("-"):
                    out.append(s)
    return out


def korean():
    out = []
    for mo in ["bash", "findutils", "grep", "make", "man-db", "tar", "sed"]:
        path = "/usr/share/locale/ko/LC_MESSAGES/%s.mo" % mo
        if not os.path.exists(path):
            continue
        po = subprocess.run(["msgunfmt", path], capture_output=True, check=True).stdout
        text = subprocess.run(["msgconv", "-t", "UTF-8"], input=po, capture_output=True,
                              check=True).stdout.decode("utf-8")
        for m in re.findall(r'msgstr ((?:"(?:[^"\\]|\\.)*"\n?)+)', text):
            s = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m))
            s = re.sub(r"\s+", " ", s.replace("\\n", " ").replace('\\"', '"')).strip()
            if re.search("[\uac00-\ud7a3]{2}", s) and not re.search(r"[%`<>\\]|--|  ", s):
                out.append(s)
    return out


def simplified(lines):
    r = subprocess.run(["uconv", "-x", "Traditional-Simplified"], input="\n".join(lines),
                       capture_output=True, text=True, check=True)
    return r.stdout.split("\n")


def traditional(lines):
    r = subprocess.run(["uconv", "-x", "Simplified-Traditional"], input="\n".join(lines),
                       capture_output=True, text=True, check=True)
    return r.stdout.split("\n")


def pick(paras, lo, hi, must=None, avoid=(), n=1, skip=0):
    """n distinct paragraphs of lo..hi characters (matching `must`), after the first `skip`
    that qualify, so that different kinds take different text."""
    got, seen = [], 0
    for p in paras:
        if lo <= len(p) <= hi and p not in avoid and p not in got and (must is None or
                                                                         re.search(must, p)):
            seen += 1
            if seen <= skip:
                continue
            got.append(p)
            if len(got) == n:
                return got
    raise SystemExit("not enough paragraphs for %r" % must)


# Edits of meaning (pattern, replacement), the first that applies, applied once.
NEGATE = {
    "en": [(r"\bcan\b", "cannot"), (r"\bwill\b", "won't"), (r"\bis\b", "isn't"),
           (r"\bare\b", "aren't"), (r"\bshould\b", "should never")],
    "zh-cn": [("可以", "不能"), ("应该", "不应该"), ("会", "不会"), ("要", "不要"), ("有", "没有")],
    "zh-tw": [("可以", "不能"), ("應該", "不應該"), ("會", "不會"), ("要", "不要"), ("有", "沒有")],
    "ja": [("できます", "できない"), ("します。", "しません。"), ("される", "されない"),
           ("する", "しない"), ("ある", "ない")],
    "ko": [("수 있", "수 없"), ("합니다", "하지 않습니다"), ("입니다", "이 아닙니다"),
           ("했습니다", "하지 못했습니다"), ("됩니다", "안 됩니다")],
}
NEGATABLE = {k: "|".join(p for p, _ in v) for k, v in NEGATE.items()}
# A clause of duration appended to a real paragraph, and its look-alike (another magnitude).
DURATION = {
    "en": (" It takes about five minutes.", " It takes about five hours."),
    "zh-cn": ("大约需要五分钟。", "大约需要五小时。"),
    "zh-tw": ("大約需要五分鐘。", "大約需要五小時。"),
    "ja": ("約五分かかります。", "約五時間かかります。"),
    "ko": (" 약 다섯 분 걸립니다.", " 약 다섯 시간 걸립니다."),
}
# A clause with a year; the look-alike changes one digit.
YEAR = {"en": (" This was settled in 2019.", " This was settled in 2009."),
        "zh-cn": ("此事于2019年定下。", "此事于2009年定下。"),
        "zh-tw": ("此事於2019年定下。", "此事於2009年定下。"),
        "ja": ("これは2019年に決まりました。", "これは2009年に決まりました。"),
        "ko": (" 이것은 2019년에 정해졌습니다.", " 이것은 2009년에 정해졌습니다.")}
# A name or a noun swapped for another (a pattern and its replacement).
NAME = {"en": (r"\bDebian\b", "Fedora"), "zh-cn": (r"\bDebian\b", "Fedora"),
        "zh-tw": (r"\bLinux\b", "BSD"), "ja": (r"\bLinux\b", "BSD"), "ko": ("파일", "디렉터리")}
TAG = {"en": "[AP] ", "zh-cn": "【新华社】", "zh-tw": "〔中央社〕", "ja": "【時事通信】",
       "ko": "[뉴시스] "}
SUBHEAD = {"en": "Background", "zh-cn": "背景介绍", "zh-tw": "背景說明", "ja": "背景", "ko": "배경"}
CAPTION = {"en": "Image: the mailing list", "zh-cn": "图为会议现场", "zh-tw": "圖為會議現場",
           "ja": "写真は会議の様子", "ko": "사진은 회의 모습"}
TITLE = {"en": "Debian FAQ digest", "zh-cn": "社区守则摘录", "zh-tw": "系統管理手冊摘錄",
         "ja": "システム管理メモ", "ko": "도구 안내 모음"}
END = {"en": ["Related articles", "0 comments", "Print | Email"],
       "zh-cn": ["相关文章", "0条评论", "打印｜转发"],
       "zh-tw": ["相關文章", "0則留言", "列印｜轉寄"],
       "ja": ["関連記事", "コメント0件", "印刷｜送る"],
       "ko": ["관련 기사", "댓글 0개", "인쇄 | 보내기"]}


def sub_once(p, rules):
    for pat, rep in rules:
        new, n = re.subn(pat, rep, p, count=1)
        if n:
            return new
    raise SystemExit("no edit applies to %r" % p)


def bump_digit(p):
    """The paragraph with its first digit changed, or None when it has none."""
    m = re.search(r"[0-9]", p)
    if not m:
        return None
    d = str((int(m.group()) + 3) % 10)
    return p[: m.start()] + d + p[m.end():]


def escape(p):
    """A scraper's HTML escaping: named and numeric references, curly quotes as numbers."""
    s = html.escape(p, quote=False).replace('"', "&#8220;", 1).replace('"', "&#8221;", 1)
    return s.replace(" ", "&nbsp;", 1)


def damage_space(p, lang):
    """Whitespace and width damage: CJK text gets half-width punctuation and full-width
    Latin letters and digits; space-separated text doubled spaces and a trailing space."""
    if lang in ("en", "ko"):
        return p.replace(" ", "  ", 3) + " "
    half = str.maketrans({"，": ",", "。": ".", "：": ":", "（": "(", "）": ")", "；": ";"})
    full = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" and c.isalnum() else c for c in p)
    return full.translate(half)


def write(name, lines, keep):
    with open(os.path.join(HERE, name + ".txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(HERE, name + ".expected"), "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(l + "\n" for l, k in zip(lines, keep) if k))


def build(lang, paras):
    lo, hi = {"en": (140, 450), "ko": (40, 200)}.get(lang, (40, 180))
    neg = pick(paras, lo, hi, NEGATABLE[lang], skip=3)[0]
    name_p = pick(paras, lo, hi, NAME[lang][0], avoid=[neg], skip=2)[0]
    num_p = pick(paras, lo, hi, r"[0-9]", avoid=[neg, name_p])[0]
    body = pick(paras, lo, hi, avoid=[neg, name_p, num_p], n=5, skip=5)
    head = [TITLE[lang], body[0]]
    end = END[lang]

    def doc(kind, lines, keep):
        assert len(lines) == len(keep)
        write("%s_%s" % (lang, kind), lines, keep)

    def lookalike(kind, original, edited):
        page = head + [body[1], original, SUBHEAD[lang], body[2]] + end[:2]
        doc(kind, page + [edited, end[2]], [1] * (len(page) + 2))

    # Look-alikes that must stay: each page holds a paragraph and, later, its edited twin.
    lookalike("negation", neg, sub_once(neg, NEGATE[lang]))
    a, b = NAME[lang]
    lookalike("name", name_p, re.sub(a, b, name_p, count=1))
    lookalike("number", num_p, bump_digit(num_p))
    d0, d1 = DURATION[lang]
    lookalike("duration", body[3] + d0, body[3] + d1)
    y0, y1 = YEAR[lang]
    lookalike("year", body[4] + y0, body[4] + y1)
    # A doubled body whose copy negates one paragraph: the rest of the copy goes.
    first = [body[1], SUBHEAD[lang], neg, body[2]]
    copy = [body[1], SUBHEAD[lang], sub_once(neg, NEGATE[lang]), body[2]]
    lines = head + first + [CAPTION[lang]] + end[:2] + copy + [end[2]]
    keep = [1] * (len(head) + len(first) + 3) + [0, 0, 1, 0, 1]
    doc("block_negation", lines, keep)

    # Real copies that must go: the body scraped again, with its sub-heading and caption.
    first = [body[1], SUBHEAD[lang], body[2], body[3], CAPTION[lang]]
    page = head + first + end[:2]
    n = len(page)

    def copy_doc(kind, copy):
        doc(kind, page + copy + [end[2]], [1] * n + [0] * len(copy) + [1])

    copy_doc("space_copy", [damage_space(p, lang) for p in first])
    copy_doc("html_copy", [escape(p) for p in first])
    copy_doc("dateline_copy", [TAG[lang] + first[0]] + first[1:])
    # The copy starts in the middle of the body's first paragraph.
    cut = len(body[1]) // 2
    copy_doc("cut_start_copy", [body[1][cut:]] + first[1:])
    if lang == "zh-cn":
        copy_doc("script_copy", traditional(first))
    elif lang == "zh-tw":
        copy_doc("script_copy", simplified(first))
    else:  # the copy with its paragraphs joined in pairs (a scraper that lost line breaks)
        sep = " " if lang in ("en", "ko") else ""
        copy_doc("joined_copy", [first[0] + sep + first[1], first[2] + sep + first[3],
                                 first[4]])


def main():
    for old in glob.glob(os.path.join(HERE, "*.txt")) + glob.glob(os.path.join(HERE, "*.expected")):
        os.remove(old)
    build("en", english())
    build("zh-cn", fortunes())
    build("zh-tw", man_pages("zh_TW"))
    build("ja", man_pages("ja"))
    build("ko", korean())


if __name__ == "__main__":
    main()
