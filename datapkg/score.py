"""``datapkg score PREDICTIONS``: a system's output, in brat standoff, W3C Web Annotation or
PLOVER records, scored against the curated gold of the articles it covers.

- mentions: exact and overlap span precision, recall and F1 (a span and its actor kind), in
  all and per actor kind;
- attributions: for each gold statement (quote) span, whether the system found it, and
  whether its speakers and its relays (reporters) are the gold's (mentions matched by
  overlap), the per-quote measures of PARC-style attribution scoring;
- figures: exact span P/R/F1, and for each gold figure found, value (value, low, high) and
  unit correct;
- acts (PLOVER records only): detection P/R/F1 (records matched to gold acts by overlapping
  offsets, one to one), then type, mode, actor and recipient correct, in all and per type.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from datapkg.annotations import CUE, FIGURE, STATEMENT, Document, Span, documents
from datapkg.errors import FormatError
from datapkg.escape import json_text
from datapkg.formats import package_texts, plover_records, read_brat, read_plover, read_webanno
from datapkg.loader import load

SPEAKER, RELAY = "speaker", "reporter"


def ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def prf(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> dict:
    """Precision over predictions, recall over gold, F1 of the two (None where undefined)."""
    p, r = ratio(tp_pred, n_pred), ratio(tp_gold, n_gold)
    f1 = round(2 * p * r / (p + r), 4) if p is not None and r is not None and p + r else (
        0.0 if p is not None and r is not None else None)
    return {"gold": n_gold, "predicted": n_pred, "precision": p, "recall": r, "f1": f1}


def overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


# ---------------------------------------------------------------------------------------------
# spans


def keyed(docs: list[Document], wanted) -> set[tuple[str, Span]]:
    return {(d.source_id, s) for d in docs for s in d.spans if wanted(s.label)}


def span_scores(gold: set, pred: set) -> dict:
    exact = len(gold & pred)
    def hit(x, pool):
        return any(x[0] == y[0] and x[1].label == y[1].label and overlaps(x[1], y[1]) for y in pool)

    return {"exact": prf(exact, len(pred), exact, len(gold)),
            "overlap": prf(sum(hit(p, gold) for p in pred), len(pred),
                           sum(hit(g, pred) for g in gold), len(gold))}


def mention_scores(gold: list[Document], pred: list[Document], kinds: set[str]) -> dict:
    g, p = keyed(gold, kinds.__contains__), keyed(pred, kinds.__contains__)
    per_kind = {kind: span_scores({x for x in g if x[1].label == kind}, {x for x in p if x[1].label == kind})
                for kind in sorted({x[1].label for x in g | p})}
    return {**span_scores(g, p), "per_kind": per_kind}


def sources_of(doc: Document, statement: Span, role: str) -> list[Span]:
    return [r.source for r in doc.links if r.label == role and r.target == statement]


def same_mentions(gold: list[Span], pred: list[Span]) -> bool:
    """Every gold mention overlapped by a predicted one and every predicted one by a gold one."""
    return (all(any(overlaps(g, p) for p in pred) for g in gold)
            and all(any(overlaps(p, g) for g in gold) for p in pred))


def attribution_scores(gold: list[Document], pred: list[Document]) -> dict:
    predicted = {d.source_id: d for d in pred}
    counts = Counter()
    for doc in gold:
        other = predicted[doc.source_id]
        for quote in (s for s in doc.spans if s.label == STATEMENT):
            counts["quotes"] += 1
            if quote not in other.spans:
                continue
            counts["found"] += 1
            right = {role: same_mentions(sources_of(doc, quote, role), sources_of(other, quote, role))
                     for role in (SPEAKER, RELAY)}
            counts["speaker_correct"] += right[SPEAKER]
            counts["relay_correct"] += right[RELAY]
            counts["both_correct"] += right[SPEAKER] and right[RELAY]
    n = counts["quotes"]
    kinds = ("found", "speaker_correct", "relay_correct", "both_correct")
    return {"quotes": n, **{k: counts[k] for k in kinds},
            **{f"{k}_accuracy": ratio(counts[k], n) for k in kinds}}


def figure_value(doc: Document, span: Span, names: tuple[str, ...]) -> tuple:
    found = {a.name: a.value for a in doc.attributes if a.target == span}
    return tuple(found.get(n) for n in names)


def figure_scores(gold: list[Document], pred: list[Document]) -> dict:
    g = keyed(gold, FIGURE.__eq__)
    p = keyed(pred, FIGURE.__eq__)
    docs = {("gold", d.source_id): d for d in gold} | {("pred", d.source_id): d for d in pred}
    counts = Counter()
    for source_id, span in g & p:
        for what, names in (("value", ("Value", "Low", "High")), ("unit", ("Unit",))):
            counts[what] += (figure_value(docs["gold", source_id], span, names)
                             == figure_value(docs["pred", source_id], span, names))
    found = len(g & p)
    return {"exact": prf(found, len(p), found, len(g)), "found": found,
            "value_correct": counts["value"], "unit_correct": counts["unit"],
            "value_accuracy": ratio(counts["value"], len(g)), "unit_accuracy": ratio(counts["unit"], len(g))}


# ---------------------------------------------------------------------------------------------
# acts


def offsets(record: dict) -> tuple[int, int]:
    info = record.get("text_info") or {}
    return info.get("start", -1), info.get("end", -1)


def match_acts(gold: list[dict], pred: list[dict]) -> list[tuple[dict, dict]]:
    """Gold and predicted records of one source paired one to one, the largest overlap first."""
    pairs = []
    for g in gold:
        for p in pred:
            (gs, ge), (ps, pe) = offsets(g), offsets(p)
            shared = min(ge, pe) - max(gs, ps)
            if shared > 0:
                pairs.append((-shared, gs, ps, id(g), id(p), g, p))
    used, matched = set(), []
    for *_, g, p in sorted(pairs, key=lambda t: t[:5]):
        if id(g) not in used and id(p) not in used:
            used |= {id(g), id(p)}
            matched.append((g, p))
    return matched


def actor_keys(objects: list[dict]) -> list[set]:
    return [{("id", o.get("actor_id")), ("code", o.get("code"))} - {("id", None), ("code", None)}
            for o in objects]


def same_actors(gold: list[dict], pred: list[dict]) -> bool:
    """Every gold actor named by a predicted one (same actor id or code) and the reverse."""
    g, p = actor_keys(gold), actor_keys(pred)
    return all(any(a & b for b in p) for a in g) and all(any(a & b for a in g) for b in p)


def act_type(record: dict) -> str:
    return "|".join(record.get("event") or []) or "(none)"


def act_scores(gold: list[dict], pred: list[dict]) -> dict:
    matched = [m for source in {r["source_id"] for r in gold}
               for m in match_acts([r for r in gold if r["source_id"] == source],
                                   [r for r in pred if r.get("source_id") == source])]
    checks = {"type": lambda g, p: act_type(g) == act_type(p),
              "mode": lambda g, p: (g.get("mode") or []) == (p.get("mode") or []),
              "actor": lambda g, p: same_actors(g.get("source", []), p.get("source", [])),
              "recipient": lambda g, p: same_actors(g.get("recipient", []), p.get("recipient", []))}
    correct = {k: sum(check(g, p) for g, p in matched) for k, check in checks.items()}
    per_type = {}
    for kind in sorted({act_type(r) for r in gold}):
        mine = [(g, p) for g, p in matched if act_type(g) == kind]
        n = sum(act_type(r) == kind for r in gold)
        right = sum(checks["type"](g, p) for g, p in mine)
        per_type[kind] = {"gold": n, "found": len(mine), "type_correct": right,
                          "type_accuracy": ratio(right, n)}
    return {"detection": prf(len(matched), len(pred), len(matched), len(gold)), "found": len(matched),
            **{f"{k}_correct": v for k, v in correct.items()},
            **{f"{k}_accuracy": ratio(v, len(gold)) for k, v in correct.items()},
            "per_type": per_type}


# ---------------------------------------------------------------------------------------------
# reading predictions


def prediction_format(path: Path) -> str:
    if path.is_dir():
        if any(path.glob("*.ann")):
            return "brat"
        if any(path.glob("*.jsonld")):
            return "webanno"
        raise FormatError(f"{path}: a folder of predictions holds .ann (brat) or .jsonld "
                          f"(Web Annotation) files")
    if path.suffix in (".jsonl", ".json"):
        return "plover"
    if path.suffix == ".jsonld":
        return "webanno"
    if path.suffix == ".ann":
        raise FormatError(f"{path}: give the folder that holds the brat .ann files")
    raise FormatError(f"{path}: not a brat folder, a .jsonld Web Annotation file or a .jsonl/.json "
                      f"PLOVER file")


def assign_sources(records: list[dict], sources: list[str], name: str) -> list[dict]:
    """Each record's article: its ``source_id``, or the only article of the package."""
    for n, record in enumerate(records, 1):
        if "source_id" not in record:
            if len(sources) != 1:
                raise FormatError(f"{name}: record {n}: no source_id, and the package holds several "
                                  f"articles")
            record["source_id"] = sources[0]
        if record["source_id"] not in sources:
            raise FormatError(f"{name}: record {n}: unknown source_id {record['source_id']!r}")
    return records


