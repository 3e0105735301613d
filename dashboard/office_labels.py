"""The labels of the office's pages (approval town by town, the year, exceptions, deadlines,
objections, the evaluator's to-do, the year in progress), Chinese (default) and English."""

from __future__ import annotations

OFFICE_LABELS: dict[str, dict[str, str]] = {
    # the year in progress: a save's word per period, scoring from the page, campaigns removed,
    # corrections on the public page, and the widgets' own words in Chinese
    "app.db_io_error": {
        "zh": "数据库无法写入（磁盘可能已满或出错），本次操作没有保存，已有数据不受影响；请联系管理员清理磁盘后重试。详情：{detail}",
        "en": "The database could not be written (the disk may be full or failing); nothing of this step was saved and the data stand as they were. Ask the admin to free disk space, then try again. Detail: {detail}",
    },
    "app.score_now": {"zh": "立即计分", "en": "Score now"},
    "app.scoring": {"zh": "正在计分……", "en": "Scoring…"},
    "po.factor_exact": {
        "zh": "精确值：{f}（按此分数计算，不经四舍五入）",
        "en": "exactly {f} (the fraction used, never rounded)",
    },
    "choose": {"zh": "请选择（可多选）", "en": "Choose"},
    "no_rows": {"zh": "（无）", "en": "(none)"},
    "ca.imported_at": {"zh": "导入时间（{zone}）", "en": "Imported ({zone})"},
    "ca.scored_at": {"zh": "计分时间（{zone}）", "en": "Scored ({zone})"},
    "ca.remove_title": {"zh": "删除活动", "en": "Remove a campaign"},
    "ca.remove_reason": {"zh": "删除理由（记入修改记录）", "en": "Why (kept in the audit trail)"},
    "ca.remove_sure": {
        "zh": "我确认删除该活动的全部数值、结果与流程状态（已有公示的活动不能删除）",
        "en": "I confirm removing the campaign's values, results and workflow (a campaign with published results cannot be removed)",
    },
    "ca.remove_tick": {"zh": "请先勾选确认。", "en": "Tick the confirmation first."},
    "ca.remove": {"zh": "删除活动", "en": "Remove the campaign"},
    "ca.removed": {
        "zh": "已删除活动 {id}，审计记录保留。",
        "en": "Removed campaign {id}; its audit trail stays.",
    },
    "pb.corrections": {"zh": "异议更正", "en": "Corrections made on objections"},
    "pb.correction": {"zh": "更正内容", "en": "Correction"},
    "pb.response": {"zh": "处理意见", "en": "Response"},
    "en.period_scored": {
        "zh": "{period} 的数值已齐全并已计分，排行榜已更新。",
        "en": "{period}'s values are complete and scored; the leaderboard is updated.",
    },
    "en.saved_unscored": {
        "zh": "{period} 在所保存单位的街道（镇）仍缺 {here} 个数值（全区共缺 {all} 个），该期暂不计分。",
        "en": "{period} still lacks {here} values in the saved units' towns ({all} in all), so it is not scored yet.",
    },
    "en.saved_others_missing": {
        "zh": "所保存单位的街道（镇）{period} 的数值已齐全；其他街道（镇）仍缺 {all} 个，该期在全部齐全后计分。",
        "en": "{period}'s values are complete in the saved units' towns; other towns still lack {all}, so the period is scored once they are complete.",
    },
    "nav.todo": {"zh": "我的待办", "en": "My to-do"},
    "nav.objections": {"zh": "异议登记", "en": "Objections"},
    "wf.towns": {"zh": "各街镇填报与审核（期次 × 街镇）", "en": "Towns' submissions (period × town)"},
    "wf.town_step": {"zh": "街镇操作", "en": "A town's step"},
    "wf.period_step": {"zh": "期次操作（全区）", "en": "The period's step (the district)"},
    "wf.town": {"zh": "街镇", "en": "Town"},
    "wf.message": {
        "zh": "说明（退回意见、代为审核理由；填报人可见）",
        "en": "Message (a return's message or an override's reason; evaluators see it)",
    },
    "wf.town_done": {
        "zh": "{period} · {town} 已变为：{status}（期次：{period_status}）",
        "en": "{period} · {town} is now: {status} (the period: {period_status})",
    },
    "wf.help_towns": {
        "zh": "各街镇评分员提交本街镇；领导或管理员逐街镇审核通过或退回（须写意见）；全部街镇提交后，"
        "全区审核通过期次并锁定。录入或提交过数值的人不能审核这些数值（四眼原则）。",
        "en": "Each town's evaluators submit their town; a leader or an admin approves or returns each town "
        "(with a message); once every town is submitted the district approves the period and locks it. "
        "Whoever entered or submitted values cannot approve them (four eyes).",
    },
    "wf.year": {"zh": "全年结果公示", "en": "The year's publication"},
    "wf.year_publish": {"zh": "公示全年星级与奖励", "en": "Publish the year's stars and awards"},
    "wf.year_finalize": {"zh": "全年结果定稿", "en": "Make the year final"},
    "wf.year_done": {"zh": "全年结果已变为：{status}", "en": "The year is now: {status}"},
    "wf.exceptions": {"zh": "锁定例外与填报截止", "en": "Lock exceptions and entry deadlines"},
    "wf.exc_help": {
        "zh": "已锁定的期次只能为一个单位（或单位的一个指标）开放更正；截止后可为街镇或单位开放补报。"
        "其余仍然锁定，开放与关闭都会记录。",
        "en": "A locked period opens for one unit (or one unit's indicator) only; after the deadline a town "
        "or unit can be let in. Everything else stays locked; granting and closing are logged.",
    },
    "wf.exc_unit": {
        "zh": "单位（留空：整个街镇，仅用于截止后补报）",
        "en": "Unit (empty: a whole town, after the deadline only)",
    },
    "wf.exc_indicator": {"zh": "指标（留空：该单位全部指标）", "en": "Indicator (empty: all of the unit's)"},
    "wf.exc_town": {"zh": "街镇（截止后补报）", "en": "Town (late entry)"},
    "wf.exc_reason": {"zh": "理由（必填）", "en": "Reason (required)"},
    "wf.exc_grant": {"zh": "开放例外", "en": "Grant the exception"},
    "wf.exc_granted": {"zh": "已开放例外 #{no}", "en": "Exception #{no} granted"},
    "wf.exc_close": {"zh": "关闭例外", "en": "Close the exception"},
    "wf.exc_closed": {"zh": "例外 #{no} 已关闭", "en": "Exception #{no} closed"},
    "wf.exc_no": {"zh": "例外编号", "en": "Exception"},
    "wf.deadline": {
        "zh": "填报截止（当地时间，如 2026-04-10 或 2026-04-10 18:00；留空为取消）",
        "en": "Entry deadline (local, e.g. 2026-04-10 or 2026-04-10 18:00; empty removes it)",
    },
    "wf.deadline_set": {"zh": "设置截止时间", "en": "Set the deadline"},
    "wf.deadline_done": {
        "zh": "{period} 的填报截止：{deadline}",
        "en": "{period}'s entry deadline: {deadline}",
    },
    "wf.none": {"zh": "无", "en": "none"},
    "any": {"zh": "（全部）", "en": "(all)"},
    "ca.confirm": {
        "zh": "确认覆盖上次导入之后录入的数值",
        "en": "Confirm overwriting the values entered since the last import",
    },
    "ca.needs_confirm": {
        "zh": "此次导入将修改或删除 {n} 个在上次导入之后录入的数值（见下表）：勾选上方确认后再次导入。",
        "en": "This import would change or delete {n} values entered since the last import (below): tick the confirmation above and import again.",
    },
    "pb.annual_status": {
        "zh": "全年星级与排名（{status}，异议期至 {until}）",
        "en": "The year's stars and ranks ({status}; objections until {until})",
    },
    "us.change": {"zh": "修改用户", "en": "Change a user"},
    "us.save_change": {"zh": "保存修改", "en": "Save the change"},
    "us.changed": {"zh": "已修改用户 {user}", "en": "Changed user {user}"},
    "us.new_password": {"zh": "新密码（至少 8 位）", "en": "New password (at least 8 characters)"},
    "us.reset": {"zh": "重设密码", "en": "Reset the password"},
    "us.reset_done": {"zh": "已重设 {user} 的密码", "en": "Reset the password of {user}"},
    "us.enable": {"zh": "启用用户", "en": "Enable the user"},
    "us.enabled": {"zh": "已启用 {user}", "en": "Enabled {user}"},
    "us.on": {"zh": "启用", "en": "enabled"},
    "us.off": {"zh": "已停用", "en": "disabled"},
    "us.import": {"zh": "从表格导入用户", "en": "Import users from a sheet"},
    "us.import_help": {
        "zh": "列：用户名、角色（管理员/评分员/领导/财务）、密码（至少 8 位），可选 负责街镇、负责领域（用顿号或逗号分隔）；任何一行有错则全部不导入。",
        "en": "Columns: username, role (admin/evaluator/leader/finance), password (at least 8), optional towns and areas (comma-separated); one wrong row and none is imported.",
    },
    "us.do_import": {"zh": "导入", "en": "Import"},
    "us.imported": {"zh": "已导入 {n} 个用户", "en": "Imported {n} users"},
    "en.template_file": {"zh": "录入模板", "en": "entry-template"},
    "en.no_own_towns": {
        "zh": "您负责的街镇中没有这一类别的单位，请换一个类别。",
        "en": "None of your towns has units of this category; choose another category.",
    },
    "en.basis.category": {"zh": "同类单位本期", "en": "its category this period"},
    "en.basis.history": {"zh": "本单位其他期次", "en": "its own other periods"},
    # objections
    "ob.title": {"zh": "异议登记", "en": "Objections"},
    "ob.help": {
        "zh": "公示期内收到的异议逐件登记：成立的写明所作更正（可直接更正数值，自动开放并关闭例外、重新计分），"
        "不成立的写明理由。有待处理异议的期次或全年结果不能定稿；公示材料列出件数与结果。",
        "en": "Record each objection received during a notice: upheld with the correction made (a value can be "
        "corrected here: an exception is opened and closed and the campaign re-scored), rejected with why. "
        "A period or year with objections pending cannot be final; the notice counts them and their outcomes.",
    },
    "ob.add": {"zh": "登记异议", "en": "Record an objection"},
    "ob.unit": {"zh": "单位", "en": "Unit"},
    "ob.period": {"zh": "针对", "en": "Against"},
    "ob.year": {"zh": "全年星级与奖励", "en": "the year's stars and awards"},
    "ob.by": {"zh": "提出人", "en": "Raised by"},
    "ob.text": {"zh": "异议内容", "en": "What it says"},
    "ob.received": {"zh": "收到日期", "en": "Received on"},
    "ob.recorded": {"zh": "已登记异议 #{no}", "en": "Objection #{no} recorded"},
    "ob.handle": {"zh": "处理异议", "en": "Handle an objection"},
    "ob.no": {"zh": "异议", "en": "Objection"},
    "ob.outcome": {"zh": "结果", "en": "Outcome"},
    "ob.response": {"zh": "处理意见（必填）", "en": "Response (required)"},
    "ob.indicator": {
        "zh": "更正指标（成立且需改数值时）",
        "en": "Indicator to correct (upheld, with a value)",
    },
    "ob.value": {"zh": "更正后的数值", "en": "Corrected value"},
    "ob.correction": {"zh": "所作更正（不改数值时说明）", "en": "Correction made (when no value changes)"},
    "ob.do": {"zh": "保存处理结果", "en": "Save the outcome"},
    "ob.handled": {"zh": "异议 #{no} 已处理：{outcome}", "en": "Objection #{no} handled: {outcome}"},
    "ob.none_pending": {"zh": "没有待处理的异议。", "en": "No objection is pending."},
    "ob.counts": {
        "zh": "共 {total} 件：成立 {upheld}，不成立 {rejected}，待处理 {pending}",
        "en": "{total} in all: {upheld} upheld, {rejected} rejected, {pending} pending",
    },
    # the evaluator's to-do
    "td.title": {"zh": "我的待办", "en": "My to-do"},
    "td.help": {
        "zh": "本人负责街镇的各期次：状态、填报截止、仍缺的数值，以及退回意见。",
        "en": "Your towns in each period: status, entry deadline, values still missing, and return messages.",
    },
    "td.nothing": {"zh": "没有待办：负责的期次都已审核。", "en": "Nothing to do: your periods are approved."},
    "td.returned": {
        "zh": "{period} · {town} 被 {who} 退回：{message}",
        "en": "{period} · {town} was returned by {who}: {message}",
    },
    "td.overdue": {"zh": "已截止", "en": "closed"},
    # the entry page's state of the period
    "en.locked": {
        "zh": "{period} 已{status}，数值已锁定，不能修改{exceptions}。",
        "en": "{period} is {status}: its values are locked{exceptions}.",
    },
    "en.open_exceptions": {"zh": "（开放更正的单位：{units}）", "en": " (open for correction: {units})"},
    "en.town_state": {"zh": "本期各街镇：{states}", "en": "This period's towns: {states}"},
    "en.deadline": {"zh": "填报截止：{deadline}", "en": "Entry deadline: {deadline}"},
    "en.deadline_passed": {
        "zh": "{period} 已于 {deadline} 截止填报；如需补报请联系管理员开放例外。",
        "en": "Entry for {period} closed at {deadline}; ask an admin for an exception to enter late.",
    },
}
