"""Names print as written: escaped, ligatures broken, Cyrillic in T2A, the unprintable named."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from pipeline import escape as E


@pytest.mark.parametrize(
    "text",
    ["& % $ # _ { } ~ ^ \\", r"\input{/etc/passwd}", r"\write18{rm -rf /}", "a\x00b\x1bc", "<|>\""],
)
def test_latex_escape_leaves_no_active_character(text):
    escaped = E.latex_escape(text)
    stripped = re.sub(r"\\(?:text\w+|[&%$#_{}])(?:\{\})?", "", escaped)
    assert not set(stripped) & set("&%$#_{}~^\\\x00\x1b"), escaped


@pytest.mark.parametrize(
    ("text", "latex"),
    [
        ("Jean--Luc", "Jean-{}-Luc"),
        ("a---b", "a-{}-{}-b"),
        ("``x''", r"\textasciigrave{}\textasciigrave{}x'{}'"),
        ("!` ?` ,,", r"!\textasciigrave{} ?\textasciigrave{} ,{},"),
        ("O'Brien", "O'Brien"),
    ],
)
def test_ligatures_are_broken_so_every_character_prints(text, latex):
    assert E.latex_escape(text) == latex


def test_a_decomposed_name_is_composed():
    decomposed = "Jose\u0301"
    assert E.normalise(decomposed) == "José"
    assert E.unprintable_characters(decomposed) == []


def test_latin_and_cyrillic_print_and_the_rest_is_named():
    assert E.unprintable_characters("Anne-Marie Müller — Łódź “quoted” Ștefan Țurcan") == []
    assert E.unprintable_characters("Иван Петров") == []
    assert E.unprintable_characters("Ŀ 中") == ["Ŀ", "中"]
    assert "U+4E2D" in E.describe_characters(["中"])


def test_cyrillic_runs_are_set_in_t2a_and_nothing_else_is():
    assert E.latex_text("Иван Петров (Ivan)") == r"\textcyrillic{Иван Петров} (Ivan)"
    assert E.needs_cyrillic("Иван") and not E.needs_cyrillic("José")




@pytest.mark.skipif(shutil.which("kpsewhich") is None, reason="needs TeX Live")
def test_the_printable_sets_are_those_of_the_installed_latex():
    """The hard-coded ranges equal the UTF-8 definitions of LaTeX's T1 and T2A encodings."""

    def declared(name):
        path = subprocess.run(["kpsewhich", name], capture_output=True, text=True).stdout.strip()
        text = Path(path).read_text(encoding="latin-1")
        return {int(code, 16) for code in re.findall(r"\\DeclareUnicodeCharacter\{([0-9A-F]+)\}", text)}

    t1 = {c for low, high in E._T1_RANGES for c in range(low, high + 1)}
    cyrillic = {c for low, high in E._CYRILLIC_RANGES for c in range(low, high + 1)}
    assert t1 - set(range(0x20, 0x7F)) == declared("t1enc.dfu") - {0xAD, 0x200C, 0x2423}
    assert cyrillic == {c for c in declared("t2aenc.dfu") if 0x400 <= c <= 0x4FF}
    for code in sorted(t1 | cyrillic):
        assert unicodedata.category(chr(code))[0] in "LNPSZ", hex(code)
