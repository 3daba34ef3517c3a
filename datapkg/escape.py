"""Text that leaves the package, escaped for where it goes: a terminal (``terminal``) and JSON
(``json_text``, one line of it a line of JSON Lines). TeX and BibTeX are escaped in
``datapkg.citation``. Imports nothing from the package."""

from __future__ import annotations

import json
import re

# What ``str.splitlines`` takes as the end of a line: a reader that splits on these must
# never meet one inside a record.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# Characters a terminal or a line reader takes as more than text: C0 controls, DEL, C1
# controls (U+009B is a CSI, U+009D an OSC), the line and paragraph separators, and the
# bidirectional formatting characters (embeddings, overrides, isolates and marks), which
# reorder what a reader sees.
BEYOND_C0 = r"\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
CONTROLS = re.compile(r"[\x00-\x1f" + BEYOND_C0 + "]")
TERMINAL_UNSAFE = re.compile(r"[\x00-\x09\x0b-\x1f" + BEYOND_C0 + "]")  # all but "\n"
JSON_UNSAFE = re.compile(f"[{BEYOND_C0}]")  # JSON escapes C0 in strings itself
SHOWN = 80  # characters of a value a report or an error message quotes


def cut(text: str) -> str:
    """``text`` as far as a report quotes it: at most ``SHOWN`` characters, "..." marking a cut."""
    return text if len(text) <= SHOWN else text[:SHOWN - 3] + "..."


def terminal(text: str, one_line: bool = False) -> str:
    """``text`` as a terminal may show it: every control character but the line feed (and
    that too for ``one_line``) written as Python writes it in a string literal (``\\x1b``,
    ``\\u202e``), as a report's values are (``repr``), so no escape sequence, clipboard write
    or reordering reaches the terminal, and a line of a report stays one line."""
    pattern = CONTROLS if one_line else TERMINAL_UNSAFE
    return pattern.sub(lambda m: repr(m.group())[1:-1], text)


def json_text(value: object, **options) -> str:
    """``value`` as JSON, readable UTF-8 but with every control character, line break and
    bidirectional control escaped as ``\\uXXXX``: one line (without ``indent``) is one JSON
    Lines record however its reader splits lines, and a terminal shows it as text."""
    return JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}",
                           json.dumps(value, ensure_ascii=False, **options))
