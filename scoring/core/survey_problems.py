"""The problems of the kinds that compare a unit with its field (relative, rank_points) and of
residents' surveys, as catalogue entries (zh default, en); merged with ``scoring.core.problems``
by ``scoring.core.i18n``."""

from __future__ import annotations

SURVEY_PROBLEMS: dict[str, dict[str, str]] = {
    "problem.rank_points_empty": {
        "zh": "指标 {indicator}（按排名赋分）的 points_by_rank 为空，请按名次写出分值，如 [10, 8, 6]",
        "en": "indicator {indicator} (points by place): points_by_rank is empty; list the places' points, e.g. [10, 8, 6]",
    },
    "problem.rank_points_negative": {
        "zh": "指标 {indicator}：第{place}名的分值不能为负数",
        "en": "indicator {indicator}: place {place}'s points cannot be negative",
    },
    "problem.rank_points_above": {
        "zh": "指标 {indicator}：第{place}名的分值 {value} 超过了该指标的分值 {points}",
        "en": "indicator {indicator}: place {place}'s points {value} exceed the indicator's points {points}",
    },
    "problem.rank_points_increase": {
        "zh": "指标 {indicator}：第{place}名的分值 {value} 高于前一名的 {before}，名次越靠后分值应越低或相同",
        "en": "indicator {indicator}: place {place}'s points {value} are above the place before's {before}; "
        "later places must earn the same or less",
    },
    "problem.rank_rest_range": {
        "zh": "指标 {indicator}：rest（其余名次的分值）{value} 应在 0 到最后一个名次的分值 {last} 之间",
        "en": "indicator {indicator}: rest (every later place) {value} must lie in 0..the last place's {last}",
    },
    "problem.survey_indicator": {
        "zh": "满意度调查对应的指标 {indicator} 不存在",
        "en": "the survey's indicator {indicator} is not an indicator of the campaign",
    },
    "problem.survey_veto": {
        "zh": "否决项 {indicator} 不能由满意度调查得出",
        "en": "veto indicator {indicator} cannot be supplied by a survey",
    },
    "problem.survey_twice": {
        "zh": "指标 {indicator} 有两项满意度调查，只能保留一项",
        "en": "indicator {indicator} has two surveys; keep one",
    },
    "problem.survey_scale": {
        "zh": "调查的评分范围 scale 应从低到高（读到 {low} 到 {high}）",
        "en": "the survey's scale must run from low to high (got {low} to {high})",
    },
    "problem.survey_needs_satisfied": {
        "zh": "指标 {indicator} 的调查按满意率（share）计算，须给出 satisfied_from（几分及以上算满意）",
        "en": "indicator {indicator}'s survey measures a share: give satisfied_from (the score from which a respondent is satisfied)",
    },
    "problem.survey_mean_satisfied": {
        "zh": "指标 {indicator} 的调查按平均分（mean）计算，不使用 satisfied_from，请删除",
        "en": "indicator {indicator}'s survey measures a mean: it does not use satisfied_from; remove it",
    },
    "problem.survey_satisfied_range": {
        "zh": "satisfied_from {value} 应在评分范围 {low} 到 {high} 之内",
        "en": "satisfied_from {value} must lie inside the scale {low}..{high}",
    },
    "problem.ratio_negative": {
        "zh": "指标 {indicator} 按与最优值的比例计分，数值不能为负数（读到“{value}”）",
        "en": "indicator {indicator} is scored as a ratio to the best: the value cannot be negative (got '{value}')",
    },
    "problem.survey_not_declared": {
        "zh": "指标 {indicator} 没有在 campaign.yaml 的 surveys 中声明，调查数据不能用于它",
        "en": "indicator {indicator} has no survey in campaign.yaml's surveys: survey answers cannot supply it",
    },
    "problem.respondent_empty": {"zh": "受访者编号为空", "en": "the respondent id is empty"},
    "problem.item_empty": {"zh": "题目为空", "en": "the item is empty"},
    "problem.survey_answer_scale": {
        "zh": "答案 {value} 不在评分范围 {low} 到 {high} 之内",
        "en": "answer {value} is outside the scale {low}..{high}",
    },
    "problem.survey_status": {
        "zh": "状态“{value}”无法识别：留空或写“有效”表示计入，写“剔除”或 excluded 表示保留但不计入",
        "en": "unknown status '{value}': leave it empty (or 'included') to count the row, 'excluded' to keep it uncounted",
    },
    "problem.duplicate_survey_row": {
        "zh": "同一受访者对同一题目的答案重复（首次出现在第{first_row}行）",
        "en": "the same respondent's answer to the same item appears twice (first on row {first_row})",
    },
    "problem.survey_and_value": {
        "zh": "单位 {unit} {period} 的指标 {indicator} 已由调查得出，{file} 中又填了数值；请删去其中一处",
        "en": "unit {unit}'s {indicator} in {period} comes from the survey, and {file} gives a value too; remove one",
    },
    "problem.survey_cell": {
        "zh": "单位 {unit} {period} 的指标 {indicator} 由群众满意度调查得出，不能直接修改；请改正调查数据后重新导入",
        "en": "unit {unit}'s {indicator} in {period} comes from the residents' survey: correct the survey answers and import them again",
    },
}
