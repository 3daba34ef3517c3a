"""A build that fails or is killed part-way leaves the published files intact and valid; two
builds at once do not corrupt each other."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from datapkg import publish
from datapkg.paths import DATA
from datapkg.validate import validate_package

DATAPKG = [sys.executable, "-m", "datapkg.cli"]


def files(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes()
            for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.fixture
def published(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def test_killed_builds_leave_the_published_files_intact(published):
    before = files(published)
    for delay in (0.2, 0.6, 1.0, 1.4, 1.8, 2.2):
        build = subprocess.Popen([*DATAPKG, "build", "--path", str(published)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        build.send_signal(signal.SIGKILL)
        build.wait()
        assert files(published) == before, f"changed by a build killed after {delay}s"
        assert validate_package(published) == []
    # The next build clears what the killed ones left behind.
    subprocess.run([*DATAPKG, "build", "--path", str(published)], check=True,
                   capture_output=True)
    assert sorted(p.name for p in published.parent.iterdir()) == ["data"]
    assert files(published) == before


def test_two_builds_at_once_both_succeed_and_leave_a_valid_package(published):
    before = files(published)
    builds = [subprocess.Popen([*DATAPKG, "build", "--path", str(published)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
              for _ in range(2)]
    assert [b.wait() for b in builds] == [0, 0]
    assert files(published) == before
    assert validate_package(published) == []


def test_swap_is_one_atomic_exchange_where_the_system_has_it(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "which").write_text("a")
    (b / "which").write_text("b")
    assert publish.exchange(a, b)
    assert (a / "which").read_text() == "b" and (b / "which").read_text() == "a"


def test_swap_without_exchange_still_replaces_the_target(tmp_path, monkeypatch):
    monkeypatch.setattr(publish, "exchange", lambda a, b: False)
    new, target = tmp_path / "new", tmp_path / "target"
    new.mkdir()
    target.mkdir()
    (new / "f").write_text("new")
    (target / "f").write_text("old")
    publish.swap_in(new, target)
    assert (target / "f").read_text() == "new" and (new / "f").read_text() == "old"


def test_a_failing_exchange_is_raised_not_replaced_by_renames(tmp_path):
    missing, target = tmp_path / "missing", tmp_path / "target"
    target.mkdir()
    with pytest.raises(OSError, match="cannot exchange"):
        publish.exchange(missing, target)  # ENOENT: a real failure, not "unsupported"
    assert target.is_dir()


def test_a_build_killed_between_the_renames_gets_its_old_package_back(tmp_path):
    """The three-rename swap, killed after the first rename: the next build's clean-up puts
    the old package back where it was."""
    target = tmp_path / "data"
    target.mkdir()
    (target / "f").write_text("old")
    staging = publish.staging_directory(target)
    (staging / "package").mkdir()
    os.rename(target, publish.set_aside(staging / "package"))  # the first of three renames
    assert not target.exists()
    publish.clear_leftovers(target)
    assert (target / "f").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_the_clean_up_removes_only_staging_directories_it_made(tmp_path):
    """A folder named like a staging directory but not marked as one is someone else's."""
    target = tmp_path / "data"
    theirs = tmp_path / "data.tmp-notes"
    theirs.mkdir()
    (theirs / "notes.txt").write_text("mine")
    (tmp_path / "data.tmp-empty").mkdir()  # ours, killed before it was marked
    publish.clear_leftovers(target)
    assert (theirs / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.tmp-notes"]
