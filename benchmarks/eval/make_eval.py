#!/usr/bin/env python3
"""Builds evaluation documents with known ground truth from real text on this machine.

Sources: debian-reference (en, ja, zh-cn, zh-tw) HTML, man pages (zh_CN, zh_TW, ja, en),
/usr/share/doc/*/changelog.Debian.gz, /usr/share/doc/*/copyright, /usr/share/common-licenses.

Each document is a scraped-page shape (title, body, sub-headings, caption, comment counter,
boilerplate) plus one kind of damage, or a control without repeats. For every document a
JSON sidecar records, per non-blank line, whether it must be kept ("keep"), must be dropped
("drop"), or may go either way ("either"), and which generated unit (paragraph) it belongs to.

Usage: make_eval.py OUTDIR [--seed N] [--per-cell N]
Stdlib only; calls uconv (ICU) for Chinese script conversion and man/col for man pages.
"""
import argparse
import glob
import gzip
import html.parser
import json
import os
import random
import re
import subprocess
import unicodedata

DOCS = "/usr/share/doc/debian-reference-common/docs"
LANGS = ["en", "ja", "zh-cn", "zh-tw"]


def is_wide(ch):
    return unicodedata.east_asian_width(ch) in ("W", "F")


def is_cjk(ch):
    o = ord(ch)
    return (0x3000 <= o <= 0x30FF or 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF
            or 0xFF00 <= o <= 0xFFEF)


def clean_ws(s):
    s = re.sub(r"\s+", " ", s).strip()
    # source wrapping inserts spaces between CJK characters: remove them
    s = re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])", "", s)
    return s


def norm(s):
    s = unicodedata.normalize("NFKC", s).casefold()
    return "".join(c for c in s if c.isalnum())


# ---------------------------------------------------------------------------- debian-reference

class DebRefParser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items = []  # (kind, text): p, h, caption, row
        self.stack = []
        self.buf = None
        self.kind = None
        self.toc = 0
        self.pre = 0
        self.row = None
        self.cell = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = a.get("class", "") or ""
        if tag in ("div", "dl") and "toc" in cls.split():
            self.toc += 1
            self.stack.append(("toc", tag))
            return
        self.stack.append((None, tag))
        if self.toc:
            return
        if tag == "pre":
            self.pre += 1
        if self.pre:
            return
        if tag == "p" and self.buf is None and self.row is None:
            self.buf, self.kind = [], ("caption" if "title" in cls.split() else "p")
        elif tag in ("h2", "h3") and self.buf is None:
            self.buf, self.kind = [], "h"
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag):
        # pop to matching tag
        while self.stack:
            mark, t = self.stack.pop()
            if mark == "toc":
                self.toc -= 1
            if t == tag:
                break
        if self.toc:
            return
        if tag == "pre":
            self.pre = max(0, self.pre - 1)
            return
        if self.pre:
            return
        if tag in ("p", "h2", "h3") and self.buf is not None:
            if (tag == "p") == (self.kind in ("p", "caption")):
                t = clean_ws("".join(self.buf))
                if t:
                    self.items.append((self.kind, t))
                self.buf = None
        elif tag in ("td", "th") and self.cell is not None:
            self.row.append(clean_ws("".join(self.cell)))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if any(self.row):
                self.items.append(("row", self.row))
            self.row = None

    def handle_data(self, data):
        if self.toc or self.pre:
            return
        if self.cell is not None:
            self.cell.append(data)
        elif self.buf is not None:
            self.buf.append(data)


def debref_chapters(lang):
    out = []
    for f in sorted(glob.glob(f"{DOCS}/ch*.{lang}.html")):
        p = DebRefParser()
        p.feed(open(f, encoding="utf-8").read())
        out.append(p.items)
    return out


# ---------------------------------------------------------------------------- page pieces

