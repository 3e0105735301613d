"""The one text catalogue, kept as data: both languages have the same keys, every message is a
valid template with the same fields in both, and every key the code names literally exists."""

from __future__ import annotations

import re
import string

import yaml

from scoring.core.i18n import CATALOGUE, LOCALE
from tests.helpers import REPO

# t("key", …), L("key", …), engine_t("key", …): a key written out in the code
USED = re.compile(r"""\b(?:t|L|engine_t)\(\s*["']([a-z0-9_]+(?:\.[a-zA-Z0-9_]+)+)["']""")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_both_languages_have_the_same_keys_and_fields():
    zh, en = (yaml.safe_load((LOCALE / f"{lang}.yaml").read_text(encoding="utf-8")) for lang in ("zh", "en"))
    assert set(zh) == set(en), sorted(set(zh) ^ set(en))
    differing = {k for k in zh if _fields(str(zh[k])) != _fields(str(en[k]))}
    assert not differing, sorted(differing)


def test_every_key_the_code_names_exists():
    used: dict[str, str] = {}
    for path in [*(REPO / "scoring").rglob("*.py"), *(REPO / "dashboard").rglob("*.py")]:
        for key in USED.findall(path.read_text(encoding="utf-8")):
            used.setdefault(key, str(path.relative_to(REPO)))
    assert len(used) > 300  # the pattern finds the code's keys
    missing = {k: where for k, where in used.items() if k not in CATALOGUE}
    assert not missing, missing
