"""The one way a command writes a file (``publish.write_files``) and replaces a folder
(``publish.replace_directory``): every output path is a plain file name inside its folder,
no file is written through a link, and nothing is deleted that an earlier run did not write."""

from __future__ import annotations

import os

import pytest

from datapkg import publish
from datapkg.errors import UnsafeOutput

NOT_PLAIN = ["", ".", "..", "a/b", "/etc/passwd", "../x", "..\\x", "a\\b", "nul\x00", "line\nbreak",
             "tab\there", "escape\x1b[31m", "next\x85line", "line\u2028separator",
             "paragraph\u2029separator", "right\u202eto-left", 7, None]


@pytest.mark.parametrize("name", NOT_PLAIN, ids=repr)
def test_a_name_that_is_not_a_plain_file_name_is_refused_before_anything_is_written(name,
                                                                                   tmp_path):
    out = tmp_path / "out"
    with pytest.raises(UnsafeOutput, match="refusing to write a file named"):
        publish.write_files(out, [("first.txt", b"first"), (name, b"data")])
    assert list(tmp_path.iterdir()) == []  # not even the folder, nor the first file


@pytest.mark.parametrize("name", ["plain.txt", "...txt", "..x", "naïve — title.html", "-n",
                                  " spaced "])
def test_a_plain_name_is_written_inside_the_folder(name, tmp_path):
    (written,) = publish.write_files(tmp_path / "out", [(name, b"data")])
    assert written.parent == tmp_path / "out" and written.read_bytes() == b"data"
    assert os.listdir(tmp_path / "out") == [name]


def test_two_files_of_one_name_are_refused(tmp_path):
    with pytest.raises(UnsafeOutput, match="two files would be named 'a'"):
        publish.write_files(tmp_path, [("a", b"1"), ("a", b"2")])
    assert list(tmp_path.iterdir()) == []


def test_a_link_in_the_folder_is_replaced_never_followed(tmp_path):
    outside, out = tmp_path / "outside", tmp_path / "out"
    outside.mkdir()
    out.mkdir()
    (outside / "secret").write_text("secret")
    (out / "a").symlink_to(outside / "secret")
    (out / "b").symlink_to(outside / "not-yet")  # dangling: following it would create it
    os.link(outside / "secret", out / "c")  # a hard link: writing into it would change both
    publish.write_files(out, [("a", b"new a"), ("b", b"new b"), ("c", b"new c")])
    assert (outside / "secret").read_text() == "secret"
    assert sorted(os.listdir(outside)) == ["secret"]
    assert not any((out / n).is_symlink() for n in "abc")
    assert [(out / n).read_bytes() for n in "abc"] == [b"new a", b"new b", b"new c"]
    assert sorted(os.listdir(out)) == ["a", "b", "c"]  # no temporary file left


def test_a_new_file_is_created_only_where_nothing_has_its_name(tmp_path):
    outside = tmp_path / "outside"
    (tmp_path / "dangling").symlink_to(outside)
    with pytest.raises(UnsafeOutput, match="exists already"):
        publish.write_files(tmp_path, [("dangling", b"data")], replace=False)
    assert not outside.exists()
    publish.write_files(tmp_path, [("new", b"data")], replace=False)
    with pytest.raises(UnsafeOutput, match="exists already"):
        publish.write_files(tmp_path, [("new", b"other")], replace=False)
    assert (tmp_path / "new").read_bytes() == b"data"


def test_a_folder_that_is_a_link_is_refused(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    with pytest.raises(UnsafeOutput, match="into a link"):
        publish.write_files(tmp_path / "link", [("a", b"data")])
    assert list((tmp_path / "real").iterdir()) == []


def fill_with(files: dict[str, bytes]):
    return lambda directory: publish.write_files(directory, files.items())


def test_a_folder_is_replaced_whole_only_while_it_holds_what_its_manifest_lists(tmp_path):
    site = tmp_path / "site"
    first = publish.with_manifest({"index.html": b"1", "old.html": b"old"})
    publish.replace_directory(site, fill_with(first), publish.manifest_files, "render")
    second = publish.with_manifest({"index.html": b"2"})
    publish.replace_directory(site, fill_with(second), publish.manifest_files, "render")
    assert sorted(os.listdir(site)) == sorted(second)  # a page it wrote and no longer writes
    (site / "notes.txt").write_text("mine")
    with pytest.raises(UnsafeOutput, match=r"no earlier render wrote there \('notes.txt'\)"):
        publish.replace_directory(site, fill_with(second), publish.manifest_files, "render")
    assert (site / "notes.txt").read_text() == "mine"
    assert sorted(os.listdir(tmp_path)) == ["site"]  # no staging directory left


def test_a_folder_without_a_manifest_is_replaced_only_when_empty(tmp_path):
    empty, full = tmp_path / "empty", tmp_path / "full"
    empty.mkdir()
    (full / "sub").mkdir(parents=True)
    (full / "sub" / "deep.txt").write_text("mine")
    publish.replace_directory(empty, fill_with({"a": b"a"}), publish.manifest_files, "render")
    assert os.listdir(empty) == ["a"]
    with pytest.raises(UnsafeOutput, match="'sub'"):
        publish.replace_directory(full, fill_with({"a": b"a"}), publish.manifest_files, "render")
    assert (full / "sub" / "deep.txt").read_text() == "mine"


def test_a_package_is_replaced_only_while_it_holds_nothing_but_its_files(package):
    publish.check_replaceable(package, publish.package_files, "build")  # the files it lists
    (package / "schemas" / "notes.md").write_text("mine")
    with pytest.raises(UnsafeOutput, match="'schemas/notes.md'"):
        publish.check_replaceable(package, publish.package_files, "build")