SITE = {
    "en": dict(site="The Daily Record", credit=" (Reuters)", counter=["1", "3", "12", "4 comments"],
               nocomment="No comments yet.", share="Share:", more="Read more",
               note="Note: | Read the full text on this page |", labels=["Share:", "Read more", "Comments", "Advertisement"]),
    "zh-tw": dict(site="新聞網", credit="（中央社）", counter=["1", "3", "12", "5則留言"],
                  nocomment="還沒有留言，成為第一個留言的人吧", share="分享：｜", more="閱讀更多",
                  note="注意：｜在本頁閱讀全文｜", labels=["分享", "閱讀更多", "留言", "廣告"]),
    "zh-cn": dict(site="新闻网", credit="（新华社）", counter=["1", "3", "12", "5条评论"],
                  nocomment="还没有评论，快来抢沙发吧", share="分享：｜", more="阅读更多",
                  note="注意：｜在本页阅读全文｜", labels=["分享", "阅读更多", "评论", "广告"]),
    "ja": dict(site="ニュース", credit="（共同）", counter=["1", "3", "12", "コメント5件"],
               nocomment="コメントはまだありません", share="シェア：｜", more="続きを読む",
               note="注意：｜このページで全文を読む｜", labels=["シェア", "続きを読む", "コメント", "広告"]),
}


def strip_heading_number(h):
    return re.sub(r"^[0-9A-Z]+(\.[0-9]+)*\.?\s*", "", h).strip()


def uconv(text, tr):
    return subprocess.run(["uconv", "-x", tr], input=text.encode(), capture_output=True,
                          check=True).stdout.decode()


HALF = {"，": ",", "。": ".", "：": ":", "；": ";", "（": "(", "）": ")", "「": "\"", "」": "\"",
        "『": "'", "』": "'", "！": "!", "？": "?", "、": ",", "“": "\"", "”": "\"", "《": "<",
        "》": ">", "【": "[", "】": "]"}


def punct_swap(s, lang):
    if lang == "en":
        # ASCII punctuation to full width
        return "".join(chr(ord(c) + 0xFEE0) if c in ",.:;()!?\"'" else c for c in s)
    return "".join(HALF.get(c, c) for c in s)


def ws_damage(s, lang, rng):
    if lang == "en":
        s = re.sub(r" ", lambda m: rng.choice([" ", " ", "  ", "\t", " "]), s)
        return "  " + s + "  "
    # pangu spacing: spaces between CJK and Latin/digits, plus ideographic space indent
    s = re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef])(?=[A-Za-z0-9])", " ", s)
    s = re.sub(r"(?<=[A-Za-z0-9])(?=[\u3000-\u9fff\uff00-\uffef])", " ", s)
    return "\u3000\u3000" + s + " "


def wrap(s, width):
    """Hard-wraps s at `width` columns (CJK characters are 2 columns; Latin words unbroken)."""
    toks = re.findall(r"[A-Za-z0-9_\-./:'\"()<>=,;!?@#$%&*+\[\]{}|~`^\\]+| +|.", s)
    lines, cur, w = [], "", 0
    for t in toks:
        tw = sum(2 if is_wide(c) else 1 for c in t)
        if t.isspace():
            if cur and w + tw <= width:
                cur += t
                w += tw
            elif cur:
                lines.append(cur.rstrip())
                cur, w = "", 0
            continue
        if w + tw > width and cur.strip():
            lines.append(cur.rstrip())
            cur, w = "", 0
        cur += t
        w += tw
    if cur.strip():
        lines.append(cur.rstrip())
    return lines


