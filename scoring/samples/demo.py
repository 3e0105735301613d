"""The demo campaign: a seeded, 鸠江区-like district of 109 villages and communities.

``python -m scoring.samples.demo FOLDER`` (or ``starscore demo --folder FOLDER``) writes it as a
campaign folder, with three departments' own exports for 2023Q1 in its ``sources`` folder. The
same seed always gives the same files, byte for byte; ``data/demo`` in the repository is this
output and a test checks that they still agree.
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

from scoring.samples.demo_sources import SOURCES_YAML, source_files

SEED = 2023
YEAR = 2023
PERIODS = [f"{YEAR}Q{q}" for q in range(1, 5)]

# (town, kind of town, how many urban / agricultural communities / villages)
TOWNS = [
    ("湾里街道", 9, 3, 0),
    ("四褐山街道", 8, 3, 0),
    ("官陡街道", 8, 2, 2),
    ("清水街道", 9, 3, 2),
    ("沈巷镇", 2, 4, 13),
    ("汤沟镇", 1, 3, 11),
    ("白茆镇", 1, 3, 9),
    ("二坝镇", 1, 3, 9),
]
CATEGORIES = [("urban", "城市社区"), ("agri", "涉农社区"), ("village", "农村（村）")]
PLACE = list(
    "华强万春四湾曹姑罗兰龙山永安滨江通江新河惠民东塘白马杨湾黄山金桥芜湖平安"
    "和平康宁丰收长江高桥八角石山裕民三山东湖兴旺中心红星青山前进太平双井荷花"
)
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾")
GIVEN = list("建国志强红梅玉兰海燕秀英明华丽娟国庆文军春生德胜晓东桂芳小平")

YAML = """\
format: starscore/1
campaign:
  id: jiujiang-{year}
  name: 鸠江区{year}年度"鸠地比拼 争星夺旗"
  year: {year}
  periods: [{periods}]
  objection_days: 5
annual_score: mean
missing: error
categories:
  - {{id: urban, name: 城市社区}}
  - {{id: agri, name: 涉农社区}}
  - {{id: village, name: 农村（村）}}