def score(predictions, path=None, verify: bool = True) -> dict:
    """The scores of ``predictions`` (a brat folder, a Web Annotation file or folder, or a
    PLOVER JSON Lines or JSON file) against the gold of the package at ``path``."""
    predictions = Path(predictions)
    fmt = prediction_format(predictions)
    tables = load(path=path, verify=verify)
    report = {"predictions": str(predictions), "format": fmt}
    if fmt == "plover":
        sources = list(tables["sources"]["source_id"])
        pred = assign_sources(read_plover(predictions), sources, str(predictions))
        covered = {r["source_id"] for r in pred}
        gold = [r for r in plover_records(tables) if r["source_id"] in covered]
        return {**report, "sources": sorted(covered), "acts": act_scores(gold, pred)}
    texts = package_texts(tables, path, verify)
    every = documents(tables, texts)
    pred = (read_brat(predictions, texts) if fmt == "brat"
            else read_webanno(predictions, texts, {d.url: d.source_id for d in every}))
    covered = {d.source_id for d in pred}
    gold = [d for d in every if d.source_id in covered]
    kinds = set(tables["actors"]["kind"]) | {s.label for d in pred for s in d.spans} - {
        STATEMENT, CUE, FIGURE, "Hedge", "Commitment", "Event"}
    return {**report, "sources": sorted(covered), "mentions": mention_scores(gold, pred, kinds),
            "attributions": attribution_scores(gold, pred), "figures": figure_scores(gold, pred)}


