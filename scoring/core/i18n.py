"""The one catalogue of user-facing text: Chinese (zh, default) and English (en).

Messages are ``str.format`` templates; ``t(key, lang, **params)`` fills one in. A key with
no entry falls back to the other language, then to the key itself, so a missing
translation never hides a problem.
"""

from __future__ import annotations

from typing import Any

from scoring.core.columns import COLUMNS
from scoring.core.problems import PROBLEMS
from scoring.core.source_problems import SOURCE_PROBLEMS
from scoring.core.survey_problems import SURVEY_PROBLEMS
from scoring.core.workflow_text import WORKFLOW_TEXT

LANGS = ("zh", "en")

CATALOGUE: dict[str, dict[str, str]] = {
    **PROBLEMS,
    **SURVEY_PROBLEMS,
    **SOURCE_PROBLEMS,
    **WORKFLOW_TEXT,
    **{k: v for k, v in COLUMNS.items() if k.startswith("col.")},
    # CLI
    "cli.more_problems": {"zh": "…… 另有 {n} 个问题", "en": "… and {n} more problems"},
    "cli.problems_found": {
        "zh": "发现 {n} 个问题，未写入任何数据：",
        "en": "{n} problems found; nothing was written:",
    },
    "cli.valid": {
        "zh": "{folder}：检查通过（{units} 个单位，{values} 条取值，{missing} 条缺失）",
        "en": "{folder}: valid ({units} units, {values} values, {missing} missing)",
    },
    "cli.survey": {
        "zh": "满意度调查“{name}”：{cells} 个单位期次得出数值，共 {respondents} 名受访者（{excluded} 行标为剔除，保留未计）",
        "en": "survey '{name}': {cells} (unit, period) have a value, {respondents} respondents ({excluded} rows excluded, kept)",
    },
    "cli.survey_short": {
        "zh": "  样本不足：单位 {unit} {period} 仅 {n} 名受访者，少于 {min} 名，按缺失处理",
        "en": "  too few respondents: unit {unit} in {period} has {n}, fewer than {min}: a missing value",
    },
    "cli.survey_bootstrap": {
        "zh": "按受访者重抽样 {draws} 次后的名次（第5与第95百分位）及保持红旗结果的比例：",
        "en": "ranks after resampling respondents {draws} times (5th and 95th percentile), and how often the flag outcome holds:",
    },
    "survey.enough": {"zh": "足够", "en": "yes"},
    "survey.short": {"zh": "不足（按缺失）", "en": "too few (missing)"},
    "cli.imported": {
        "zh": "已导入活动 {id}（{units} 个单位，{values} 条取值）",
        "en": "imported campaign {id} ({units} units, {values} values)",
    },
    "cli.scored": {
        "zh": "已计分 {id}：运行 {run}；发放合计 {total} 元，预算 {budget}，缩放系数 {factor}，结余 {left}",
        "en": "scored {id}: run {run}; total paid {total} yuan, budget {budget}, "
        "scale factor {factor}, unallocated {left}",
    },
    "cli.missing_warning": {
        "zh": "提示：{n} 条取值缺失，按 0 分计（missing: zero）",
        "en": "note: {n} values missing, scored as 0 (missing: zero)",
    },
    "takes.year_incomplete": {
        "zh": "全年尚未完成：年度名次与星级在每个期次都计分后产生",
        "en": "the year is not complete: annual ranks and stars exist once every period is scored",
    },
    "cli.verify_chain_ok": {
        "zh": "修改记录完整：{rows} 条记录的哈希链无误（链头 {head}…）",
        "en": "audit trail intact: the hash chain of {rows} rows holds (head {head}…)",
    },
    "verify.chain_broken": {
        "zh": "修改记录被篡改：第 {seq} 条记录与前一条的哈希链接断开（其前的记录被删除或改写）",
        "en": "audit trail tampered with: the chain breaks before row {seq} (a row before it deleted or rewritten)",
    },
    "verify.chain_changed": {
        "zh": "修改记录被篡改：第 {seq} 条记录已改动（与其哈希不符）",
        "en": "audit trail tampered with: row {seq} was changed (it no longer matches its hash)",
    },
    "verify.chain_deleted": {
        "zh": "修改记录被篡改：第 {seq} 条记录已被删除（其哈希仍在）",
        "en": "audit trail tampered with: row {seq} was deleted (its hash remains)",
    },
    "verify.chain_unsealed": {
        "zh": "修改记录中有 {n} 条没有哈希的记录（第一条为第 {seq} 条），不是经由本程序写入",
        "en": "{n} audit rows have no hash (the first is row {seq}): they were not written by starscore",
    },
    "verify.chain_tail": {
        "zh": "修改记录被篡改：链头指向第 {seq} 条记录，其后的记录连同哈希已被删除",
        "en": "audit trail tampered with: the head names row {seq}; the rows up to it were deleted with their hashes",
    },
    "verify.chain_more": {"zh": "……另有 {n} 处不符", "en": "… and {n} more findings"},
    "cli.warning": {"zh": "提示：{message}", "en": "warning: {message}"},
    "cli.exported": {"zh": "已导出到 {out}：{files}", "en": "exported to {out}: {files}"},
    "cli.scored_periods": {
        "zh": "已计分 {id}：运行 {run}；已计分期次：{periods}",
        "en": "scored {id}: run {run}; periods scored: {periods}",
    },
    "cli.year_incomplete": {
        "zh": "全年尚未完成：年度得分、排名、星级与奖金在每个期次都计分后才产生，未写 annual_results.csv 与 payouts.csv",
        "en": "the year is not complete: annual scores, ranks, stars and awards exist only once every "
        "period is scored; annual_results.csv and payouts.csv were not written",
    },
    "cli.period_state.scored": {"zh": "  {period}：已计分", "en": "  {period}: scored"},
    "cli.period_state.incomplete": {
        "zh": "  {period}：未完成，缺 {n} 个数值",
        "en": "  {period}: incomplete, {n} values missing",
    },
    "cli.period_state.not_started": {
        "zh": "  {period}：未开始（尚无数值）",
        "en": "  {period}: not started (no values yet)",
    },
    "cli.missing_cell": {
        "zh": "    缺：单位 {unit} 指标 {indicator}",
        "en": "    missing: unit {unit}, indicator {indicator}",
    },
    "cli.missing_more": {"zh": "    ……另有 {n} 个", "en": "    … and {n} more"},
    "none": {"zh": "无", "en": "none"},
    "cli.demo_built": {
        "zh": "演示活动已生成：{folder}，并导入 {db}",
        "en": "demo campaign written to {folder} and imported into {db}",
    },
    "cli.db_io_error": {
        "zh": "数据库写入失败（磁盘已满或不可写？）：{detail}。本次操作未生效，数据库保持原状",
        "en": "the database could not be written (is the disk full or read-only?): {detail}. "
        "Nothing of this command was kept; the database is as it was",
    },
    "cli.os_error": {"zh": "无法读写文件：{detail}", "en": "cannot read or write a file: {detail}"},
    "cli.period_moved": {"zh": "期次 {period} 现为：{status}", "en": "period {period} is now: {status}"},
    "cli.verify_none": {
        "zh": "活动 {id} 尚无公示结果可核验",
        "en": "campaign {id} has no published results to verify",
    },
    "cli.verify_ok": {
        "zh": "{scope}：与重新计算一致（运行 {run}）",
        "en": "{scope}: matches a recomputation (run {run})",
    },
    "cli.verify_bad": {
        "zh": "{scope}：与重新计算不一致，{n} 行不同（运行 {run}）",
        "en": "{scope}: differs from a recomputation in {n} rows (run {run})",
    },
    "cli.password_prompt": {"zh": "密码：", "en": "Password: "},
    "cli.user_added": {"zh": "已添加用户 {user}（{role}）", "en": "added user {user} ({role})"},
    "cli.user_disabled": {"zh": "已停用用户 {user}", "en": "disabled user {user}"},
    "cli.user_enabled": {"zh": "已启用用户 {user}", "en": "enabled user {user}"},
    "cli.outlier": {
        "zh": '该数值与同类或历史差异很大：核实后用 --confirm "说明" 保存',
        "en": 'this value is far from its peers or history: check it, then save with --confirm "comment"',
    },
    "cli.set_done": {
        "zh": "已保存 {n} 个数值（{changed} 个有变化）；运行 {run}",
        "en": "saved {n} values ({changed} changed); run {run}",
    },
    "cli.backed_up": {"zh": "已将 {db} 备份到 {to}", "en": "backed up {db} to {to}"},
    "cli.restored": {"zh": "已用 {backup} 恢复 {db}", "en": "restored {db} from {backup}"},
    "cli.restore_kept": {"zh": "原数据库已保留为 {kept}", "en": "the replaced database is kept as {kept}"},
    "stage.read": {"zh": "读取并校验", "en": "reading and checking"},
    "stage.store": {"zh": "写入数据库", "en": "writing to the database"},
    "stage.points": {"zh": "计算得分", "en": "points and period scores"},
    "stage.ranks": {"zh": "排名、红旗与星级", "en": "ranks, flags and stars"},
    "stage.awards": {"zh": "奖励与预算", "en": "awards and budget"},
    "stage.save": {"zh": "保存结果", "en": "saving the results"},
    "stage.export_file": {"zh": "导出 {file}", "en": "writing {file}"},
    "cli.waiting": {
        "zh": "数据库正被其他程序写入，最多等待 {seconds} 秒……（{detail}）",
        "en": "the database is busy with another writer; waiting up to {seconds} s… ({detail})",
    },
    "explain.vetoed": {"zh": "本年度被一票否决：无奖励。", "en": "vetoed for the year: no award."},
    "explain.stars": {"zh": "星级：{stars} 星 → {amount} 元", "en": "stars: {stars}★ → {amount} yuan"},
    "explain.flags": {
        "zh": "流动红旗：{flags} 面 × {each} 元 = {amount} 元",
        "en": "flags: {flags} × {each} = {amount} yuan",
    },
    "dv.missing": {"zh": "未填（按 0 分）", "en": "not entered (0 points)"},
    "dv.na": {
        "zh": "不涉及：不计分，其余基础指标按得分率折算",
        "en": "does not apply: no points; the base is rescaled",
    },
    "dv.count": {"zh": "{n} 次 × {each} 分 = {raw} 分", "en": "{n} × {each} = {raw} points"},
    "dv.count_capped": {
        "zh": "{n} 次 × {each} 分 = {raw} 分，超过上限按 {cap} 分计",
        "en": "{n} × {each} = {raw} points, above the limit: {cap}",
    },
    "dv.sum": {
        "zh": "期得分 = 基础指标 {b} + 加减分 {e} = {score}",
        "en": "period score = base items {b} + bonuses and penalties {e} = {score}",
    },
    "dv.rescaled": {
        "zh": "有不涉及项目，按得分率折算：期得分 = 基础指标 {b} × 类别基础满分 {m} ÷ 适用项目满分 {a} + 加减分 {e} = {score}",
        "en": "some items do not apply, rescaled: period score = base items {b} × the category's base maximum {m} ÷ the maximum of the items that apply {a} + bonuses and penalties {e} = {score}",
    },
    "spec.count_penalty": {
        "zh": "次数 ≥ 0（每次扣{each}分，最多扣{points}分）",
        "en": "a count ≥ 0 ({each} points off each, at most {points})",
    },
    "spec.count_bonus": {
        "zh": "次数 ≥ 0（每次加{each}分，最多加{points}分）",
        "en": "a count ≥ 0 ({each} points each, at most {points})",
    },
    "tpl.count": {"zh": "（次数）", "en": " (count)"},
    "spec.may_not_apply": {"zh": "不涉及的填“不涉及”", "en": "write 不涉及 where the item does not apply"},
    "explain.progress_rank": {
        "zh": "进步奖（上年排名第 {before} → 本年第 {after}，前进 {gain} 名，进入本类进步前 {top_n} 名）→ {amount} 元",
        "en": "progress award (rank {before} last year → {after}, {gain} places up, among the category's {top_n} most improved) → {amount} yuan",
    },
    "explain.progress_score": {
        "zh": "进步奖（上年得分 {before} → 本年 {after}，提高 {gain} 分，进入本类进步前 {top_n} 名）→ {amount} 元",
        "en": "progress award (score {before} last year → {after}, {gain} points up, among the category's {top_n} most improved) → {amount} yuan",
    },
    "explain.gross": {"zh": "合计（封顶前）：{amount} 元", "en": "gross: {amount} yuan"},
    "explain.cap": {"zh": "封顶 {cap} 元 → {amount} 元", "en": "cap {cap} → {amount} yuan"},
    "explain.share": {
        "zh": "来自 {unit}：{award} × {share} × {held}/{n} 期 = {amount} 元",
        "en": "from {unit}: {award} × {share} × {held}/{n} periods = {amount} yuan",
    },
    "explain.sec_total": {"zh": "书记份额合计：{amount} 元", "en": "secretary shares in all: {amount} yuan"},
    "explain.scale": {
        "zh": "预算缩放 × {factor} = {amount} 元",
        "en": "budget scale × {factor} = {amount} yuan",
    },
    "explain.round": {
        "zh": "向下取整到 {unit} 元 → 实发 {amount} 元",
        "en": "floored to {unit} yuan → final {amount} yuan",
    },
    "takes.vetoed": {
        "zh": "本年度被一票否决，不参与排名和星级评定。",
        "en": "Vetoed for the year: no rank or stars this year.",
    },
    "takes.top": {"zh": "已位列类别第一。", "en": "Already first in its category."},
    "takes.rank": {
        "zh": "全年得分再提高 {gain} 分可从第 {rank} 名前进至少一名。",
        "en": "{gain} more annual points lift it above rank {rank}.",
    },
    "takes.stars": {
        "zh": "全年得分再提高 {gain} 分（各期合计 {total} 分）可升至{stars}星。",
        "en": "{gain} more annual points ({total} period points in all) reach {stars}★.",
    },
    "takes.stars_quota": {
        "zh": "{stars}星名额为 0，本类别无法获得。",
        "en": "{stars}★ has no places in this category.",
    },
    "takes.flag": {
        "zh": "参照 {period}，当期得分再提高 {gain} 分可获流动红旗。",
        "en": "Against {period}, {gain} more period points win a flag.",
    },
    "takes.flag_held": {"zh": "{period} 已获流动红旗。", "en": "Won a flag in {period}."},
    "takes.tier": {
        "zh": "{name}（现为 {value}）{bound} 可得 {points} 分（多 {gain} 分）。",
        "en": "{name} (now {value}) {bound} earns {points} points ({gain} more).",
    },
    "takes.linear": {
        "zh": "{name}（现为 {value}）达到 {target} 可得满分（多 {gain} 分）。",
        "en": "{name} (now {value}) at {target} earns full points ({gain} more).",
    },
    "takes.score": {"zh": "{name}还可多得 {gain} 分。", "en": "{name} can earn {gain} more points."},
    "takes.field": {
        "zh": "{name}（按同类比较计分，现为 {value}）追平本类别其他单位中最好的 {best} 可得 {points} 分"
        "（多 {gain} 分）；{effect}",
        "en": "{name} (scored against the category, now {value}) matching the best of the others, "
        "{best}, earns {points} points ({gain} more); {effect}",
    },
    "takes.field_moves": {
        "zh": "同时其他单位的得分随之变化：{who}。",
        "en": "the others' points move with it: {who}.",
    },
    "takes.field_still": {"zh": "其他单位的得分不变。", "en": "the others' points stay as they are."},
    "takes.field_note": {
        "zh": "{names}按同类单位比较计分：本单位提升后其他单位的得分也会变化，以上所需分数按其他单位当前得分计算。",
        "en": "{names} compare units with each other: a gain here moves the others' points too; "
        "the gains above assume the others' current scores.",
    },
    "takes.penalty": {
        "zh": "{name}被扣 {points} 分，避免扣分即可挽回。",
        "en": "{name} cost {points} points; avoiding it wins them back.",
    },
    "cli.step_robustness": {"zh": "稳健性分析：{n} 次抽样", "en": "robustness: {n} draws"},
    "notice.title": {"zh": "{name} 评比结果公示", "en": "{name}: results for public notice"},
    "notice.meta": {
        "zh": "依据已公示的计分结果生成（计分运行 {run}）",
        "en": "From the stored published results (run {run})",
    },
    "notice.window": {"zh": "公示期（异议期）", "en": "Notice (objection) period"},
    "notice.year": {"zh": "全年星级与奖励", "en": "The year's stars and awards"},
    "notice.objections": {
        "zh": "收到异议 {total} 件：成立 {upheld} 件（已更正），不成立 {rejected} 件，待处理 {pending} 件",
        "en": "{total} objections received: {upheld} upheld (corrected), {rejected} rejected, {pending} pending",
    },
    "notice.window_period": {
        "zh": "{period}：{start} 起公示，至 {end} 止（状态：{status}）",
        "en": "{period}: published {start}, objections until {end} (status: {status})",
    },
    "notice.contact": {
        "zh": "如有异议，请在公示期内联系：{contact}",
        "en": "Objections within the notice period to: {contact}",
    },
    "notice.no_contact": {"zh": "区争星夺旗工作领导小组办公室", "en": "the campaign office"},
    "notice.annual": {"zh": "年度排名与星级 · {category}", "en": "Annual ranking and stars · {category}"},
    "notice.period": {
        "zh": "{period} 排名与流动红旗 · {category}",
        "en": "{period} ranking and flags · {category}",
    },
    "notice.awards": {"zh": "奖励名单", "en": "Awards"},
    "notice.total": {"zh": "奖励合计 {total} 元", "en": "Awards in total: {total} yuan"},
    "notice.status.published": {"zh": "公示中", "en": "published"},
    "notice.status.final": {"zh": "已定稿", "en": "final"},
    "notice.vetoed": {"zh": "否决", "en": "vetoed"},
    "notice.col.rank": {"zh": "名次", "en": "Rank"},
    "notice.col.category": {"zh": "类别", "en": "Category"},
    "notice.col.last_rank": {"zh": "上年名次", "en": "Last year's rank"},
    "notice.col.this_rank": {"zh": "本年名次", "en": "This year's rank"},
    "notice.col.last_score": {"zh": "上年得分", "en": "Last year's score"},
    "notice.col.this_score": {"zh": "本年得分", "en": "This year's score"},
    "notice.progress": {"zh": "进步奖", "en": "Progress awards"},
    "notice.progress_none": {"zh": "本年无单位获进步奖。", "en": "No unit won the progress award this year."},
    "notice.col.unit": {"zh": "单位", "en": "Unit"},
    "notice.col.town": {"zh": "街镇", "en": "Town"},
    "notice.col.score": {"zh": "得分", "en": "Score"},
    "notice.col.stars": {"zh": "星级", "en": "Stars"},
    "notice.col.flags": {"zh": "红旗", "en": "Flags"},
    "notice.flag_won": {"zh": "流动红旗", "en": "flag"},
    "notice.col.type": {"zh": "类型", "en": "Type"},
    "notice.col.id": {"zh": "编号", "en": "Id"},
    "notice.col.name": {"zh": "名称", "en": "Name"},
    "notice.col.final": {"zh": "金额（元）", "en": "Amount (yuan)"},
    "notice.type.community": {"zh": "社区（村）", "en": "community"},
    "notice.type.secretary": {"zh": "党组织书记", "en": "secretary"},
    "cli.notice": {"zh": "公示文件已生成：{files}", "en": "notice written: {files}"},
    "cli.no_budget": {"zh": "未设", "en": "none set"},
}


def t(key: str, lang: str = "zh", **params: Any) -> str:
    entry = CATALOGUE.get(key)
    if entry is None:
        return key
    template = entry.get(lang) or entry.get("zh") or key
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template
