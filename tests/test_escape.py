"""Text leaving the package is escaped for where it goes: the terminal escape, the JSON escape
(one record a line, however lines are split), and every command printing through the first."""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from datapkg.escape import JSON_UNSAFE, LINE_BREAKS, TERMINAL_UNSAFE, json_text, terminal

ROOT = Path(__file__).resolve().parent.parent
# Escape sequences a terminal acts on: OSC 52 (writes the clipboard), OSC 0 (the window's
# title), CSI 2J (clears the screen), the same CSI as one C1 character, a bidi override.
ATTACKS = ("\x1b]52;c;SGVsbG8=\x07", "\x1b]0;pwned\x07", "\x1b[2J", "\x9b2J", "\u202eevil",
           "\u2066isolate\u2069", "\x85", "\u2028", "\x7f")
TEXT = st.lists(st.one_of(st.sampled_from(ATTACKS), st.text(max_size=8)), max_size=8).map("".join)
JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | TEXT,
                           lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(TEXT, inner, max_size=4), max_leaves=12)


def test_line_breaks_are_every_character_splitlines_breaks_at():
    breaks = {chr(n) for n in range(sys.maxunicode + 1) if len(f"a{chr(n)}b".splitlines()) == 2}
    assert breaks == set(LINE_BREAKS)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_terminal_shows_every_control_as_an_escape(text):
    shown = terminal(text)
    assert not TERMINAL_UNSAFE.search(shown)
    assert all(ch == "\n" or not (ch in LINE_BREAKS or ord(ch) < 0x20 or 0x7f <= ord(ch) < 0xa0)
               for ch in shown)
    assert shown.count("\n") == text.count("\n")
    if not TERMINAL_UNSAFE.search(text):
        assert shown == text


def test_terminal_writes_controls_as_python_does():
    assert terminal("a\x1b]0;t\x07\u202eb\n") == "a\\x1b]0;t\\x07\\u202eb\n"


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES)
def test_json_text_is_one_line_of_plain_text_that_reads_back(value):
    line = json_text(value)
    assert json.loads(line) == value
    assert line.splitlines() == [line]
    assert not JSON_UNSAFE.search(line) and not TERMINAL_UNSAFE.search(line)
    indented = json_text(value, indent=2)
    assert json.loads(indented) == value and not TERMINAL_UNSAFE.search(indented)


def prints(tree: ast.AST) -> list[int]:
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name) and node.func.id == "print"]


def test_every_command_prints_through_the_terminal_escape():
    """The library prints nothing itself; the command line prints only in ``say``, which
    escapes for the terminal."""
    for path in sorted((ROOT / "datapkg").glob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        if path.name != "cli.py":
            assert prints(tree) == [], path.name
            continue
        (say,) = [node for node in tree.body if isinstance(node, ast.FunctionDef)
                  and node.name == "say"]
        assert len(prints(tree)) == len(prints(say)) == 1
        assert "terminal" in {n.id for n in ast.walk(say) if isinstance(n, ast.Name)}