def edit_small(s, lang, rng):
    """A few small edits (about 5-8% of tokens)."""
    if lang == "en":
        words = s.split(" ")
        k = max(1, len(words) // 15)
        for _ in range(k):
            i = rng.randrange(len(words))
            words[i] = rng.choice(["very", "also", "new", "other", "this", "it"])
        return " ".join(words)
    chars = list(s)
    idx = [i for i, c in enumerate(chars) if is_cjk(c) and c not in HALF]
    k = max(1, len(chars) // 18)
    for i in rng.sample(idx, min(k, len(idx))):
        chars[i] = rng.choice("的是在了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经")
    return "".join(chars)


def join_paras(a, b, lang):
    return a + (" " if lang == "en" else "") + b


# ---------------------------------------------------------------------------- document model

class Doc:
    def __init__(self, lang, damage, fmt, source):
        self.lang, self.damage, self.fmt, self.source = lang, damage, fmt, source
        self.units = []  # (text, expect, role)

    def add(self, text, expect="keep", role="body"):
        self.units.append((text, expect, role))

    def render(self, rng):
        """Returns (bytes, lines-annotation). fmt: lines, lines_gap, blank; +'_crlf'."""
        base = self.fmt.replace("_crlf", "")
        nl = "\r\n" if self.fmt.endswith("_crlf") else "\n"
        out, ann = [], []
        width = rng.randrange(60, 81)
        for ui, (text, expect, role) in enumerate(self.units):
            if text == "":
                out.append("")
                continue
            if base == "blank":
                w = width if role != "rewrap" else width - rng.randrange(8, 16)
                ls = wrap(text, w) if role not in ("raw",) else text.split("\n")
                if out and out[-1] != "" and role != "glue":
                    out.append("")
                for l in ls:
                    out.append(l)
                    ann.append((ui, expect, role))
            else:
                ls = text.split("\n") if role in ("raw", "rewrap") else [text]
                if base == "lines_gap" and out and out[-1] != "":
                    out.append("")
                for l in ls:
                    if l.strip() == "":
                        out.append("")
                        continue
                    out.append(l)
                    ann.append((ui, expect, role))
        return (nl.join(out) + nl).encode("utf-8"), ann


def body_window(chapters, rng, k):
    """k consecutive real paragraphs (with at most 2 headings between) from one chapter."""
    for _ in range(200):
        items = rng.choice(chapters)
        ps = [i for i, it in enumerate(items) if it[0] == "p"]
        if len(ps) < k + 2:
            continue
        start = rng.choice(ps[: len(ps) - k - 1])
        body, heads, caps, n = [], 0, [], 0
        i = start
        while i < len(items) and n < k:
            kind, t = items[i]
            if kind == "p" and len(norm(t)) >= 8:
                body.append(("p", t, i))
                n += 1
            elif kind == "h" and heads < 2 and body:
                h = strip_heading_number(t)
                if h and len(norm(h)) < 20:
                    body.append(("h", h, i))
                    heads += 1
            elif kind == "caption":
                caps.append(t)
            i += 1
        if n < k:
            continue
        ns = [norm(t) for _, t, _ in body]
        if len(set(ns)) != len(ns):
            continue  # the real text repeats itself here: not a clean window
        # a caption: the nearest table title after the window
        cap = None
        for j in range(i, min(len(items), i + 60)):
            if items[j][0] == "caption" and len(norm(items[j][1])) >= 20:
                cap = items[j][1]
                break
        if cap is None:
            continue
        return body, cap, items, start, chapters.index(items)
    raise RuntimeError("no window")


def other_paragraph(items, start, rng, avoid):
    ps = [t for kind, t in items if kind == "p" and len(norm(t)) >= 40 and t not in avoid]
    if len(ps) < 3:  # a short chapter: any chapter of the same edition
        for chs in pools_cache["debref"].values():
            if any(items is c for c in chs):
                ps = [t for c in chs for kind, t in c if kind == "p" and len(norm(t)) >= 40
                      and t not in avoid]
    return rng.choice(ps)


DAMAGES = ["control", "exact", "exact_short", "script", "script_vocab", "punct", "ws", "rewrap", "truncated", "edited",
           "merged", "interleaved", "caption", "boiler2", "extended", "replaced"]


def make_page(lang, damage, fmt, chapters, rng):
    s = SITE[lang]
    k = rng.randrange(5, 16)
    body, cap, items, start, chap = body_window(chapters, rng, k)
    idx = [i for _, _, i in body]
    body = [(kind, t) for kind, t, _ in body]
    if damage == "exact_short":
        # short paragraphs (one sentence per line), as in much Chinese news
        sb = []
        for kind, t in body:
            if kind != "p":
                sb.append((kind, t))
                continue
            sents = re.findall(r".+?(?:[。！？]|[.!?](?= |$)|$)", t)
            sb += [("p", x.strip()) for x in sents if x.strip()]
        body = sb[: max(6, k)]
    cap = cap + s["credit"]
    d = Doc(lang, damage, fmt, "debian-reference")
    title_src = strip_heading_number(next((t for kind, t in items if kind == "h"), "News"))
    d.add(f"{title_src} - {s['site']}", role="title")
    if damage == "boiler2" or rng.random() < 0.3:
        d.add(s["share"], role="label")
    for kind, t in body:
        d.add(t, role="body" if kind == "p" else "subhead")
    d.add("", role="sep")
    d.add(cap, role="caption")
    d.add(rng.choice(s["counter"]), role="counter")
    d.add(s["nocomment"], role="boiler")
    lead, rest = body[0], body[1:]
    copy = [t for _, t in rest]
    kinds = [kind for kind, _ in rest]
    longs = [i for i, (kind, t) in enumerate(rest) if kind == "p" and len(norm(t)) >= 30]

    def add_copy(texts, expect="drop", role="copy"):
        for t in texts:
            d.add(t, expect, role)

    if damage == "control":
        pass
    elif damage in ("exact", "exact_short"):
        add_copy(copy)
        d.add(cap, "drop", "copy")
    elif damage == "script":
        tr = "Traditional-Simplified" if lang == "zh-tw" else "Simplified-Traditional"
        conv = uconv("\n".join(copy + [cap]), tr).split("\n")
        add_copy(conv[:-1])
        d.add(conv[-1], "drop", "copy")
    elif damage == "script_vocab":
        # the copy is the other Chinese edition of the same paragraphs (word-level conversion,
        # e.g. 软件包/軟體包, 脚本/指令碼, 信息/資訊), as OpenCC s2twp/tw2sp produce
        other = pools_cache["debref"]["zh-cn" if lang == "zh-tw" else "zh-tw"][chap]
        conv = []
        for (kind, t), i in zip(rest, idx[1:]):
            ok, ot = other[i]
            conv.append(ot if kind == "p" else strip_heading_number(ot))
        add_copy(conv)
        d.add(cap, "drop", "copy")
    elif damage == "punct":
        add_copy([punct_swap(t, lang) for t in copy])
        d.add(punct_swap(cap, lang), "drop", "copy")
    elif damage == "ws":
        add_copy([ws_damage(t, lang, rng) for t in copy])
        d.add(cap, "drop", "copy")
    elif damage == "rewrap":
        w = rng.randrange(40, 70)
        for t in copy:
            if fmt.startswith("blank"):
                d.add(t, "drop", "rewrap")
            else:
                d.add("\n".join(wrap(t, w)), "drop", "rewrap")
        d.add(cap, "drop", "copy")
    elif damage == "truncated":
        j = rng.choice(longs) if longs else len(copy) - 1
        add_copy(copy[:j])
        t = copy[j]
        cut = int(len(t) * rng.uniform(0.3, 0.8))
        d.add(t[:cut], "drop", "copy")
    elif damage == "edited":
        j = rng.choice(longs)
        c = list(copy)
        c[j] = edit_small(c[j], lang, rng)
        add_copy(c)
        d.add(cap, "drop", "copy")
    elif damage == "merged":
        pairs = [i for i in range(len(copy) - 1) if kinds[i] == "p" and kinds[i + 1] == "p"]
        j = rng.choice(pairs)
        c = copy[:j] + [join_paras(copy[j], copy[j + 1], lang)] + copy[j + 2:]
        add_copy(c)
        d.add(cap, "drop", "copy")
    elif damage == "interleaved":
        # the original body and its copy interleaved in chunks of two paragraphs: rebuild
        d.units = [u for u in d.units if u[2] not in ("body", "subhead")]
        pos = 1 + (1 if d.units[1][2] == "label" else 0)
        seq = [(lead[1], "keep", "body")]
        for i in range(0, len(rest), 2):
            chunk = rest[i:i + 2]
            seq += [(t, "keep", "body" if kd == "p" else "subhead") for kd, t in chunk]
            seq += [(t, "drop", "copy") for kd, t in chunk]
        d.units[pos:pos] = seq
    elif damage == "caption":
        d.add(cap, "drop", "copy")
    elif damage == "boiler2":
        d.add(rng.choice(s["labels"]), "keep", "label")
    elif damage == "extended":
        # a copy whose one paragraph gained new text as long as the old: the new text must stay
        j = rng.choice(longs)
        extra = other_paragraph(items, start, rng, set(t for _, t in body))
        while len(extra) < 0.6 * len(copy[j]):
            extra = join_paras(extra, other_paragraph(items, start, rng, set(t for _, t in body)), lang)
        extra = extra[: max(len(copy[j]), int(len(extra) * 0.9))]
        for i, t in enumerate(copy):
            if i == j:
                d.add(join_paras(t, extra, lang), "keep", "extended")
            else:
                d.add(t, "drop", "copy")
        d.add(cap, "drop", "copy")
    elif damage == "replaced":
        # one paragraph of the copy is a different real paragraph: new text, keep it
        j = rng.choice([i for i in longs if 0 < i < len(copy) - 1] or longs)
        extra = other_paragraph(items, start, rng, set(t for _, t in body))
        for i, t in enumerate(copy):
            if i == j:
                d.add(extra, "keep", "replaced")
            else:
                d.add(t, "drop", "copy")
        d.add(cap, "drop", "copy")
    d.add("", role="sep")
    d.add("", role="sep")
    d.add(s["share"], "keep", "label")
    d.add(s["note"], "keep", "boiler")
    return d


# ---------------------------------------------------------------------------- controls

def man_text(path):
    env = dict(os.environ, MANWIDTH=str(random.choice([72, 80])), LC_ALL="C.UTF-8")
    r = subprocess.run(f"man -l '{path}' 2>/dev/null | col -bx", shell=True, capture_output=True,
                       env=env)
    return r.stdout.decode("utf-8", "replace")


def window(lines, rng, lo, hi):
    n = rng.randrange(lo, hi)
    if len(lines) <= n:
        return lines
    s = rng.randrange(0, len(lines) - n)
    # start and end at blank lines when possible
    while s > 0 and lines[s - 1].strip():
        s -= 1
    e = s + n
    while e < len(lines) and lines[e].strip():
        e += 1
    return lines[s:e]


def control_raw(lines, lang, kind, fmt):
    """A control document from real lines (as is). Exact repeats (normalized) are 'either'."""
    d = Doc(lang, kind, fmt, kind)
    seen_lines, seen_paras = set(), set()
    # paragraphs by blank lines
    paras, cur = [], []
    for l in lines + [""]:
        if l.strip():
            cur.append(l)
        elif cur:
            paras.append(cur)
            cur = []
    for p in paras:
        pn = norm("".join(p))
        para_rep = pn in seen_paras and pn != ""
        seen_paras.add(pn)
        ls = []
        for l in p:
            n = norm(l)
            rep = para_rep or (n in seen_lines and n != "")
            seen_lines.add(n)
            ls.append((l, "either" if rep else "keep"))
        for l, e in ls:
            d.units.append((l, e, "glue" if l is not ls[0][0] else "raw"))
    return d


def control_doc(kind, rng, pools):
    fmt = "natural"
    if kind == "man":
        lang, path = rng.choice(pools["man"])
        txt = man_text(path).split("\n")
        ls = window([l.rstrip() for l in txt], rng, 30, 90)
        return control_raw(ls, lang, "man", fmt), path
    if kind == "changelog":
        path = rng.choice(pools["changelog"])
        txt = gzip.open(path, "rt", encoding="utf-8", errors="replace").read().split("\n")
        return control_raw(window([l.rstrip() for l in txt], rng, 40, 120), "en", "changelog", fmt), path
    if kind == "copyright":
        path = rng.choice(pools["copyright"])
        txt = open(path, encoding="utf-8", errors="replace").read().split("\n")
        return control_raw(window([l.rstrip() for l in txt], rng, 40, 150), "en", "copyright", fmt), path
    if kind == "license":
        path = rng.choice(pools["license"])
        txt = open(path, encoding="utf-8", errors="replace").read().split("\n")
        return control_raw(window([l.rstrip() for l in txt], rng, 40, 120), "en", "license", fmt), path
    if kind == "table":
        lang = rng.choice(LANGS)
        items = rng.choice([it for it in pools["debref"][lang]])
        tables, cur = [], []
        for it in items:
            if it[0] == "row":
                cur.append(it[1])
            elif cur:
                tables.append(cur)
                cur = []
        tables = [t for t in tables if len(t) >= 6]
        if not tables:
            return None, None
        t = rng.choice(tables)
        sep = rng.choice(["\t", " | ", "  "])
        ls = [sep.join(c for c in row) for row in t]
        return control_raw(ls, lang, "table", fmt), f"debian-reference {lang} table"
    raise ValueError(kind)


pools_cache = {}


def pools_init():
    man = []
    for lang, d in [("zh-cn", "zh_CN"), ("zh-tw", "zh_TW"), ("ja", "ja"), ("en", "")]:
        fs = sorted(glob.glob(f"/usr/share/man/{d}/man[1-8]/*.gz" if d else "/usr/share/man/man[1-8]/*.gz"))
        man += [(lang, f) for f in fs]
    return dict(
        man=man,
        changelog=sorted(glob.glob("/usr/share/doc/*/changelog.Debian.gz")),
        copyright=sorted(glob.glob("/usr/share/doc/*/copyright")),
        license=sorted(f for f in glob.glob("/usr/share/common-licenses/*") if os.path.isfile(f)),
        debref={l: debref_chapters(l) for l in LANGS},
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-cell", type=int, default=4)
    ap.add_argument("--controls", type=int, default=60)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    random.seed(a.seed)
    os.makedirs(a.outdir, exist_ok=True)
    pools = pools_init()
    pools_cache.update(pools)
    fmts = ["lines", "lines_gap", "blank", "lines_crlf", "blank_crlf"]
    n = 0
    for lang in LANGS:
        chapters = pools["debref"][lang]
        for damage in DAMAGES:
            if damage.startswith("script") and not lang.startswith("zh"):
                continue
            for r in range(a.per_cell):
                fmt = fmts[(r + DAMAGES.index(damage)) % len(fmts)]
                for _ in range(50):
                    try:  # a window without the paragraphs this damage needs: another one
                        d = make_page(lang, damage, fmt, chapters, rng)
                        break
                    except (IndexError, ValueError):
                        continue
                write(a.outdir, n, d, rng)
                n += 1
    kinds = ["man", "changelog", "copyright", "license", "table"]
    for i in range(a.controls):
        kind = kinds[i % len(kinds)]
        d, src = control_doc(kind, rng, pools)
        if d is None:
            continue
        d.source = src
        write(a.outdir, n, d, rng)
        n += 1
    print(f"{n} documents in {a.outdir}")


def write(outdir, n, d, rng):
    if d.fmt == "natural":
        data, ann = render_natural(d)
        expect_mode = None
    else:
        data, ann = d.render(rng)
        expect_mode = "blank" if d.fmt.startswith("blank") else "lines"
    name = f"{n:04d}_{d.lang}_{d.damage}_{d.fmt}"
    with open(os.path.join(outdir, name + ".txt"), "wb") as f:
        f.write(data)
    meta = dict(name=name, lang=d.lang, damage=d.damage, fmt=d.fmt, source=d.source,
                expect_mode=expect_mode,
                lines=[dict(unit=u, expect=e, role=r) for u, e, r in ann])
    with open(os.path.join(outdir, name + ".json"), "w") as f:
        json.dump(meta, f, ensure_ascii=False)


def render_natural(d):
    out, ann = [], []
    prev_glue = False
    unit = -1
    for t, e, role in d.units:
        if role == "raw" and out:
            out.append("")
        if role == "raw":
            unit += 1
        out.append(t)
        ann.append((unit, e, role))
    return ("\n".join(out) + "\n").encode("utf-8"), ann


if __name__ == "__main__":
    main()
