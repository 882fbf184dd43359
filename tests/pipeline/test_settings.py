"""submission.toml: the student's details, checked key by key, overridden for one build."""

from __future__ import annotations

import pytest

from pipeline.settings import DEFAULT_AUTHOR, SettingsError, Student, load

NONE = {"author": None, "student_id": None, "group": None, "date": None}


def test_the_file_is_read_and_an_option_overrides_one_value(tmp_path):
    path = tmp_path / "submission.toml"
    path.write_text('author = "Jane Doe"\nstudent_id = "123"\ngroup = "B05"\ndate = "6 December 2026"\n')
    assert load(path, NONE) == Student("Jane Doe", "123", "B05", "6 December 2026")
    assert load(path, {**NONE, "author": "Ann"}).author == "Ann"
    assert load(path, {**NONE, "author": "Ann"}).student_id == "123"


def test_a_missing_file_gives_the_defaults(tmp_path):
    assert load(tmp_path / "submission.toml", NONE) == Student(DEFAULT_AUTHOR)


@pytest.mark.parametrize(
    ("content", "override", "message"),
    [
        ('author = ""\n', {}, r"submission.toml: author is empty"),
        ('author = "   "\n', {}, r"submission.toml: author is empty"),
        ("author = 42\n", {}, r"author must be a string"),
        ('author = "A"\nstudent_id = "中"\n', {}, r"student_id holds .*U\+4E2D"),
        ('autor = "Jane"\n', {}, r"unknown key 'autor' \(did you mean 'author'\?\)"),
        ('author = "Jane\n', {}, r"submission.toml:1: not valid TOML"),
        ('author = "A"\n', {"author": ""}, r"--author: author is empty"),
        ('author = "A"\n', {"group": "Ŀ"}, r"--group: group holds .*U\+013F"),
    ],
)
def test_bad_values_are_refused_naming_the_file_or_option_and_the_key(tmp_path, content, override, message):
    path = tmp_path / "submission.toml"
    path.write_text(content)
    with pytest.raises(SettingsError, match=message):
        load(path, {**NONE, **override})


def test_values_are_normalised(tmp_path):
    path = tmp_path / "submission.toml"
    path.write_text('author = "  Jose\u0301   Garci\u0301a "\n')
    assert load(path, NONE).author == "José García"