indicators:
  - {{id: party_building, name: 党建引领, area: 党的建设, kind: score, points: 15}}
  - {{id: secretary_lead, name: 书记领航工作, area: 党的建设, kind: score, points: 6}}
  - {{id: member_role, name: 党员先锋作用发挥, area: 党的建设, kind: score, points: 4}}
  - {{id: collective_income, name: 村集体经济收入, area: 集体经济, unit: 万元,
      categories: [agri, village], kind: relative, method: ratio, better: higher, points: 8,
      min_value: 0}}
  - {{id: income_growth, name: 村集体经济收入增长率, area: 集体经济, unit: "%",
      categories: [agri, village], kind: linear, floor: 0, target: 15, points: 6}}
  - {{id: service_area, name: 党群服务中心每百户面积, area: 服务阵地, unit: ㎡, kind: tiers,
      tiers: [{{min: 30, points: 8}}, {{min: 20, points: 4}}], min_value: 0}}
  - {{id: service_hall, name: 一站式便民服务大厅面积, area: 服务阵地, unit: ㎡, kind: tiers,
      tiers: [{{min: 50, points: 3}}, {{min: 30, points: 1}}], min_value: 0}}
  - {{id: social_workers, name: 持证社工比例, area: 队伍建设, unit: "%", kind: tiers,
      tiers: [{{min: 20, points: 6}}, {{min: 10, points: 3}}], min_value: 0, max_value: 100}}
  - {{id: grid_staffing, name: 网格员配备率, area: 队伍建设, unit: "%", kind: linear,
      floor: 60, target: 100, points: 5, min_value: 0, max_value: 100}}
  - {{id: training, name: 社区工作者培训参训率, area: 队伍建设, unit: "%", kind: linear,
      floor: 50, target: 100, points: 3, min_value: 0, max_value: 100}}
  - {{id: satisfaction, name: 群众满意度, area: 基层治理, unit: "%", kind: linear,
      floor: 70, target: 95, points: 10, min_value: 0, max_value: 100}}
  - {{id: hotline, name: 12345接诉即办排名, area: 基层治理, unit: "%", kind: rank_points,
      better: higher, points_by_rank: [6, 5.5, 5, 4.5], rest: 4.5, min_value: 0,
      max_value: 100}}
  - {{id: petitions, name: 信访投诉量, area: 基层治理, unit: 件, kind: tiers,
      tiers: [{{max: 2, points: 5}}, {{max: 5, points: 2}}], min_value: 0}}
  - {{id: consultation, name: 协商议事次数, area: 基层治理, unit: 次, kind: tiers,
      tiers: [{{min: 6, points: 4}}, {{min: 3, points: 2}}], min_value: 0}}
  - {{id: disputes, name: 矛盾纠纷调处成功率, area: 基层治理, unit: "%", kind: linear,
      floor: 85, target: 100, points: 4, min_value: 0, max_value: 100}}
  - {{id: volunteers, name: 注册志愿者占常住人口比例, area: 社区服务, unit: "%", kind: linear,
      floor: 5, target: 15, points: 4, min_value: 0, max_value: 100}}
  - {{id: elderly_care, name: 居家养老服务, area: 社区服务, kind: score, points: 4,
      categories: [urban, agri]}}
  - {{id: smart_community, name: 智慧社区建设, area: 社区服务, kind: score, points: 3,
      categories: [urban]}}
  - {{id: property, name: 物业服务覆盖率, area: 社区服务, unit: "%", kind: linear,
      floor: 50, target: 100, points: 4, categories: [urban], min_value: 0, max_value: 100}}
  - {{id: environment, name: 人居环境整治, area: 乡村振兴, kind: score, points: 6,
      categories: [agri, village]}}
  - {{id: charity_fund, name: 社区慈善基金, area: 五社联动, unit: 万元, kind: tiers,
      tiers: [{{min: 5, points: 3}}, {{min: 1, points: 1}}], min_value: 0}}
  - {{id: power_list, name: 小微权力清单公开, area: 民主监督, kind: score, points: 3}}
  - {{id: honours, name: 荣誉加分, area: 加减分, kind: bonus, points: 5, evidence: required}}
  - {{id: publicity, name: 宣传信息录用加分, area: 加减分, kind: bonus, points: 2}}
  - {{id: incidents, name: 信访/安全事件扣分, area: 加减分, kind: penalty, points: 10}}
  - {{id: delays, name: 重点工作推进滞后扣分, area: 加减分, kind: penalty, points: 5}}
  - {{id: veto, name: 一票否决事项, area: 一票否决, kind: veto}}
ranking:
  tie_break: [party_building, satisfaction]
stars:
  - {{stars: 5, min_score: 88, max_share: 0.10}}
  - {{stars: 4, min_score: 82, max_share: 0.30}}
  - {{stars: 3, min_score: 75}}
  - {{stars: 2, min_score: 68}}
  - {{stars: 1, min_score: 60}}
flags:
  top_n: 2
  min_score: 80
awards:
  stars: {{5: 150000, 4: 130000, 3: 120000, 2: 100000, 1: 70000}}
  flag: 20000
  community_cap: 150000
  secretary_share: 0.25
  secretary_cap: 37500
  budget: 12000000
  rounding: 100
{sources}surveys:                  # 群众满意度: each unit's residents answer three items, 1 to 5
  - {{indicator: satisfaction, scale: [1, 5], measure: share, satisfied_from: 4,
      min_responses: 20}}
