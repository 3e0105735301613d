"""The rules page's labels (zh default, en): how each kind of indicator scores, in words."""

from __future__ import annotations

RULES_LABELS: dict[str, dict[str, str]] = {
    "ru.title": {"zh": "评分规则", "en": "Scoring rules"},
    "ru.id": {"zh": "代码", "en": "Id"},
    "ru.basics": {
        "zh": "{name}：{periods} 共 {n} 期；全年得分取各期{how}；缺失数据{missing}。",
        "en": "{name}: {n} periods ({periods}); the annual score is the {how} of the period scores; missing values {missing}.",
    },
    "ru.mean": {"zh": "平均", "en": "mean"},
    "ru.sum": {"zh": "之和", "en": "sum"},
    "ru.missing_error": {
        "zh": "不允许（必须填齐才计分）",
        "en": "are not allowed (scoring waits for every value)",
    },
    "ru.missing_zero": {"zh": "按 0 分计", "en": "score 0"},
    "ru.categories": {"zh": "比拼类别", "en": "Categories"},
    "ru.indicators": {"zh": "指标", "en": "Indicators"},
    "ru.how": {"zh": "计分方法", "en": "How points are given"},
    "ru.applies": {"zh": "适用类别", "en": "Applies to"},
    "ru.stars": {"zh": "星级评定（年度）", "en": "Star levels (annual)"},
    "ru.flags": {"zh": "流动红旗（每期）", "en": "Flags (each period)"},
    "ru.flags_text": {
        "zh": "每个类别每期排名前 {n} 且得分不低于 {min} 的单位获得红旗（并列均得）。",
        "en": "In each category and period, units ranked in the top {n} with a score of at least {min} win a flag (ties all win).",
    },
    "ru.no_flags": {"zh": "本活动不评流动红旗。", "en": "This campaign awards no flags."},
    "ru.tie_break": {"zh": "同分时依次比较：{inds}", "en": "Ties are broken by: {inds}"},
    "ru.awards": {"zh": "奖励办法", "en": "Awards"},
    "ru.awards_text": {
        "zh": "每面红旗 {flag} 元；社区年度奖励最高 {cap} 元；书记按任职期数分得社区奖励的 {share}，最高 {scap} 元；预算 {budget} 元，超出时按比例缩减；实发金额向下取整到 {rounding} 元。",
        "en": "{flag} yuan per flag; a community gets at most {cap} yuan a year; its secretary gets {share} of it by periods in post, at most {scap} yuan; budget {budget} yuan, scaled down in proportion when exceeded; final amounts floored to {rounding} yuan.",
    },
    "ru.level": {
        "zh": "{stars} 星：年度得分 ≥ {min}{quota}，奖励 {amount} 元",
        "en": "{stars}★: annual score ≥ {min}{quota}, award {amount} yuan",
    },
    "ru.quota": {"zh": "，且名次在类别前 {share}", "en": ", and ranked in the category's top {share}"},
    "ru.kind.score": {"zh": "直接得分（0–{points} 分）", "en": "the value is the points (0–{points})"},
    "ru.kind.bonus": {"zh": "加分（0–{points} 分）", "en": "bonus points added (0–{points})"},
    "ru.kind.penalty": {"zh": "扣分（0–{points} 分）", "en": "points deducted (0–{points})"},
    "ru.kind.veto": {
        "zh": "一票否决：取值 1 则该期否决、全年无星级和奖励",
        "en": "veto: a value of 1 vetoes the period, and the year's stars and awards",
    },
    "ru.kind.linear": {
        "zh": "线性：{floor} 得 0 分，{target} 及以上得满分 {points} 分，之间按比例",
        "en": "linear: {floor} earns 0, {target} earns the full {points}, in proportion between",
    },
    "ru.kind.linear_low": {
        "zh": "线性（越低越好）：{floor} 得 0 分，{target} 及以下得满分 {points} 分",
        "en": "linear (lower is better): {floor} earns 0, {target} or below earns the full {points}",
    },
    "ru.kind.relative_ratio": {
        "zh": "按比例折算：本类别本期最高值得满分 {points} 分，其余按 数值 ÷ 最高值 折算（数值不能为负）",
        "en": "relative: the category's highest value this period earns the full {points}, others value ÷ highest",
    },
    "ru.kind.relative_ratio_low": {
        "zh": "按比例折算（越低越好）：本类别本期最低值得满分 {points} 分，其余按 最低值 ÷ 数值 折算",
        "en": "relative (lower is better): the category's lowest value earns the full {points}, others lowest ÷ value",
    },
    "ru.kind.relative_minmax": {
        "zh": "按极差折算：本类别本期最高值得满分 {points} 分、最低值得 0 分，之间按比例（都相同则都得满分）",
        "en": "min-max: the category's highest value earns the full {points}, the lowest 0, in proportion between "
        "(all equal: full points)",
    },
    "ru.kind.relative_minmax_low": {
        "zh": "按极差折算（越低越好）：本类别本期最低值得满分 {points} 分、最高值得 0 分，之间按比例（都相同则都得满分）",
        "en": "min-max (lower is better): the lowest value earns the full {points}, the highest 0, in proportion "
        "between (all equal: full points)",
    },
    "ru.kind.rank_points": {
        "zh": "按排名赋分（{better}）：{places}，其余名次 {rest} 分；数值相同名次相同",
        "en": "points by place ({better}): {places}, every later place {rest}; equal values share a place",
    },
    "ru.better_higher": {"zh": "数值越高名次越前", "en": "higher is better"},
    "ru.better_lower": {"zh": "数值越低名次越前", "en": "lower is better"},
    "ru.place": {"zh": "第{n}名 {p} 分", "en": "place {n}: {p}"},
    "ru.kind.tiers": {"zh": "分档：{tiers}；都不满足得 0 分", "en": "tiers: {tiers}; otherwise 0"},
    "ru.tier_min": {"zh": "≥{v} 得 {p} 分", "en": "≥{v}: {p}"},
    "ru.tier_range": {"zh": "{lo}–{hi} 得 {p} 分", "en": "{lo}–{hi}: {p}"},
    "ru.tier_max": {"zh": "≤{v} 得 {p} 分", "en": "≤{v}: {p}"},
    "ru.every": {"zh": "全部类别", "en": "every category"},
    "ru.surveys": {"zh": "群众满意度调查", "en": "Residents' surveys"},
    "ru.survey": {
        "zh": "{name}：由居民答卷得出，评分 {low}–{high}，{measure}；受访者少于 {min} 人按缺失处理",
        "en": "{name}: from residents' answers on a {low}–{high} scale, {measure}; fewer than {min} respondents is a missing value",
    },
    "ru.survey_mean": {
        "zh": "数值 = 100 ×（平均分 − 最低分）÷（最高分 − 最低分）",
        "en": "value = 100 × (mean score − lowest) / (highest − lowest)",
    },
    "ru.survey_share": {
        "zh": "数值 = 平均分 ≥ {sat} 的受访者所占百分比",
        "en": "value = the percentage of respondents whose mean score is at least {sat}",
    },
    "lb.progress": {"zh": "进步奖", "en": "Progress award"},
    "ca.baseline_title": {"zh": "上年结果（进步奖基数）", "en": "Last year's results (progress award)"},
    "ca.baseline_help": {
        "zh": "把已存入本库的上年活动的年度得分和排名，作为当前活动 {id} 的上年结果：先按单位编号、再按唯一的单位名称对应。现有 {n} 个单位的上年结果，将被替换。",
        "en": "Take a stored campaign's annual scores and ranks as campaign {id}'s last-year results: matched by unit id, then by a unique unit name. {n} units have one now; they are replaced.",
    },
    "ca.baseline_from": {"zh": "上年活动", "en": "Last year's campaign"},
    "ca.baseline_take": {"zh": "取为上年结果", "en": "Take as last year's results"},
    "ca.baseline_taken": {
        "zh": "已写入上年结果：按编号对应 {by_id} 个单位，按名称对应 {by_name} 个，已重新计分。",
        "en": "Last year's results written: {by_id} units matched by id, {by_name} by name; scored again.",
    },
    "ca.baseline_unmatched": {
        "zh": " 本年有 {n} 个单位找不到上年结果（不能获进步奖）：{units}",
        "en": " {n} of this year's units have no last-year result (they cannot win the progress award): {units}",
    },
    "pf.derivation": {
        "zh": "{period} 得分构成（逐项计算）",
        "en": "How {period}'s score was made, item by item",
    },
    "ru.kind.bonus_each": {
        "zh": "按次加分：每次（每项）加 {each} 分，最多加 {points} 分；填次数",
        "en": "per occurrence: {each} points each, at most {points}; enter the count",
    },
    "ru.kind.penalty_each": {
        "zh": "按次扣分：每发生一次扣 {each} 分，扣完 {points} 分为止；填次数",
        "en": "per occurrence: {each} points off each time, at most {points} in all; enter the count",
    },
    "ru.may_not_apply": {
        "zh": "；不涉及的单位填“不涉及”",
        "en": "; a unit it does not apply to enters 不涉及",
    },
    "ru.na_title": {"zh": "不涉及的项目按得分率折算", "en": "Items that do not apply are rescaled"},
    "ru.na_text": {
        "zh": "某单位某期填“不涉及”的项目不计分、不参与该项比较，其余基础指标按得分率折算，使满分不变："
        "期得分 = 基础指标得分 × 本类别基础指标满分 ÷ 该单位适用项目满分 + 加分 − 扣分（四舍五入到 0.01）。"
        "例：满分 20、30、50 的三项，第三项不涉及，前两项得 16、24 分，另加 2 分：40 × 100 ÷ 50 + 2 = 82 分。",
        "en": "An item marked 不涉及 for a unit in a period earns nothing and is left out of that item's "
        "comparison; the unit's other base items are scaled up so that its maximum stays the same: "
        "score = base points × the category's base maximum ÷ the maximum of the items that apply + bonuses "
        "− penalties (rounded to 0.01). E.g. items worth 20, 30 and 50, the third not applying, 16 and 24 "
        "earned, a bonus of 2: 40 × 100 ÷ 50 + 2 = 82.",
    },
    "ru.progress_rank": {
        "zh": "进步奖：每个类别中，年度排名比上年前进名次最多的前 {n} 名（前进须大于 0，并列均得）各奖 {amount} 元，计入社区奖励（受封顶限制）。已有 {with_baseline} 个单位的上年结果。",
        "en": "Progress award: in each category, the {n} units that climbed most places against last year's annual rank (a climb above 0; ties all win) get {amount} yuan each, within the community cap. {with_baseline} units have last year's result.",
    },
    "ru.progress_score": {
        "zh": "进步奖：每个类别中，年度得分比上年提高最多的前 {n} 名（提高须大于 0，并列均得）各奖 {amount} 元，计入社区奖励（受封顶限制）。已有 {with_baseline} 个单位的上年结果。",
        "en": "Progress award: in each category, the {n} units whose annual score rose most against last year's (a rise above 0; ties all win) get {amount} yuan each, within the community cap. {with_baseline} units have last year's result.",
    },
}
