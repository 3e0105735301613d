"""The documentation is tested against the code: the README stays a front door (small, the two
commands first, its example campaign valid), every link in it and in docs/ resolves, every
command of the command line and every indicator kind is documented."""

from __future__ import annotations

import re
import typing

import pytest

from scoring.cli.main import build_parser
from scoring.rules.model import Kind
from scoring.rules.parse import parse_rules
from tests.helpers import REPO

README = REPO / "README.md"
DOCS = REPO / "docs"


def _commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return sorted(sub.choices)


def test_readme_is_a_front_door():
    text = README.read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) < 10_000
    first_block = text.split("```bash", 1)[1].split("```", 1)[0]
    assert first_block.count("\n# ") + first_block.startswith("# ") >= 2
    assert "python3 -m pip install uv && python3 -m uv run starscore dashboard" in first_block
    assert "python3 -m pip install uv && python3 -m uv run pytest" in first_block
    assert text.index("```bash") < text.index("## ")  # the commands come before any section


def test_the_readme_campaign_is_a_valid_campaign():
    text = README.read_text(encoding="utf-8")
    yaml_text = text.split("```yaml", 1)[1].split("```", 1)[0]
    rules = parse_rules(yaml_text, "README.md")
    assert len(rules.indicators) >= 5


@pytest.mark.parametrize("page", [README, *sorted(DOCS.glob("*.md"))], ids=lambda p: p.name)
def test_every_link_resolves(page):
    text = page.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if target.startswith(("http://", "https://")):
            continue
        assert (page.parent / target).exists(), f"{page.name}: {target}"


def test_every_command_is_documented():
    cli = (DOCS / "cli.md").read_text(encoding="utf-8")
    commands = _commands()
    assert {"run", "validate", "import", "score", "export", "verify"} <= set(commands)
    for command in commands:
        assert f"starscore {command}" in cli, command


def test_every_indicator_kind_is_documented():
    reference = (DOCS / "campaign-format.md").read_text(encoding="utf-8")
    kinds = typing.get_args(Kind)
    assert {"score", "linear", "tiers", "bonus", "penalty", "veto"} <= set(kinds)
    for kind in kinds:
        assert f"`{kind}`" in reference, kind


def test_the_manual_s_screenshots_exist_and_every_role_has_a_chapter():
    """The manual's images are the browser test's screenshots; each chapter exists in both
    languages."""
    import re

    for folder in (DOCS / "zh" / "manual", DOCS / "manual"):
        chapters = {p.name for p in folder.glob("*.md")}
        assert {"README.md", "admin.md", "evaluator.md", "leader.md", "finance.md", "public.md"} <= chapters
        for page in folder.glob("*.md"):
            for image in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", page.read_text(encoding="utf-8")):
                assert (page.parent / image).resolve().is_file(), (page, image)
