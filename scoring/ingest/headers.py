"""Column headers as people write them: the format's names (unit_id, value…) or the obvious
Chinese ones (单位编号, 数值…), which are read as the format's names. The first alias of each is
the one messages suggest."""

from __future__ import annotations

ALIASES: dict[str, tuple[str, ...]] = {
    "unit_id": ("单位编号", "单位代码", "编号"),
    "name": ("单位名称", "名称", "单位"),
    "category": ("类别", "分类"),
    "secretary_id": ("书记编号",),
    "secretary_name": ("书记姓名", "书记"),
    "town": ("街镇", "所属街镇", "街道"),
    "households": ("户数", "总户数"),
    "period": ("期次", "季度", "考核期"),
    "indicator_id": ("指标编号", "指标代码", "指标"),
    "value": ("数值", "取值", "值"),
    "entered_by": ("录入人", "填报人"),
    "note": ("备注", "说明"),
    # surveys.csv / .xlsx, as survey tools export them (问卷星、腾讯问卷…)
    "respondent_id": ("受访者编号", "答卷编号", "答卷序号", "序号", "受访者"),
    "item": ("题目", "题号", "问题"),
    "answer": ("答案", "得分", "评分", "分值"),
    "status": ("状态", "有效性"),
}
_CANONICAL = {alias: name for name, aliases in ALIASES.items() for alias in aliases}


def canonical(header: object) -> str:
    """A header cell as the format's column name: trimmed (full-width spaces too), an alias
    read as its name; any other header as written, trimmed."""
    text = str(header).strip().strip("\u3000").strip()
    return _CANONICAL.get(text, text)


def wanted(columns: tuple[str, ...]) -> str:
    """The required columns as a message names them: "unit_id（单位编号）, period（期次）…"."""
    return ", ".join(f"{c}（{ALIASES[c][0]}）" if c in ALIASES else c for c in columns)
