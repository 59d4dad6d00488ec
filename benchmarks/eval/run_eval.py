#!/usr/bin/env python3
"""Runs the paradedup CLI (default options) on documents from make_eval.py and scores them.

Usage: run_eval.py EVALDIR [--bin PATH] [--failures DIR] [--top N] [--extra ARGS]

Per document: exact match (every line as expected), units wrongly removed (with the text and
what the report says it repeats), units wrongly kept, auto-mode errors. Summary table by
language x damage kind; top failure cases copied to --failures (default /tmp/eval_failures/).
"""
import argparse
import collections
import glob
import json
import os
import shutil
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_BIN = os.path.join(HERE, "..", "..", "build-eval", "examples", "paradedup")


def run(binpath, path, extra):
    r = subprocess.run([binpath, "--mark", "--report", "-", "-q", *extra, path],
                       capture_output=True)
    marks = []
    for l in r.stdout.decode("utf-8", "replace").split("\n"):
        if not l:
            continue
        flag, _, text = l.partition("\t")
        marks.append((flag == "1", text.rstrip("\r")))
    rep = None
    for l in r.stderr.decode("utf-8", "replace").split("\n"):
        if l.startswith("{"):
            rep = json.loads(l)
    return r.returncode, marks, rep


def score(meta, data, marks, rep):
    lines = [l for l in data.decode("utf-8").replace("\r\n", "\n").split("\n") if l.strip()]
    ann = meta["lines"]
    res = dict(wrong_removed=[], wrong_kept=[], mode_error=False, misaligned=False)
    if len(marks) != len(ann) or len(lines) != len(ann):
        res["misaligned"] = True
        return res
    by_line = {}
    if rep:
        for rm in rep["removed"]:
            by_line[rm["line"]] = rm
    # line number (1-based, all lines) of each non-blank line
    all_lines = data.decode("utf-8").replace("\r\n", "\n").split("\n")
    nb_lineno = [i + 1 for i, l in enumerate(all_lines) if l.strip()]
    units = collections.OrderedDict()
    for k, (a, (dropped, text)) in enumerate(zip(ann, marks)):
        u = units.setdefault(a["unit"], dict(expect=set(), dropped=[], lines=[], role=a["role"]))
        u["expect"].add(a["expect"])
        u["dropped"].append(dropped)
        u["lines"].append((nb_lineno[k], text))
    for ui, u in units.items():
        exp = u["expect"]
        # per line check
        for (ln, text), dropped, a in zip(u["lines"], u["dropped"], [None] * len(u["lines"])):
            pass
        line_exp = [ann[i]["expect"] for i in range(len(ann)) if ann[i]["unit"] == ui]
        bad_rm = [(ln, t) for (ln, t), d, e in zip(u["lines"], u["dropped"], line_exp)
                  if d and e == "keep"]
        bad_keep = [(ln, t) for (ln, t), d, e in zip(u["lines"], u["dropped"], line_exp)
                    if not d and e == "drop"]
        if bad_rm:
            ln = bad_rm[0][0]
            info = find_removal(rep, all_lines, ln)
            res["wrong_removed"].append(dict(unit=ui, role=u["role"], lines=bad_rm, why=info))
        if bad_keep:
            res["wrong_kept"].append(dict(unit=ui, role=u["role"], lines=bad_keep))
    if meta.get("expect_mode") and rep:
        em = meta["expect_mode"]
        if rep["mode"] != em and not (meta["fmt"].startswith("lines_gap")):
            res["mode_error"] = True
    return res