"""

SURVEY_ITEMS = ("服务态度", "办事效率", "环境卫生")

# indicator id -> (category filter or None, generator of a value from quality q and rng)
Gen = tuple[tuple[str, ...] | None, str]


def _clip(x: float, lo: float, hi: float) -> float:
    return max(lo, min(hi, x))


# A graded indicator's value for a unit of quality q: mean + slope × q + a gaussian of this
# spread, clipped to [lo, hi], written as a rounded whole number ("round"), a truncated one
# ("int") or with one decimal ("1f").
GRADED: dict[str, tuple[float, float, float, float, float, str]] = {
    "party_building": (11.5, 2, 1, 6, 15, "round"),
    "secretary_lead": (4.5, 0.8, 0.6, 1, 6, "round"),
    "member_role": (3, 0.5, 0.4, 0, 4, "1f"),
    "collective_income": (55, 25, 12, 8, 180, "1f"),
    "income_growth": (8, 4, 3, -10, 40, "1f"),
    "service_area": (27, 5, 4, 8, 60, "1f"),
    "service_hall": (55, 12, 10, 30, 120, "int"),
    "social_workers": (19, 5, 4, 3, 45, "1f"),
    "grid_staffing": (88, 6, 5, 45, 100, "1f"),
    "training": (88, 6, 5, 45, 100, "1f"),
    "satisfaction": (89, 3, 2.5, 70, 99.5, "1f"),
    "hotline": (95, 2.5, 2, 75, 100, "1f"),
    "petitions": (2.5, -1.2, 1.3, 0, 12, "round"),
    "consultation": (5, 1.5, 1.5, 0, 15, "round"),
    "disputes": (95, 2.5, 2, 80, 100, "1f"),
    "volunteers": (11, 2.5, 2, 2, 25, "1f"),
    "elderly_care": (4 * 0.8, 0.4, 0.3, 0, 4, "1f"),
    "power_list": (3 * 0.8, 0.4, 0.3, 0, 3, "1f"),
    "smart_community": (2.2, 0.4, 0.3, 0, 3, "1f"),
    "property": (85, 8, 6, 30, 100, "1f"),
    "environment": (4.8, 0.6, 0.5, 0, 6, "1f"),
    "charity_fund": (2, 2, 1.5, 0, 20, "1f"),
}


def _value(ind: str, q: float, rng: random.Random) -> str:
    """A realistic value for a unit of quality q (about -2..2)."""
    if ind in GRADED:
        mean, slope, spread, lo, hi, written = GRADED[ind]
        x = mean + slope * q + rng.gauss(0, spread)
        if written == "round":
            return str(int(_clip(round(x), lo, hi)))
        if written == "int":
            return str(int(_clip(x, lo, hi)))
        return f"{_clip(x, lo, hi):.1f}"
    if ind == "honours":
        return str(rng.choices([0, 1, 2, 3, 5], weights=[50, 20, 15, 10, 5])[0])
    if ind == "publicity":
        return f"{rng.choice([0, 0, 0.5, 1, 1.5, 2]):g}"
    if ind == "incidents":
        return str(rng.choices([0, 1, 2, 5], weights=[80, 10, 7, 3])[0])
    if ind == "delays":
        return str(rng.choices([0, 1, 2], weights=[85, 10, 5])[0])
    raise ValueError(ind)


APPLIES: dict[str, tuple[str, ...] | None] = {
    "collective_income": ("agri", "village"),
    "income_growth": ("agri", "village"),
    "elderly_care": ("urban", "agri"),
    "smart_community": ("urban",),
    "property": ("urban",),
    "environment": ("agri", "village"),
}
INDICATORS = [
    "party_building",
    "secretary_lead",
    "member_role",
    "collective_income",
    "income_growth",
    "service_area",
    "service_hall",
    "social_workers",
    "grid_staffing",
    "training",
    "satisfaction",
    "hotline",
    "petitions",
    "consultation",
    "disputes",
    "volunteers",
    "elderly_care",
    "smart_community",
    "property",
    "environment",
    "charity_fund",
    "power_list",
    "honours",
    "publicity",
    "incidents",
    "delays",
    "veto",
]
EVALUATORS = {"党的建设": "区委组织部", "集体经济": "区农业农村局", "基层治理": "区民政局"}


def _person(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2])))
        if name not in used:
            used.add(name)
            return name


def build(seed: int = SEED) -> dict[str, list[list[str]]]:
    """The demo campaign's tables as rows of text (header first)."""
    rng = random.Random(seed)
    units = [["unit_id", "name", "category", "secretary_id", "secretary_name", "town", "households"]]
    names_used: set[str] = set()
    people: set[str] = set()
    records = []
    n = 0
    for town, n_urban, n_agri, n_village in TOWNS:
        for category, count in (("urban", n_urban), ("agri", n_agri), ("village", n_village)):
            for _ in range(count):
                n += 1
                while True:
                    place = "".join(rng.sample(PLACE, 2))
                    if place not in names_used:
                        names_used.add(place)
                        break
                name = place + ("村" if category == "village" else "社区")
                uid = f"JJ{n:03d}"
                sid = f"S{n:03d}"
                households = rng.randint(600, 4200) if category == "urban" else rng.randint(350, 1600)
                records.append(
                    (uid, name, category, sid, _person(rng, people), town, households, rng.gauss(0, 1))
                )
    # two secretaries each lead a second, neighbouring unit (一人兼任两个村居)
    records[60] = (*records[60][:3], records[59][3], records[59][4], *records[60][5:])
    records[95] = (*records[95][:3], records[94][3], records[94][4], *records[95][5:])
    for uid, name, category, sid, sname, town, households, _ in records:
        units.append([uid, name, category, sid, sname, town, str(households)])

    # 换届: four units change secretary after 2023Q2
    secretaries = [["unit_id", "period", "secretary_id", "secretary_name"]]
    for k in (7, 33, 70, 101):
        uid, _, _, sid, sname = records[k][:5]
        newcomer = _person(rng, people)
        for p, period in enumerate(PERIODS):
            if p < 2:
                secretaries.append([uid, period, sid, sname])
            else:
                secretaries.append([uid, period, f"S{200 + k:03d}", newcomer])

    vetoes = {(records[17][0], PERIODS[2]), (records[84][0], PERIODS[1])}
    area_of = {
        i: a
        for i, a in (
            (line.split("id: ")[1].split(",")[0], line.split("area: ")[1].split(",")[0])
            for line in YAML.splitlines()
            if "area: " in line and "id: " in line
        )
    }
    values = [["unit_id", "period", "indicator_id", "value", "entered_by", "note"]]
    surveys = [["unit_id", "period", "indicator_id", "respondent_id", "item", "answer", "status"]]
    voters = random.Random(seed + 1)  # the residents' answers, apart from the other values
    for uid, _, category, _, _, _, _, q in records:
        for p, period in enumerate(PERIODS):
            drift = q + 0.15 * p * (1 if q > 0 else -0.3)
            for ind in INDICATORS:
                applies = APPLIES.get(ind)
                if applies is not None and category not in applies:
                    continue
                if ind == "veto":
                    vetoed = (uid, period) in vetoes
                    value, note = ("1", "发生重大安全责任事故") if vetoed else ("0", "")
                else:
                    value, note = _value(ind, drift, rng), ""
                if ind == "satisfaction":  # the survey supplies it, about as satisfied as this
                    surveys += _answers(uid, period, float(value), voters)
                    continue
                who = EVALUATORS.get(area_of.get(ind, ""), "区争星夺旗办")
                values.append([uid, period, ind, value, who, note])
    return {"units.csv": units, "secretaries.csv": secretaries, "values.csv": values, "surveys.csv": surveys}


