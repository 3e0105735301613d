"""Bounded input: no file a user uploads can take the server down or past a few hundred MB.
YAML depth and alias expansion, zip entries and expanded size, and the length of a value quoted
in a message are limited, each refused with a message naming the file and the limit."""

from __future__ import annotations

import io
import resource
import time
import zipfile
from dataclasses import dataclass

import pytest

from scoring.core.errors import CampaignError, Problem
from scoring.ingest import upload
from scoring.ingest.upload import unpack
from scoring.rules.parse import parse_rules
from tests.ingest.test_validation import UNITS, YAML, folder, problems


def _codes(text: str) -> list[str]:
    with pytest.raises(CampaignError) as info:
        parse_rules(text)
    return [p.code for p in info.value.problems]


def test_deeply_nested_yaml_is_refused_before_the_parser(tmp_path):
    # libyaml's parser crashes (the whole process) near 30,000 nested brackets
    assert _codes("a: " + "[" * 30_000 + "]" * 30_000 + "\n") == ["yaml_too_deep"]
    assert _codes("a: " + "{x: " * 100 + "1" + "}" * 100 + "\n") == ["yaml_too_deep"]
    # brackets inside quotes or comments are text
    quoted = YAML.replace("name: 校验", 'name: "' + "[" * 100 + '"', 1)
    assert quoted != YAML
    assert parse_rules(quoted + "# " + "[" * 100 + "\n").campaign.name == "[" * 100


def test_an_alias_bomb_is_refused_fast_and_small():
    bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    bomb += [f"a{k}: &a{k} [" + ", ".join([f"*a{k - 1}"] * 10) + "]" for k in range(1, 9)]
    text = "\n".join(bomb) + "\n"
    assert len(text.encode()) < 1200
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with pytest.raises(CampaignError) as info:
        parse_rules(text)
    assert time.perf_counter() - started < 2
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100_000  # kB
    assert [p.code for p in info.value.problems] == ["yaml_aliases"]
    assert len(info.value.render("en")) < 300  # the input is not repeated


def test_a_few_aliases_are_fine():
    rules = parse_rules(YAML + "x_defaults: &d {a: 1}\nx_copy: *d\n")
    assert rules.id


def test_a_value_is_never_echoed_whole():
    problem = Problem("values.csv", 2, "value", "not_a_number", {"value": "9" * 10_000_000})
    assert len(problem.render("en")) < 400 and "(10000000)" in problem.render("en")


@dataclass
class _File:
    name: str
    data: bytes

    def getvalue(self) -> bytes:
        return self.data


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_a_zip_bomb_is_refused_while_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(upload, "MAX_UPLOAD_MB", 1)
    bomb = _zip({"values.csv": b"0" * (50 << 20)})  # 50 MB of zeros, about 50 kB zipped
    assert len(bomb) < 100_000
    with pytest.raises(CampaignError) as info:
        unpack([_File("c.zip", bomb)], tmp_path)
    assert [p.code for p in info.value.problems] == ["upload_too_large"]
    assert "values.csv" in info.value.problems[0].file
    assert not (tmp_path / "values.csv").exists()


def test_a_zip_of_many_entries_or_a_repeated_file_is_refused(tmp_path):
    many = _zip({f"f{k}.txt": b"" for k in range(500)})
    with pytest.raises(CampaignError) as info:
        unpack([_File("c.zip", many)], tmp_path)
    assert [p.code for p in info.value.problems] == ["zip_entries"]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a/values.csv", b"x")
        z.writestr("b/values.csv", b"y")
    with pytest.raises(CampaignError) as info:
        unpack([_File("c.zip", buf.getvalue())], tmp_path)
    assert [p.code for p in info.value.problems] == ["zip_duplicate"]
    with pytest.raises(CampaignError) as info:
        unpack([_File("c.zip", b"PK not a zip")], tmp_path)
    assert [p.code for p in info.value.problems] == ["zip_invalid"]


def test_a_zip_s_paths_are_reduced_to_known_names(tmp_path):
    files = unpack([_File("c.zip", _zip({"../../etc/campaign.yaml": b"a: 1\n", "evil.sh": b"x"}))], tmp_path)
    assert files == ["campaign.yaml"] and sorted(p.name for p in tmp_path.iterdir()) == ["campaign.yaml"]


def test_control_characters_in_names_are_refused(tmp_path):
    lines = UNITS.splitlines()
    parts = lines[1].split(",")
    parts[1] = "社区\x1b[31m" + "\u202e反转"
    lines[1] = ",".join(parts)
    found = problems(folder(tmp_path, units_csv="\n".join(lines) + "\n"))
    assert [(p.file, p.row, p.column, p.code, p.params["char"]) for p in found] == [
        ("units.csv", 2, "name", "control_chars", "U+001B")
    ]