def find_removal(rep, all_lines, ln):
    if not rep:
        return None
    best = None
    for rm in rep["removed"]:
        if rm["line"] <= ln:
            best = rm
    if best is None:
        return None
    of = best.get("duplicate_of_line")
    return dict(kind=best["kind"], similarity=best.get("similarity"), line=best["line"],
                duplicate_of_line=of,
                duplicate_of_text=all_lines[of - 1][:160] if of else None,
                also_of=best.get("also_of"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("evaldir")
    ap.add_argument("--bin", default=DEFAULT_BIN)
    ap.add_argument("--failures", default="/tmp/eval_failures")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--extra", default="")
    ap.add_argument("--json", default=None, help="write per-document results here")
    a = ap.parse_args()
    extra = a.extra.split() if a.extra else []
    os.makedirs(a.failures, exist_ok=True)
    table = collections.defaultdict(lambda: collections.Counter())
    failures = []
    allres = []
    for mp in sorted(glob.glob(os.path.join(a.evaldir, "*.json"))):
        meta = json.load(open(mp))
        tp = mp[:-5] + ".txt"
        data = open(tp, "rb").read()
        rc, marks, rep = run(a.bin, tp, extra)
        res = score(meta, data, marks, rep)
        res["rc"] = rc
        key = (meta["lang"], meta["damage"])
        c = table[key]
        c["docs"] += 1
        ok = not (res["wrong_removed"] or res["wrong_kept"] or res["misaligned"] or rc)
        c["exact_match"] += ok
        c["wrong_removed"] += len(res["wrong_removed"])
        c["wrong_kept"] += len(res["wrong_kept"])
        c["mode_err"] += res["mode_error"]
        c["misaligned"] += res["misaligned"] or bool(rc)
        c["expected_drop_units"] += len({l["unit"] for l in meta["lines"] if l["expect"] == "drop"})
        res["name"] = meta["name"]
        res["fmt"] = meta["fmt"]
        res["mode"] = rep["mode"] if rep else None
        res["source"] = meta.get("source")
        allres.append(res)
        if not ok:
            failures.append((meta, tp, res))
    # summary
    print(f"{'lang':6} {'damage':12} {'docs':>4} {'exact':>5} {'wrongRm':>7} {'wrongKept':>9} "
          f"{'dropUnits':>9} {'modeErr':>7} {'misal':>5}")
    tot = collections.Counter()
    for (lang, dmg), c in sorted(table.items()):
        tot.update(c)
        print(f"{lang:6} {dmg:12} {c['docs']:4} {c['exact_match']:5} {c['wrong_removed']:7} "
              f"{c['wrong_kept']:9} {c['expected_drop_units']:9} {c['mode_err']:7} {c['misaligned']:5}")
    print(f"{'ALL':19} {tot['docs']:4} {tot['exact_match']:5} {tot['wrong_removed']:7} "
          f"{tot['wrong_kept']:9} {tot['expected_drop_units']:9} {tot['mode_err']:7} {tot['misaligned']:5}")
    # by damage over languages
    print()
    bydmg = collections.defaultdict(collections.Counter)
    for (lang, dmg), c in table.items():
        bydmg[dmg].update(c)
    for dmg, c in sorted(bydmg.items()):
        print(f"  {dmg:12} docs {c['docs']:3}  exact-match {c['exact_match']:3}  "
              f"wrongly-removed units {c['wrong_removed']:3}  wrongly-kept units {c['wrong_kept']:3}  "
              f"mode errors {c['mode_err']}")
    # failures: wrongly removed first
    failures.sort(key=lambda f: (-len(f[2]["wrong_removed"]), -len(f[2]["wrong_kept"])))
    print("\nTop failures:")
    for meta, tp, res in failures[: a.top]:
        dst = os.path.join(a.failures, os.path.basename(tp))
        shutil.copy(tp, dst)
        print(f"- {dst} [{meta['lang']} {meta['damage']} {meta['fmt']} mode={res['mode']} "
              f"src={res['source']}]")
        if res["misaligned"] or res["rc"]:
            print(f"    misaligned/rc={res['rc']}")
        for w in res["wrong_removed"][:4]:
            ln, t = w["lines"][0]
            print(f"    WRONGLY REMOVED ({w['role']}) line {ln}: {t[:110]!r}")
            if w["why"]:
                y = w["why"]
                print(f"       as {y['kind']} sim={y['similarity']} of line {y['duplicate_of_line']}: "
                      f"{(y['duplicate_of_text'] or '')[:110]!r}")
        for w in res["wrong_kept"][:4]:
            ln, t = w["lines"][0]
            print(f"    WRONGLY KEPT ({w['role']}) line {ln}: {t[:110]!r}")
    if a.json:
        json.dump(allres, open(a.json, "w"), ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