def _answers(uid: str, period: str, share: float, rng: random.Random) -> list[list[str]]:
    """One unit's survey answers in one period: 30 to 40 residents, each answering every item;
    a resident is satisfied (every answer 4 or 5) with probability ``share`` %; about one row
    in a hundred is marked excluded (a spoilt answer, kept but not counted)."""
    rows = []
    for k in range(rng.randint(30, 40)):
        satisfied = rng.random() * 100 < share
        answers = [rng.choice((4, 5)) if satisfied else rng.choice((2, 3, 4)) for _ in SURVEY_ITEMS]
        if not satisfied and min(answers) == 4:
            answers[rng.randrange(len(answers))] = 3
        for item, answer in zip(SURVEY_ITEMS, answers, strict=True):
            status = "excluded" if rng.random() < 0.01 else ""
            rows.append([uid, period, "satisfaction", f"R{k + 1:03d}", item, str(answer), status])
    return rows


def write_demo(folder: Path, seed: int = SEED) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = YAML.format(year=YEAR, periods=", ".join(PERIODS), sources=SOURCES_YAML)
    (folder / "campaign.yaml").write_text(text, encoding="utf-8")
    tables = build(seed)
    files = {folder / name: rows for name, rows in tables.items()}
    files |= {
        folder / "sources" / name: rows
        for name, rows in source_files(
            tables["units.csv"], tables["values.csv"], tables["surveys.csv"]
        ).items()
    }
    for path, rows in files.items():
        path.parent.mkdir(exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows(rows)
    return folder


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "data/demo")
    print(write_demo(target))
