"""``datapkg score PREDICTIONS``: a system's output, in brat standoff, W3C Web Annotation or
PLOVER records, scored against the curated gold of the articles it covers.

- mentions: exact and overlap span precision, recall and F1 (a span and its actor kind), in
  all and per actor kind;
- attributions: for each gold statement (quote) span, whether the system found it, and
  whether its speakers and its relays (reporters) are the gold's (mentions matched by
  overlap), the per-quote measures of PARC-style attribution scoring;
- figures: exact span P/R/F1, and for each gold figure found, value (value, low, high) and
  unit correct;
- commitments (brat and Web Annotation): exact and overlap span P/R/F1, then gold
  commitments matched one to one to predicted Commitment spans by overlap: found, kind
  correct, and each party role (committer, addressee, beneficiary, target) correct, the
  predicted party mentions resolved to the gold actor whose mention each overlaps most, in
  all and per kind;
- acts (PLOVER records: a file of them, or ``<source_id>.plover.jsonl`` beside the ``.ann``
  files of a brat folder): detection P/R/F1 (records matched to gold acts by overlapping
  offsets, one to one), then type, mode, actor and recipient correct, in all and per type.
  Beside ``.ann`` files, a predicted actor id is read as the gold actor its mentions align to
  (``alignment``); in a file alone, as written. Actor and recipient are also compared by the
  states they resolve to (``states``), a looser measure.

Predictions are untrusted input, so every step is near linear in the gold and the predictions:
spans are grouped once (by article and label), overlaps are found by sorting and binary search,
and matching records to acts, commitments to commitments and mentions to gold mentions never
forms every pair (see ``MAX_CANDIDATES``). The readers of
``datapkg.formats`` bound each file (``MAX_PREDICTIONS``, ``MAX_LABELS``).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable
from heapq import heapify, heappop, heappush
from itertools import accumulate
from pathlib import Path

from datapkg.annotations import (
    COMMITMENT,
    FIGURE,
    NOT_MENTIONS,
    STATEMENT,
    Document,
    Span,
    documents,
    present,
    token,
)
from datapkg.errors import FormatError
from datapkg.escape import SHOWN, json_text
from datapkg.formats import brief, package_texts, plover_records, read_brat, read_plover, read_webanno
from datapkg.loader import load
from datapkg.registry import PARTY_ROLES

SPEAKER, RELAY = "speaker", "reporter"
ACTOR_ID, COMMITMENT_KIND = "actor_id", "CommitmentKind"  # attributes of a mention, a commitment
# A gold act is matched only among the predicted records it overlaps most: at most this many
# (docs/formats.md), so matching costs at most this many pairs per gold act.
MAX_CANDIDATES = 16


def ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def prf(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> dict:
    """Precision over predictions, recall over gold, F1 of the two (None where undefined)."""
    p, r = ratio(tp_pred, n_pred), ratio(tp_gold, n_gold)
    f1 = round(2 * p * r / (p + r), 4) if p is not None and r is not None and p + r else (
        0.0 if p is not None and r is not None else None)
    return {"gold": n_gold, "predicted": n_pred, "precision": p, "recall": r, "f1": f1}


# ---------------------------------------------------------------------------------------------
# spans


def group(items: Iterable, key: Callable) -> dict:
    """``items`` by ``key``, in one pass."""
    grouped = {}
    for item in items:
        grouped.setdefault(key(item), []).append(item)
    return grouped


def overlap_test(spans: Iterable[Span]) -> Callable[[Span], bool]:
    """Whether a span overlaps any of ``spans``: they are sorted by start once, with the
    furthest end of each prefix, and each question is a binary search."""
    ordered = sorted((s.start, s.end) for s in spans)
    starts = [start for start, _ in ordered]
    reach = list(accumulate((end for _, end in ordered), max))

    def overlaps(span: Span) -> bool:
        before = bisect_left(starts, span.end)  # the spans that start before this one ends
        return before > 0 and reach[before - 1] > span.start

    return overlaps


def keyed(docs: list[Document], wanted) -> set[tuple[str, Span]]:
    return {(d.source_id, s) for d in docs for s in d.spans if wanted(s.label)}


def overlapping(items: Iterable[tuple[str, Span]], pool: Iterable[tuple[str, Span]]) -> int:
    """How many of ``items`` overlap a span of ``pool`` in the same article with the same label."""
    tests = {key: overlap_test(s for _, s in spans)
             for key, spans in group(pool, lambda x: (x[0], x[1].label)).items()}
    return sum(1 for source_id, span in items
               if (key := (source_id, span.label)) in tests and tests[key](span))


def span_scores(gold: set, pred: set) -> dict:
    exact = len(gold & pred)
    return {"exact": prf(exact, len(pred), exact, len(gold)),
            "overlap": prf(overlapping(pred, gold), len(pred), overlapping(gold, pred), len(gold))}


def mention_scores(gold: list[Document], pred: list[Document], kinds: set[str]) -> dict:
    g, p = keyed(gold, kinds.__contains__), keyed(pred, kinds.__contains__)
    # Per kind: the spans grouped by label once, never filtered once per label.
    g_kind, p_kind = group(g, lambda x: x[1].label), group(p, lambda x: x[1].label)
    per_kind = {kind: span_scores(set(g_kind.get(kind, ())), set(p_kind.get(kind, ())))
                for kind in sorted(g_kind.keys() | p_kind.keys())}
    return {**span_scores(g, p), "per_kind": per_kind}


def linked_mentions(doc: Document, roles, owner: str) -> dict[Span, dict[str, list[Span]]]:
    """Each span labelled ``owner`` → role → the mentions linked to it in that role. A link is
    read either way round, from the owner to the mention (as the export writes a commitment's
    party) or from the mention to the owner (as it writes a statement's speaker): brat and Web
    Annotation fix no direction, and the labels at the two ends tell them apart."""
    found = {}
    for link in doc.links:
        if link.label not in roles:
            continue
        own, other = ((link.source, link.target) if link.source.label == owner
                      else (link.target, link.source))
        if own.label == owner and other.label not in NOT_MENTIONS:
            found.setdefault(own, {}).setdefault(link.label, []).append(other)
    return found


def same_mentions(gold: list[Span], pred: list[Span]) -> bool:
    """Every gold mention overlapped by a predicted one and every predicted one by a gold one."""
    in_pred, in_gold = overlap_test(pred), overlap_test(gold)
    return all(map(in_pred, gold)) and all(map(in_gold, pred))


def attribution_scores(gold: list[Document], pred: list[Document]) -> dict:
    predicted = {d.source_id: d for d in pred}
    counts = Counter()
    for doc in gold:
        other = predicted[doc.source_id]
        mine, theirs = (linked_mentions(d, (SPEAKER, RELAY), STATEMENT) for d in (doc, other))
        for quote in (s for s in doc.spans if s.label == STATEMENT):
            counts["quotes"] += 1
            if quote not in other.spans:
                continue
            counts["found"] += 1
            right = {role: same_mentions(mine.get(quote, {}).get(role, []),
                                         theirs.get(quote, {}).get(role, []))
                     for role in (SPEAKER, RELAY)}
            counts["speaker_correct"] += right[SPEAKER]
            counts["relay_correct"] += right[RELAY]
            counts["both_correct"] += right[SPEAKER] and right[RELAY]
    n = counts["quotes"]
    kinds = ("found", "speaker_correct", "relay_correct", "both_correct")
    return {"quotes": n, **{k: counts[k] for k in kinds},
            **{f"{k}_accuracy": ratio(counts[k], n) for k in kinds}}


def attribute_values(doc: Document) -> dict:
    """Each annotated span or link → its attributes' {name: value}, for every one at once."""
    found = {}
    for a in doc.attributes:
        found.setdefault(a.target, {})[a.name] = a.value
    return found


def figure_scores(gold: list[Document], pred: list[Document]) -> dict:
    g = keyed(gold, FIGURE.__eq__)
    p = keyed(pred, FIGURE.__eq__)
    values = ({("gold", d.source_id): attribute_values(d) for d in gold}
              | {("pred", d.source_id): attribute_values(d) for d in pred})
    counts = Counter()
    for source_id, span in g & p:
        mine, theirs = values["gold", source_id].get(span, {}), values["pred", source_id].get(span, {})
        for what, names in (("value", ("Value", "Low", "High")), ("unit", ("Unit",))):
            counts[what] += all(mine.get(n) == theirs.get(n) for n in names)
    found = len(g & p)
    return {"exact": prf(found, len(p), found, len(g)), "found": found,
            "value_correct": counts["value"], "unit_correct": counts["unit"],
            "value_accuracy": ratio(counts["value"], len(g)), "unit_accuracy": ratio(counts["unit"], len(g))}


# ---------------------------------------------------------------------------------------------
# acts


def offsets(record: dict) -> tuple[int, int]:
    info = record.get("text_info") or {}
    return info.get("start", -1), info.get("end", -1)


NONE = float("-inf")


class MaxTree:
    """A segment tree over the positions 0 … n-1, each holding a number (NONE: nothing), that
    finds, in a range of positions, those holding the largest numbers, or the first ones
    holding at least a bound, each found in O(log n)."""

    def __init__(self, values: list):
        self.size = 1 << max(len(values) - 1, 0).bit_length()
        self.top = [NONE] * (2 * self.size)
        self.top[self.size:self.size + len(values)] = values
        for node in range(self.size - 1, 0, -1):
            self.top[node] = max(self.top[2 * node], self.top[2 * node + 1])

    def set(self, position: int, value) -> None:
        node = position + self.size
        self.top[node] = value
        while node > 1:
            node //= 2
            self.top[node] = max(self.top[2 * node], self.top[2 * node + 1])

    def nodes(self, lo: int, hi: int) -> list[int]:
        """The nodes that cover the positions lo … hi-1, left to right."""
        left, right = [], []
        lo, hi = lo + self.size, hi + self.size
        while lo < hi:
            if lo & 1:
                left.append(lo)
                lo += 1
            if hi & 1:
                hi -= 1
                right.append(hi)
            lo, hi = lo // 2, hi // 2
        return left + right[::-1]

    def largest(self, lo: int, hi: int, k: int, above) -> list[int]:
        """Up to ``k`` positions of lo … hi-1 holding the largest numbers greater than ``above``."""
        heap = [(-self.top[n], n) for n in self.nodes(lo, hi) if self.top[n] > above]
        heapify(heap)
        found = []
        while heap and len(found) < k:
            _, node = heappop(heap)
            if node >= self.size:
                found.append(node - self.size)
                continue
            for child in (2 * node, 2 * node + 1):
                if self.top[child] > above:
                    heappush(heap, (-self.top[child], child))
        return found

    def first(self, lo: int, hi: int, k: int, least) -> list[int]:
        """Up to ``k`` positions of lo … hi-1, leftmost first, holding ``least`` or more."""
        stack, found = self.nodes(lo, hi)[::-1], []
        while stack and len(found) < k:
            node = stack.pop()
            if self.top[node] < least:
                continue
            if node >= self.size:
                found.append(node - self.size)
            else:
                stack += (2 * node + 1, 2 * node)
        return found


def candidates(gold: list[tuple[int, int]], pred: list[tuple[int, int]], k: int) -> list[tuple]:
    """For each gold span (start, end), the at most ``k`` predicted spans it overlaps most, as
    (-shared characters, gold start, predicted start, gold index, predicted index). Never every
    pair: the predicted spans are sorted by start once, and a predicted span overlapping a gold
    one [gs, ge) either starts before gs (the shared part grows with its end), or starts inside
    and ends at ge or later (it grows the earlier it starts), or lies inside, ending before ge
    (it is its length): three searches of segment trees, the third fed in order of end as the
    gold spans are taken in order of end."""
    order = sorted(range(len(pred)), key=lambda i: (pred[i][0], i))
    starts = [pred[i][0] for i in order]
    ends = [pred[i][1] for i in order]
    by_end, lengths = MaxTree(ends), MaxTree([NONE] * len(order))
    ending = sorted(range(len(order)), key=ends.__getitem__)
    fed, pairs = 0, []
    for g in sorted(range(len(gold)), key=lambda i: gold[i][1]):
        gs, ge = gold[g]
        while fed < len(ending) and ends[ending[fed]] < ge:
            lengths.set(ending[fed], ends[ending[fed]] - starts[ending[fed]])
            fed += 1
        if ge <= gs:
            continue
        lo, hi = bisect_left(starts, gs), bisect_left(starts, ge)
        shared = {j: min(ends[j], ge) - gs for j in by_end.largest(0, lo, k, above=gs)}
        shared |= {j: ge - starts[j] for j in by_end.first(lo, hi, k, least=ge)}
        shared |= {j: ends[j] - starts[j] for j in lengths.largest(lo, hi, k, above=0)}
        best = sorted(shared, key=lambda j: (-shared[j], starts[j], order[j]))[:k]
        pairs += [(-shared[j], gs, starts[j], g, order[j]) for j in best]
    return pairs


def match_spans(gold: list[tuple[int, int]], pred: list[tuple[int, int]],
                k: int = MAX_CANDIDATES) -> list[tuple[int, int]]:
    """Gold and predicted spans (start, end) of one source paired one to one, as (gold index,
    predicted index), the largest overlap first (then the earlier start, then the earlier
    span). Predicted spans with the same offsets are one span, whose copies are taken in their
    order, and each gold span is paired only among the ``k`` spans it overlaps most: the
    pairing is the one trying every pair gives wherever no gold span overlaps more than ``k``."""
    copies = group(range(len(pred)), pred.__getitem__)  # in order of first copy
    left = [indices[::-1] for indices in copies.values()]  # each span's copies, the first last
    matched, done = [], set()
    for *_, g, span in sorted(candidates(gold, list(copies), k)):
        if g not in done and left[span]:
            done.add(g)
            matched.append((g, left[span].pop()))
    return matched


def match_acts(gold: list[dict], pred: list[dict], k: int = MAX_CANDIDATES) -> list[tuple[dict, dict]]:
    """Gold and predicted records of one source paired one to one by their offsets
    (``match_spans``)."""
    return [(gold[g], pred[p]) for g, p in match_spans(list(map(offsets, gold)), list(map(offsets, pred)), k)]


def literal(actor_id):
    return actor_id


def actor_keys(objects: list[dict], ids: Callable = literal) -> list[set]:
    """Each actor object's keys: its id as ``ids`` reads it (None: no id) and its code."""
    return [{("id", ids(o.get("actor_id"))), ("code", o.get("code"))} - {("id", None), ("code", None)}
            for o in objects]


def same_actors(gold: list[dict], pred: list[dict], ids: Callable = literal) -> bool:
    """Every gold actor named by a predicted one (same actor id, the predicted id read through
    ``ids``, or same code) and the reverse: an actor shares a key with one of the other side's
    exactly when it shares one with their union, so each side is pooled once and never
    compared actor by actor."""
    g, p = actor_keys(gold), actor_keys(pred, ids)
    g_pool, p_pool = set().union(*g), set().union(*p)
    return all(a & p_pool for a in g) and all(b & g_pool for b in p)


def gold_states(objects: list[dict], codes: dict[str, str]) -> list[dict]:
    """The gold parties as the states they resolve to (each state by its actor id and CAMEO
    code); a party that resolves to none stands for itself."""
    return [state for o in objects
            for state in ([{"actor_id": s, "code": codes.get(s)} for s in o.get("states", [])] or [o])]


def predicted_states(objects: list[dict]) -> list[dict]:
    """The predicted parties as the states they name in ``states``, each named by an actor id
    or a CAMEO code (so both are tried); a party naming none stands for itself."""
    return [state for o in objects
            for state in ([{"actor_id": s, "code": s} for s in o.get("states", [])] or [o])]


def act_type(record: dict) -> str:
    return "|".join(record.get("event") or []) or "(none)"


ROLES = {"actor": "source", "recipient": "recipient"}  # the scored role → its PLOVER field


def act_scores(gold: list[dict], pred: list[dict], ids: Callable = literal,
               codes: dict[str, str] | None = None) -> dict:
    """Acts matched one to one, then type, mode and parties. Parties are compared twice: by
    actor (``ids`` reads a predicted actor id as a gold one: literally, or through the
    alignment of the coder's ids) and, looser, by the states they resolve to (``states``;
    ``codes``: each gold state's actor id → its CAMEO code)."""
    codes = codes or {}
    predicted = group(pred, lambda r: r.get("source_id"))
    matched = [m for source, records in group(gold, lambda r: r["source_id"]).items()
               for m in match_acts(records, predicted.get(source, []))]
    checks = {"type": lambda g, p: act_type(g) == act_type(p),
              "mode": lambda g, p: (g.get("mode") or []) == (p.get("mode") or [])}
    for role, field in ROLES.items():
        checks[role] = lambda g, p, f=field: same_actors(g.get(f, []), p.get(f, []), ids)
    for role, field in ROLES.items():
        checks[f"{role}_states"] = lambda g, p, f=field: same_actors(
            gold_states(g.get(f, []), codes), predicted_states(p.get(f, [])), ids)
    correct = {k: sum(check(g, p) for g, p in matched) for k, check in checks.items()}
    per_type = {}
    found = group(matched, lambda m: act_type(m[0]))
    for kind, n in sorted(Counter(map(act_type, gold)).items()):
        mine = found.get(kind, [])
        right = sum(checks["type"](g, p) for g, p in mine)
        per_type[kind] = {"gold": n, "found": len(mine), "type_correct": right,
                          "type_accuracy": ratio(right, n)}
    return {"detection": prf(len(matched), len(pred), len(matched), len(gold)), "found": len(matched),
            "actor_ids": "literal" if ids is literal else "aligned",
            **{f"{k}_correct": v for k, v in correct.items()},
            **{f"{k}_accuracy": ratio(v, len(gold)) for k, v in correct.items()},
            "per_type": per_type}


# ---------------------------------------------------------------------------------------------
# actors: predicted mentions resolved to the gold's


def gold_mentions(tables: dict, sources: set[str]) -> dict[str, list[tuple[tuple[int, int], str]]]:
    """Each article's gold mentions, as ((start, end), actor id)."""
    found = {}
    for m in tables["mentions"].to_dict("records"):
        if m["source_id"] in sources:
            found.setdefault(m["source_id"], []).append(((int(m["span_start"]), int(m["span_end"])),
                                                         m["actor_id"]))
    return found


def resolve(gold: list[tuple[tuple[int, int], str]], pred: list[tuple[int, int]]) -> list[str | None]:
    """For each predicted mention span, the gold actor whose mention it overlaps most (the most
    shared characters, then the shortest gold mention), or None where it overlaps none or two
    actors' mentions fit it equally well. Each predicted span is weighed against only the
    ``MAX_CANDIDATES`` gold mentions it overlaps most (``candidates``), never every pair."""
    best: list = [None] * len(pred)
    for minus_shared, _, _, p, g in candidates(pred, [span for span, _ in gold], MAX_CANDIDATES):
        (start, end), actor = gold[g]
        rank = (-minus_shared, start - end)
        if best[p] is None or rank > best[p][0]:
            best[p] = (rank, {actor})
        elif rank == best[p][0]:
            best[p][1].add(actor)
    # Ties: no actor. A span that fits two actors' mentions equally well names neither.
    return [next(iter(b[1])) if b is not None and len(b[1]) == 1 else None for b in best]


def resolver(gold: list[tuple[tuple[int, int], str]], pred: Iterable[Span]) -> dict[Span, str | None]:
    """``resolve`` for a set of predicted spans of one article, as span → gold actor."""
    spans = sorted(set(pred))
    return dict(zip(spans, resolve(gold, [(s.start, s.end) for s in spans]), strict=True))


def alignment(pred: list[Document], mentions: dict) -> list[dict]:
    """Each predicted actor id (the ``actor_id`` attribute of its mentions) → the gold actor
    its mentions resolve to most often (``resolve``), with how many of its mentions agree;
    where two gold actors are reached equally often, or none, the id is not aligned."""
    votes, counts = Counter(), Counter()
    for doc in pred:
        named = [(a.target, a.value) for a in doc.attributes
                 if a.name == ACTOR_ID and isinstance(a.target, Span)]
        actors = resolver(mentions.get(doc.source_id, []), (span for span, _ in named))
        for span, pred_id in named:
            counts[pred_id] += 1
            if actors[span] is not None:
                votes[pred_id, actors[span]] += 1
    best = {}
    for (pred_id, gold_id), n in sorted(votes.items()):
        best.setdefault(pred_id, []).append((n, gold_id))
    rows = []
    for pred_id in sorted(counts):
        ranked = sorted(best.get(pred_id, []), reverse=True)
        # Ties: no mapping. An id whose mentions reach two gold actors equally often is unaligned.
        aligned = ranked and (len(ranked) == 1 or ranked[0][0] > ranked[1][0])
        rows.append({"predicted": pred_id, "gold": ranked[0][1] if aligned else None,
                     "agreeing": ranked[0][0] if aligned else 0, "mentions": counts[pred_id]})
    return rows


# ---------------------------------------------------------------------------------------------
# commitments


def commitment_parties(doc: Document) -> dict[Span, dict[str, list[Span]]]:
    """Each Commitment span → role → the mentions linked to it in that role."""
    return linked_mentions(doc, PARTY_ROLES, COMMITMENT)


COMMITMENT_CHECKS = ("found", "kind", *PARTY_ROLES, "parties")


def commitment_scores(gold_docs: list[Document], pred: list[Document], tables: dict,
                      mentions: dict) -> dict:
    """Gold commitments matched one to one to predicted Commitment spans of their article
    (``match_spans``), then kind (``CommitmentKind``) and each role's parties: the gold actors
    the predicted mentions resolve to (``resolve``) equal the gold parties the text names, in
    all and per kind."""
    covered = {d.source_id for d in pred}
    rows = [c for c in tables["commitments"].to_dict("records") if c["source_id"] in covered]
    parties = {}
    for p in tables["commitment_parties"].to_dict("records"):
        # The parties the text names: a party without a mention has no span to link to in
        # brat or Web Annotation (as a link of a chain the text does not name).
        if present(p["mention_id"]):
            parties.setdefault((p["commitment_id"], p["role"]), set()).add(p["actor_id"])
    by_source, counts, found_kinds = group(rows, lambda c: c["source_id"]), Counter(), Counter()
    for doc in pred:
        gold = by_source.get(doc.source_id, [])
        spans = sorted(s for s in doc.spans if s.label == COMMITMENT)
        pairs = match_spans([(int(c["span_start"]), int(c["span_end"])) for c in gold],
                            [(s.start, s.end) for s in spans])
        kinds, linked = {}, commitment_parties(doc)
        for a in doc.attributes:
            if a.name == COMMITMENT_KIND:
                kinds.setdefault(a.target, set()).add(a.value)
        actors = resolver(mentions.get(doc.source_id, []),
                          (m for _, p in pairs for ms in linked.get(spans[p], {}).values() for m in ms))
        for g, p in pairs:
            row, span = gold[g], spans[p]
            right = {"kind": kinds.get(span, set()) == {token(row["kind"])}}
            for role in PARTY_ROLES:
                right[role] = parties.get((row["commitment_id"], role), set()) == {
                    actors[m] for m in linked.get(span, {}).get(role, [])}
            right["parties"] = all(right[role] for role in PARTY_ROLES)
            counts.update(k for k, v in right.items() if v)
            found_kinds[row["kind"], "found"] += 1
            found_kinds[row["kind"], "kind_correct"] += right["kind"]
            counts["found"] += 1
    n = len(rows)
    per_kind = {kind: {"gold": k, "found": found_kinds[kind, "found"],
                       "kind_correct": found_kinds[kind, "kind_correct"],
                       "kind_accuracy": ratio(found_kinds[kind, "kind_correct"], k)}
                for kind, k in sorted(Counter(c["kind"] for c in rows).items())}
    return {"detection": span_scores(keyed(gold_docs, COMMITMENT.__eq__), keyed(pred, COMMITMENT.__eq__)),
            "gold": n, "found": counts["found"],
            **{f"{k}_correct": counts[k] for k in COMMITMENT_CHECKS[1:]},
            **{f"{k}_accuracy": ratio(counts[k], n) for k in COMMITMENT_CHECKS},
            "per_kind": per_kind}


# ---------------------------------------------------------------------------------------------
# reading predictions


def prediction_format(path: Path) -> str:
    if not path.exists():
        raise FormatError(f"{path}: no such file or folder of predictions")
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
    known = set(sources)
    for n, record in enumerate(records, 1):
        if "source_id" not in record:
            if len(sources) != 1:
                raise FormatError(f"{name}: record {n}: no source_id, and the package holds several "
                                  f"articles")
            record["source_id"] = sources[0]
        if record["source_id"] not in known:
            raise FormatError(f"{name}: record {n}: unknown source_id {brief(record['source_id'])}")
    return records


PLOVER_SUFFIX = ".plover.jsonl"  # the PLOVER records of one coding, beside its .ann files


def folder_records(folder: Path, sources: list[str]) -> list[dict]:
    """The PLOVER records beside the ``.ann`` files of a brat folder: ``<source_id>.plover.jsonl``,
    one file per article, as the ``.ann`` files are (so a folder holds no more files of records
    than the package has articles); a record names that article or none."""
    records = []
    for path in sorted(folder.glob(f"*{PLOVER_SUFFIX}")):
        source_id = path.name.removesuffix(PLOVER_SUFFIX)
        if source_id not in sources:
            raise FormatError(f"{path}: no article {brief(source_id)} in the package (name the file "
                              f"<source_id>{PLOVER_SUFFIX})")
        for n, record in enumerate(read_plover(path), 1):
            if record.setdefault("source_id", source_id) != source_id:
                raise FormatError(f"{path}: record {n}: source_id {brief(record['source_id'])} is not "
                                  f"the file's article")
            records.append(record)
    return records


def state_codes(tables: dict) -> dict[str, str]:
    """Each state's actor id → its CAMEO code (the ``states`` of a gold record are actor ids)."""
    actors = tables["actors"]
    states = actors[(actors["kind"] == "state") & actors["cameo_code"].notna()]
    return dict(zip(states["actor_id"], states["cameo_code"], strict=True))


def score(predictions, path=None, verify: bool = True) -> dict:
    """The scores of ``predictions`` (a brat folder, with or without the same coding's PLOVER
    records beside its ``.ann`` files; a Web Annotation file or folder; or a PLOVER JSON Lines
    or JSON file) against the gold of the package at ``path``."""
    predictions = Path(predictions)
    fmt = prediction_format(predictions)
    tables = load(path=path, verify=verify)
    report = {"predictions": str(predictions), "format": fmt}
    sources = list(tables["sources"]["source_id"])
    if fmt == "plover":
        pred = assign_sources(read_plover(predictions), sources, str(predictions))
        covered = {r["source_id"] for r in pred}
        gold = [r for r in plover_records(tables) if r["source_id"] in covered]
        return {**report, "sources": sorted(covered),
                "acts": act_scores(gold, pred, codes=state_codes(tables))}
    texts = package_texts(tables, path, verify)
    every = documents(tables, texts)
    pred = (read_brat(predictions, texts) if fmt == "brat"
            else read_webanno(predictions, texts, {d.url: d.source_id for d in every}))
    records = folder_records(predictions, sources) if fmt == "brat" else []
    covered = {d.source_id for d in pred}
    gold = [d for d in every if d.source_id in covered]
    kinds = set(tables["actors"]["kind"]) | {s.label for d in pred for s in d.spans} - NOT_MENTIONS
    mentions = gold_mentions(tables, covered)
    report |= {"sources": sorted(covered), "mentions": mention_scores(gold, pred, kinds),
               "attributions": attribution_scores(gold, pred), "figures": figure_scores(gold, pred),
               "commitments": commitment_scores(gold, pred, tables, mentions)}
    if records:
        # One coding, every layer: the coder's actor ids read as the gold's they align to.
        aligned = alignment(pred, mentions)
        ids = {row["predicted"]: row["gold"] for row in aligned}
        covered_acts = covered | {r["source_id"] for r in records}
        gold_acts = [r for r in plover_records(tables) if r["source_id"] in covered_acts]
        report |= {"alignment": aligned,
                   "acts": act_scores(gold_acts, records, ids.get, state_codes(tables))}
    return report


# ---------------------------------------------------------------------------------------------
# the readable table


def cell(value) -> str:
    return "–" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def prf_line(name: str, s: dict) -> str:
    return (f"  {name:<32} {s['gold']:>5} {s['predicted']:>5} {cell(s['precision']):>7} "
            f"{cell(s['recall']):>7} {cell(s['f1']):>7}")


def share_line(name: str, of: int, right: int, share) -> str:
    return f"  {name:<32} {of:>5} {right:>5} {cell(share):>7}"


SHARES = f"  {'':<32} {'of':>5} {'right':>5} {'share':>7}"
SPANS = f"  {'':<32} {'gold':>5} {'pred':>5} {'P':>7} {'R':>7} {'F1':>7}"


def table(report: dict) -> str:
    """The report as a readable table, in step with the JSON report (per kind of mention, the
    exact spans only)."""
    lines = [f"predictions: {report['predictions']} ({report['format']}); "
             f"articles: {', '.join(report['sources'])}",
             SPANS]
    if "mentions" in report:
        m = report["mentions"]
        lines += [prf_line("mentions, exact", m["exact"]), prf_line("mentions, overlap", m["overlap"])]
        lines += [prf_line(f"  {kind}, exact", s["exact"]) for kind, s in m["per_kind"].items()]
        f = report["figures"]
        lines += [prf_line("figures, exact span", f["exact"])]
        c = report["commitments"]
        lines += [prf_line("commitments, exact", c["detection"]["exact"]),
                  prf_line("commitments, overlap", c["detection"]["overlap"])]
        a = report["attributions"]
        lines += ["", SHARES]
        lines += [share_line(label, a["quotes"], a[key], a[key + "_accuracy"])
                  for label, key in (("quotes found", "found"), ("speaker correct", "speaker_correct"),
                                     ("relay correct", "relay_correct"), ("both correct", "both_correct"))]
        lines += [share_line(f"figure {key} correct", f["exact"]["gold"], f[key + "_correct"],
                             f[key + "_accuracy"]) for key in ("value", "unit")]
        lines += [share_line("commitments found", c["gold"], c["found"], c["found_accuracy"])]
        lines += [share_line(f"commitment {key} correct", c["gold"], c[key + "_correct"],
                             c[key + "_accuracy"]) for key in COMMITMENT_CHECKS[1:]]
        lines += [share_line(f"  kind {kind}", s["gold"], s["kind_correct"], s["kind_accuracy"])
                  for kind, s in c["per_kind"].items()]
    if "acts" in report:
        a = report["acts"]
        if "mentions" in report:
            lines += ["", SPANS]
        lines += [prf_line("acts detected", a["detection"]), "", SHARES]
        n = a["detection"]["gold"]
        lines += [share_line(f"{k} correct", n, a[k + "_correct"], a[k + "_accuracy"])
                  for k in ("type", "mode")]
        lines += [share_line(f"{k} correct, {a['actor_ids']} ids", n, a[k + "_correct"], a[k + "_accuracy"])
                  for k in ROLES]
        lines += [share_line(f"{k} correct, by states", n, a[k + "_states_correct"],
                             a[k + "_states_accuracy"]) for k in ROLES]
        lines += [share_line(f"type {kind}", s["gold"], s["type_correct"], s["type_accuracy"])
                  for kind, s in a["per_type"].items()]
    if "alignment" in report:
        lines += ["", "  predicted actor id → the gold actor its mentions overlap most "
                      "(mentions agreeing, of its mentions)"]
        lines += [f"    {row['predicted'][:SHOWN]} → {row['gold'] or '(not aligned)'} "
                  f"({row['agreeing']} of {row['mentions']})" for row in report["alignment"]]
    return "\n".join(lines)


def as_json(report: dict) -> str:
    return json_text(report, indent=2)
