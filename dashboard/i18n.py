"""Every dashboard label, Chinese (default) and English; problems come from scoring.i18n."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard.office_labels import OFFICE_LABELS
from dashboard.rules_labels import RULES_LABELS
from dashboard.source_labels import SOURCE_LABELS
from scoring.core.columns import COLUMNS
from scoring.core.i18n import t as engine_t

LABELS: dict[str, dict[str, str]] = {
    **COLUMNS,
    **OFFICE_LABELS,
    **RULES_LABELS,
    **SOURCE_LABELS,
    "app.title": {"zh": "争星夺旗 · 评分系统", "en": "starscore · compete for stars"},
    "app.language": {"zh": "语言 Language", "en": "Language 语言"},
    "app.campaign": {"zh": "活动", "en": "Campaign"},
    "app.no_campaign": {
        "zh": "数据库中还没有活动，请在“活动管理”中导入。",
        "en": "No campaign in the database yet; import one on the Campaigns page.",
    },
    "yr.banner": {
        "zh": "全年尚未完成，年度得分、排名、星级与奖金在每个期次都计分后才产生。{detail}",
        "en": "The year is not complete: annual scores, ranks, stars and awards exist once every period is scored. {detail}",
    },
    "yr.scored": {"zh": "已计分：{periods}", "en": "scored: {periods}"},
    "yr.incomplete": {
        "zh": "{period} 未完成（缺 {n} 个数值）",
        "en": "{period} incomplete ({n} values missing)",
    },
    "yr.not_started": {"zh": "未开始：{periods}", "en": "not started: {periods}"},
    "yr.none": {"zh": "无", "en": "none"},
    "yr.sep": {"zh": "；", "en": "; "},
    "yr.nothing_scored": {
        "zh": "还没有计分的期次：一个期次的数值齐全后即计分。",
        "en": "No period is scored yet: a period is scored as soon as its values are complete.",
    },
    "yr.no_payouts": {
        "zh": "奖金在全年每个期次都计分后才计算，目前尚无发放数据。",
        "en": "Awards are computed once every period of the year is scored; there are no payouts yet.",
    },
    "app.not_scored": {
        "zh": "该活动尚未计分（可能仍有缺失数据）。",
        "en": "This campaign has not been scored yet (values may still be missing).",
    },
    "app.building_demo": {"zh": "正在生成演示活动……", "en": "Building the demo campaign…"},
    "app.db_busy": {
        "zh": "数据库正被其他程序（如命令行导入）写入，请稍候……",
        "en": "The database is busy with another writer (an import?); waiting…",
    },
    "app.run": {"zh": "计分运行", "en": "Scoring run"},
    "nav.leaderboard": {"zh": "排行榜", "en": "Leaderboard"},
    "nav.profile": {"zh": "社区档案", "en": "Community profile"},
    "nav.entry": {"zh": "数据录入", "en": "Data entry"},
    "nav.payouts": {"zh": "奖金发放", "en": "Payouts"},
    "nav.rules": {"zh": "规则", "en": "Rules"},
    "nav.campaigns": {"zh": "活动管理", "en": "Campaigns"},
    "nav.robustness": {"zh": "稳健性", "en": "Robustness"},
    "rb.title": {"zh": "排名与奖励的稳健性", "en": "How robust ranks and awards are"},
    "rb.help": {
        "zh": "每次抽样把各指标分值在 ±波动幅度 内随机放缩（可复现的随机种子），重新计分，统计每个单位的年度排名区间（5%–95%）、保住星级与红旗的概率，以及奖励的期望变化。",
        "en": "Each draw scales every indicator's points by a random factor within ±spread (seeded, reproducible) and scores again; per unit: the 5th–95th percentile of its annual rank, the chance of keeping its stars and flags, and the expected change of its award.",
    },
    "rb.too_large": {
        "zh": "本活动规模下最多只能抽样 {most} 次（少于 {min} 次没有意义）：请在更大的机器上按类别分析",
        "en": "this campaign's size allows only {most} draws (under {min} says little): analyse it on a larger machine",
    },
    "rb.draws": {"zh": "抽样次数", "en": "Draws"},
    "rb.spread": {"zh": "波动幅度", "en": "Spread"},
    "rb.seed": {"zh": "随机种子", "en": "Seed"},
    "rb.tiers": {"zh": "线性指标改为分档（档数，0 为不改）", "en": "Linear as tiers (steps, 0 = off)"},
    "rb.running": {"zh": "正在抽样计算……", "en": "Drawing and scoring…"},
    "rb.intervals": {"zh": "年度排名区间（5%–95%）", "en": "Annual rank interval (5th–95th percentile)"},
    "rb.stability": {"zh": "保住星级与红旗的概率", "en": "Chance of keeping stars and flags"},
    "rb.keep_stars": {"zh": "保住星级", "en": "Keeps stars"},
    "rb.keep_flags": {"zh": "保住红旗", "en": "Keeps flags"},
    "nav.workflow": {"zh": "审核发布", "en": "Approval"},
    "nav.audit": {"zh": "修改记录", "en": "Audit trail"},
    "nav.users": {"zh": "用户管理", "en": "Users"},
    "nav.public": {"zh": "公示结果", "en": "Published results"},
    "auth.username": {"zh": "用户名", "en": "User name"},
    "auth.password": {"zh": "密码", "en": "Password"},
    "auth.login": {"zh": "登录", "en": "Sign in"},
    "auth.logout": {"zh": "退出登录", "en": "Sign out"},
    "auth.failed": {
        "zh": "用户名或密码不正确，或账号已停用。",
        "en": "Wrong user name or password, or the account is disabled.",
    },
    "auth.signed_in": {"zh": "已登录：{user}（{role}）", "en": "Signed in: {user} ({role})"},
    "app.stale_run": {
        "zh": "注意：数据在计分（{run}）之后已有改动，本页显示的是改动前的结果；请点“立即计分”后再使用",
        "en": "Note: the data changed after this run ({run}) was scored; this page shows the results from before the change. Click Score now before relying on them",
    },
    "en.refresh": {"zh": "重新载入最新数值", "en": "Reload the current values"},
    "auth.locked": {
        "zh": "该用户名连续登录失败次数过多，已锁定 {minutes} 分钟；如忘记密码请联系管理员。",
        "en": "Too many failed sign-ins for this name: it is locked for {minutes} minutes; ask an admin if the password is lost.",
    },
    "auth.all_disabled": {
        "zh": "所有用户均已停用，无法登录：请管理员在服务器上用 starscore user enable 用户名 恢复。",
        "en": "Every user is disabled, so nobody can sign in: an admin must run starscore user enable NAME on the server.",
    },
    "auth.session_ended": {
        "zh": "你的账号已被停用或删除，本次登录已结束。",
        "en": "Your account was disabled or removed; you have been signed out.",
    },
    "auth.open_mode": {
        "zh": "开放模式：数据库中尚未设置用户，本机使用者拥有全部权限。用 starscore user add 添加用户后即需登录。",
        "en": "Open mode: no users are set up, so whoever uses this machine may do everything. Add users with starscore user add to require sign-in.",
    },
    "auth.forbidden_page": {
        "zh": "当前账号无权查看此页面（尚未登录时请先在左侧登录），请登录有权限的账号。",
        "en": "Your account may not open this page (not signed in: sign in on the left); sign in with one that may.",
    },
    "role.admin": {"zh": "管理员", "en": "admin"},
    "role.evaluator": {"zh": "评分员", "en": "evaluator"},
    "role.leader": {"zh": "领导", "en": "leader"},
    "role.finance": {"zh": "财务", "en": "finance"},
    # workflow
    "wf.title": {"zh": "审核与公示", "en": "Approval and publication"},
    "wf.help": {
        "zh": "流程：填报中 → 已提交 → 已审核（锁定）→ 公示中（异议期）→ 定稿；全部期次定稿后公示全年结果。"
        "重新开放需管理员并说明理由。时间均为活动所在地时间。",
        "en": "Open → submitted → approved (locked) → published (objection window) → final; once every period "
        "is final the year is published. Reopening needs an admin and a reason. Times are the campaign's local time.",
    },
    "wf.status.open": {"zh": "填报中", "en": "open"},
    "wf.status.submitted": {"zh": "已提交", "en": "submitted"},
    "wf.status.approved": {"zh": "已审核锁定", "en": "approved (locked)"},
    "wf.status.published": {"zh": "公示中", "en": "published"},
    "wf.status.final": {"zh": "已定稿", "en": "final"},
    "wf.action": {"zh": "操作", "en": "Action"},
    "wf.reason": {"zh": "理由（重新开放时必填）", "en": "Reason (required to reopen)"},
    "wf.do": {"zh": "执行", "en": "Apply"},
    "wf.done": {"zh": "{period} 已变为：{status}", "en": "{period} is now: {status}"},
    "wf.log": {"zh": "流程记录", "en": "Workflow log"},
    "wf.act.submit": {"zh": "提交", "en": "submit"},
    "wf.act.approve": {"zh": "审核通过（锁定）", "en": "approve (lock)"},
    "wf.act.publish": {"zh": "公示", "en": "publish"},
    "wf.act.finalize": {"zh": "定稿", "en": "finalize"},
    "wf.act.reopen": {"zh": "重新开放", "en": "reopen"},
    "wf.act.return": {"zh": "退回", "en": "return"},
    "wf.act.override": {"zh": "代为审核（管理员）", "en": "override (admin)"},
    "wf.verify": {"zh": "核验公示结果", "en": "Verify published results"},
    "wf.verify_ok": {"zh": "{period}：与重新计算一致", "en": "{period}: matches a recomputation"},
    "wf.verify_bad": {
        "zh": "{period}：与重新计算不一致（{n} 处）",
        "en": "{period}: differs from a recomputation ({n} rows)",
    },
    # audit
    "au.title": {"zh": "修改记录", "en": "Audit trail"},
    "au.none": {"zh": "没有记录。", "en": "No records."},
    # users
    "us.title": {"zh": "用户管理", "en": "Users"},
    "us.add": {"zh": "添加用户", "en": "Add a user"},
    "us.role": {"zh": "角色", "en": "Role"},
    "us.towns": {"zh": "负责街镇（评分员，留空为全部）", "en": "Towns/streets (evaluators; empty = all)"},
    "us.areas": {
        "zh": "负责指标领域（评分员，留空为全部）",
        "en": "Indicator areas (evaluators; empty = all)",
    },
    "us.added": {"zh": "已添加用户 {user}", "en": "Added user {user}"},
    "us.disable": {"zh": "停用用户", "en": "Disable a user"},
    "us.disabled": {"zh": "已停用 {user}", "en": "Disabled {user}"},
    # public
    "pb.title": {"zh": "公示结果", "en": "Published results"},
    "pb.notice": {"zh": "下载公示文件（可打印）", "en": "Download the printable notice"},
    "pb.none": {"zh": "本活动尚无公示结果。", "en": "Nothing of this campaign has been published yet."},
    "pb.period": {
        "zh": "{period}（{status}，公示至 {until}）",
        "en": "{period} ({status}, objections until {until})",
    },
    "pb.shown": {
        "zh": "列出前 {shown} 名，共 {n} 个单位；完整名单见可打印的公示文件。",
        "en": "The first {shown} places of {n} units; the printable notice lists them all.",
    },
    # common
    "category": {"zh": "类别", "en": "Category"},
    "period": {"zh": "期次", "en": "Period"},
    "year": {"zh": "全年", "en": "Whole year"},
    "town": {"zh": "街镇", "en": "Town/street"},
    "all": {"zh": "全部", "en": "All"},
    "unit": {"zh": "单位", "en": "Unit"},
    "unit_id": {"zh": "编号", "en": "Id"},
    "rank": {"zh": "排名", "en": "Rank"},
    "score": {"zh": "得分", "en": "Score"},
    "stars": {"zh": "星级", "en": "Stars"},
    "flags": {"zh": "红旗", "en": "Flags"},
    "change": {"zh": "名次变化", "en": "Change"},
    "vetoed": {"zh": "否决", "en": "Vetoed"},
    "veto_mark": {"zh": "一票否决", "en": "vetoed"},
    "download_csv": {"zh": "下载 CSV", "en": "Download CSV"},
    "download_xlsx": {"zh": "下载 Excel", "en": "Download Excel"},
    "problems": {"zh": "发现问题，未保存任何数据：", "en": "Problems found; nothing was saved:"},
    # leaderboard
    "lb.title": {"zh": "排行榜", "en": "Leaderboard"},
    "lb.view": {"zh": "显示", "en": "Show"},
    "lb.view_all": {"zh": "全部单位", "en": "All units"},
    "lb.view_window": {"zh": "前10名 + 所选单位前后5名", "en": "Top 10 + a chosen unit ±5"},
    "lb.focus": {"zh": "关注单位", "en": "Unit to follow"},
    "pf.computing": {
        "zh": "正在计算本类别各指标的平均与最高分……",
        "en": "Computing the category's averages and best…",
    },
    "pf.none_found": {"zh": "没有找到符合的单位", "en": "No unit matches"},
    "lb.search": {"zh": "查找单位（编号或名称）", "en": "Find a unit (id or name)"},
    "lb.page": {"zh": "页码（共 {pages} 页，每页 100 个）", "en": "Page (of {pages}, 100 per page)"},
    "lb.count": {
        "zh": "共 {ranked} 个单位参与排名，{vetoed} 个被否决",
        "en": "{ranked} ranked units, {vetoed} vetoed",
    },
    "lb.chart": {"zh": "得分与星级线", "en": "Scores and star thresholds"},
    "lb.distribution": {"zh": "各类别得分分布", "en": "Score distribution by category"},
    "lb.threshold": {"zh": "{stars}星线 {score}", "en": "{stars}★ at {score}"},
    # profile
    "pf.title": {"zh": "社区档案", "en": "Community profile"},
    "pf.points": {
        "zh": "各指标得分（与类别平均、最好对比）",
        "en": "Points by indicator vs category average and best",
    },
    "pf.areas": {"zh": "各领域得分", "en": "Points by area"},
    "pf.trend": {"zh": "各期得分与排名", "en": "Score and rank by period"},
    "pf.this_unit": {"zh": "本单位", "en": "This unit"},
    "pf.cat_avg": {"zh": "类别平均", "en": "Category average"},
    "pf.cat_best": {"zh": "类别最好", "en": "Category best"},
    "pf.award": {"zh": "奖励是怎样算出来的", "en": "How the award was reached"},
    "pf.years": {"zh": "历年对比", "en": "Across the years"},
    "pf.takes": {"zh": "还差多少", "en": "What it takes"},
    "pf.community": {"zh": "社区（村）奖励", "en": "Community award"},
    "pf.secretary": {"zh": "书记奖励", "en": "Secretary award"},
    "pf.secretaries": {"zh": "各期党组织书记", "en": "Secretaries by period"},
    "pf.summary": {
        "zh": "{category} · {town} · 全年得分 {score} · 排名 {rank} · {stars} · 红旗 {flags} 面",
        "en": "{category} · {town} · annual score {score} · rank {rank} · {stars} · {flags} flags",
    },
    "pf.vetoed": {
        "zh": "本年度被一票否决：无排名、无星级、无奖励。",
        "en": "Vetoed for the year: no rank, no stars, no award.",
    },
    # entry
    "en.title": {"zh": "数据录入", "en": "Data entry"},
    "en.evaluator": {"zh": "录入人", "en": "Entered by"},
    "en.help": {
        "zh": "直接在表格中修改数值，留空表示缺失；保存时统一校验，任何错误都不会保存。",
        "en": "Edit values in the grid (empty = missing); everything is checked on save and nothing is saved if anything is wrong.",
    },
    "en.indicators": {"zh": "指标说明（单位、范围、类型）", "en": "Indicators (unit, range, kind)"},
    "en.save": {"zh": "保存并重新计分", "en": "Save and recompute"},
    "en.no_changes": {"zh": "没有修改。", "en": "No changes."},
    "en.saved": {
        "zh": "已保存 {written} 个数值、清空 {cleared} 个，其中 {changed} 个有变化。",
        "en": "Saved {written} values, cleared {cleared}, {changed} of them changed.",
    },
    "en.template": {"zh": "下载 Excel 模板（已填入当前数值）", "en": "Download Excel template (pre-filled)"},
    "en.upload": {"zh": "上传填好的模板（xlsx 或 csv）", "en": "Upload a filled template (xlsx or csv)"},
    "en.preview": {"zh": "将要修改 {n} 个数值：", "en": "{n} values will change:"},
    "en.apply": {"zh": "确认导入", "en": "Apply upload"},
    "en.saving": {"zh": "正在检查并保存……", "en": "Checking and saving…"},
    "en.too_many": {
        "zh": "此范围有 {n} 个单位，表格只显示前 {shown} 个：请选择乡镇（街道）缩小范围",
        "en": "{n} units in this scope; the grid shows the first {shown}: choose a town to narrow it",
    },
    "en.template_scope": {
        "zh": "此范围有 {n} 个单位（模板最多 {max} 个）：请选择类别或乡镇后下载模板",
        "en": "{n} units in this scope (a template holds up to {max}): choose a category or town",
    },
    "po.shown": {
        "zh": "显示金额最高的 {shown} 个（共 {n} 个）；下载文件包含全部",
        "en": "showing the {shown} largest of {n}; the downloads hold every payee",
    },
    "po.no_excel": {
        "zh": "收款人超过 {n} 个：请下载 CSV（每笔推导见 starscore explain）",
        "en": "more than {n} payees: download the CSV (each derivation: starscore explain)",
    },
    "en.completeness": {"zh": "填报进度", "en": "Completeness"},
    "en.missing_list": {"zh": "尚缺数据", "en": "Still missing"},
    "en.by_evaluator": {"zh": "按录入人统计", "en": "By evaluator"},
    "en.reason": {
        "zh": "修改理由（已提交的期次必填）",
        "en": "Reason for the change (required once the period is submitted)",
    },
    "en.outliers": {
        "zh": "以下数值与同类单位本期或本单位历史差异很大，请核实并填写确认说明后再保存：",
        "en": "These values are far from their category this period or from the unit's history; check them and confirm with a comment to save:",
    },
    "en.confirm_note": {"zh": "确认说明", "en": "Confirming comment"},
    "en.confirm_save": {"zh": "确认并保存", "en": "Confirm and save"},
    "en.all_complete": {"zh": "本期数据已全部填报。", "en": "Every value of this period is in."},
    # payouts
    "po.title": {"zh": "奖金发放", "en": "Payouts"},
    "po.budget": {"zh": "预算", "en": "Budget"},
    "po.before": {"zh": "封顶后合计", "en": "Total after caps"},
    "po.total": {"zh": "实发合计", "en": "Total paid"},
    "po.left": {"zh": "结余", "en": "Unallocated"},
    "po.factor": {"zh": "缩放系数", "en": "Scale factor"},
    "po.community": {"zh": "社区（村）奖励", "en": "Community awards"},
    "po.secretary": {"zh": "书记奖励", "en": "Secretary awards"},
    "po.cap_bound": {"zh": "封顶", "en": "Cap bound"},
    "po.reconcile": {
        "zh": "核对：社区 {c} + 书记 {s} = {t} 元（与汇总一致）",
        "en": "Check: communities {c} + secretaries {s} = {t} yuan (matches the summary)",
    },
    "po.no_budget": {"zh": "未设预算", "en": "No budget"},
    "po.draft": {
        "zh": "草稿：本年度各期尚未全部定稿，导出文件标记为草稿。",
        "en": "Draft: not every period of the year is final, so exports are marked draft.",
    },
    "po.gauge": {"zh": "预算使用", "en": "Budget used"},
    "sep.list": {"zh": "、", "en": ", "},  # between the items of a list in running text
    "sep.clause": {"zh": "；", "en": "; "},  # between clauses
    # residents' surveys on the profile and robustness pages
    "pf.survey": {"zh": "群众满意度调查", "en": "Residents' survey"},
    "pf.survey_none": {"zh": "本单位没有调查数据。", "en": "No survey answers for this unit."},
    "pf.survey_items": {"zh": "{name} · {period} 各题答案分布", "en": "{name} · {period}: answers by item"},
    "rb.survey": {"zh": "按受访者重抽样", "en": "Resampling respondents"},
    "rb.survey_help": {
        "zh": "每个单位每期的受访者有放回地重新抽取 200 次，满意度按原规则重算并重新排名（其他指标不变）：名次区间越宽，结果越取决于少数几份答卷。",
        "en": "Each unit's respondents are drawn again with replacement 200 times, satisfaction rescored by its rule "
        "and the category re-ranked (other values as they are): a wide interval means a handful of answers decide it.",
    },
    "rb.survey_run": {"zh": "计算重抽样", "en": "Run the resampling"},
    "rb.survey_moved": {
        "zh": "本类别 {total} 个单位期次中，{n} 个的名次会因重抽样而变化。",
        "en": "{n} of the category's {total} (unit, period) change rank when respondents are resampled.",
    },
    "rb.survey_none": {
        "zh": "没有可重抽样的调查数据（或尚无已计分的期次）。",
        "en": "No survey answers to resample (or no scored period yet).",
    },
    # campaigns
    "ca.title": {"zh": "活动管理", "en": "Campaigns"},
    "ca.list": {"zh": "数据库中的活动", "en": "Campaigns in the database"},
    "ca.import_title": {"zh": "导入活动", "en": "Import a campaign"},
    "ca.import": {
        "zh": "导入活动文件夹（zip，或同时选择 campaign.yaml、units.csv、values.csv 等文件）",
        "en": "Import a campaign folder (a zip, or campaign.yaml, units.csv, values.csv… together)",
    },
    "ca.do_import": {"zh": "校验并导入", "en": "Check and import"},
    "ca.imported": {"zh": "已导入并计分：{id}", "en": "Imported and scored: {id}"},
    "ca.imported_unscored": {
        "zh": "已导入 {id}；仍有 {missing} 个数值缺失，暂不计分。",
        "en": "Imported {id}; {missing} values still missing, not scored yet.",
    },
    "ca.step_read": {"zh": "读取并校验文件……", "en": "Reading and checking the files…"},
    "ca.step_store": {"zh": "写入数据库……", "en": "Writing to the database…"},
    "ca.step_score": {"zh": "计分……", "en": "Scoring…"},
    "ca.switch": {"zh": "切换到该活动", "en": "Switch to this campaign"},
    "ca.too_big": {"zh": "上传文件过大（上限 {mb} MB）", "en": "Upload too large (limit {mb} MB)"},
}


def lang() -> str:
    value = st.session_state.get("lang", "zh")
    return value if value in ("zh", "en") else "zh"


def L(key: str, **params: Any) -> str:
    entry = LABELS.get(key)
    if entry is None:
        return engine_t(key, lang(), **params)
    text = entry.get(lang()) or entry["zh"]
    return text.format(**params) if params else text


def export_labels() -> dict[str, str]:
    """The labels the payout Excel export needs, in the current language."""
    return {k[2:]: L(k) for k in LABELS if k.startswith("x.")}


def headers(columns: list[str]) -> dict[str, str]:
    """Column names → their labels, where the catalogue has one ("col.<name>")."""
    return {c: L(f"col.{c}") for c in columns if f"col.{c}" in LABELS}