# ---------------------------------------------------------------------------------------------
# the readable table


def cell(value) -> str:
    return "–" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def prf_line(name: str, s: dict) -> str:
    return (f"  {name:<28} {s['gold']:>5} {s['predicted']:>5} {cell(s['precision']):>7} "
            f"{cell(s['recall']):>7} {cell(s['f1']):>7}")


def table(report: dict) -> str:
    lines = [f"predictions: {report['predictions']} ({report['format']}); "
             f"articles: {', '.join(report['sources'])}",
             f"  {'':<28} {'gold':>5} {'pred':>5} {'P':>7} {'R':>7} {'F1':>7}"]
    if "mentions" in report:
        m = report["mentions"]
        lines += [prf_line("mentions, exact", m["exact"]), prf_line("mentions, overlap", m["overlap"])]
        lines += [prf_line(f"  {kind}, exact", s["exact"]) for kind, s in m["per_kind"].items()]
        f = report["figures"]
        lines += [prf_line("figures, exact span", f["exact"])]
        a = report["attributions"]
        lines += ["", f"  {'':<28} {'of':>5} {'right':>5} {'share':>7}"]
        lines += [f"  {label:<28} {a['quotes']:>5} {a[key]:>5} {cell(a[key + '_accuracy']):>7}"
                  for label, key in (("quotes found", "found"), ("speaker correct", "speaker_correct"),
                                     ("relay correct", "relay_correct"), ("both correct", "both_correct"))]
        lines += [f"  {'figure ' + key + ' correct':<28} {f['exact']['gold']:>5} {f[key + '_correct']:>5} "
                  f"{cell(f[key + '_accuracy']):>7}" for key in ("value", "unit")]
    if "acts" in report:
        a = report["acts"]
        lines += [prf_line("acts detected", a["detection"]), "",
                  f"  {'':<28} {'of':>5} {'right':>5} {'share':>7}"]
        n = a["detection"]["gold"]
        lines += [f"  {k + ' correct':<28} {n:>5} {a[k + '_correct']:>5} {cell(a[k + '_accuracy']):>7}"
                  for k in ("type", "mode", "actor", "recipient")]
        lines += [f"  {'type ' + kind:<28} {s['gold']:>5} {s['type_correct']:>5} "
                  f"{cell(s['type_accuracy']):>7}" for kind, s in a["per_type"].items()]
    return "\n".join(lines)


def as_json(report: dict) -> str:
    return json_text(report, indent=2)
