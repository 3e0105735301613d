"""The workflow's words (zh default, en): states, actions, and the problems of approving town by
town, lock exceptions, deadlines, the year's 公示 and objections. Merged into the catalogue by
``scoring.core.i18n``; a problem's ``status`` and ``action`` are shown through ``state.*`` and
``action.*``, never as codes."""

from __future__ import annotations

WORKFLOW_TEXT: dict[str, dict[str, str]] = {
    "state.open": {"zh": "填报中", "en": "open"},
    "state.submitted": {"zh": "已提交", "en": "submitted"},
    "state.approved": {"zh": "已审核", "en": "approved"},
    "state.returned": {"zh": "已退回", "en": "returned"},
    "state.published": {"zh": "公示中", "en": "published"},
    "state.final": {"zh": "已定稿", "en": "final"},
    "state.pending": {"zh": "待处理", "en": "pending"},
    "state.upheld": {"zh": "成立", "en": "upheld"},
    "state.rejected": {"zh": "不成立", "en": "rejected"},
    "action.submit": {"zh": "提交", "en": "submit"},
    "action.approve": {"zh": "审核通过", "en": "approve"},
    "action.return": {"zh": "退回", "en": "return"},
    "action.override": {"zh": "代为审核", "en": "override"},
    "action.publish": {"zh": "公示", "en": "publish"},
    "action.finalize": {"zh": "定稿", "en": "finalise"},
    "action.reopen": {"zh": "重新开放", "en": "reopen"},
    "action.enter_values": {"zh": "录入数值", "en": "enter values"},
    "action.import_campaign": {"zh": "导入活动", "en": "import a campaign"},
    "action.score": {"zh": "计分", "en": "score"},
    "action.return_town": {"zh": "退回街镇", "en": "return a town"},
    "action.grant_exception": {"zh": "开放锁定例外", "en": "grant a lock exception"},
    "action.set_deadline": {"zh": "设置填报截止", "en": "set a deadline"},
    "action.publish_year": {"zh": "公示全年结果", "en": "publish the year"},
    "action.finalize_year": {"zh": "全年结果定稿", "en": "make the year final"},
    "action.record_objection": {"zh": "登记异议", "en": "record an objection"},
    "action.handle_objection": {"zh": "处理异议", "en": "handle an objection"},
    "action.export_payouts": {"zh": "导出奖金", "en": "export payouts"},
    "action.manage_users": {"zh": "管理用户", "en": "manage users"},
    "action.view_audit": {"zh": "查看修改记录", "en": "view the audit trail"},
    "kind.score": {"zh": "直接得分", "en": "points as entered"},
    "kind.linear": {"zh": "按比例得分", "en": "linear"},
    "kind.tiers": {"zh": "分档得分", "en": "tiers"},
    "kind.bonus": {"zh": "加分", "en": "bonus"},
    "kind.penalty": {"zh": "扣分", "en": "penalty"},
    "kind.veto": {"zh": "一票否决", "en": "veto"},
    "kind.relative": {"zh": "按比例折算", "en": "relative to the category"},
    "kind.rank_points": {"zh": "按排名赋分", "en": "points by place"},
    "tpl.sheet": {"zh": "数据录入", "en": "entry"},
    "tpl.title": {
        "zh": "{name} · {period} 数据录入表（{town}）",
        "en": "{name} · {period} entry sheet ({town})",
    },
    "tpl.all_towns": {"zh": "全部街镇", "en": "every town"},
    "tpl.unit_id": {"zh": "单位编号", "en": "Unit id"},
    "tpl.unit_name": {"zh": "单位名称", "en": "Unit"},
    "tpl.town": {"zh": "街镇", "en": "Town"},
    "tpl.hint": {"zh": "填写说明 →", "en": "what to enter →"},
    "tpl.veto": {"zh": "0 或 1（1 = 否决）", "en": "0 or 1 (1 = veto)"},
    "tpl.range": {"zh": "{lo}–{hi}", "en": "{lo}–{hi}"},
    "au.action.import": {"zh": "导入", "en": "Import"},
    "au.action.import_period": {"zh": "导入本期数值", "en": "Period imported"},
    "cli.four_eyes_hint": {
        "zh": "（命令行用 --user 写明审核人）",
        "en": "(on the command line, name the approver with --user)",
    },
    "user.enabled": {"zh": "启用", "en": "enabled"},
    "user.disabled": {"zh": "停用", "en": "disabled"},
    "user.created_at": {"zh": "创建时间（{zone}）", "en": "Created ({zone})"},
    "src.delivered_at": {"zh": "最近报送（{zone}）", "en": "Delivered at ({zone})"},
    "au.source.import": {"zh": "导入", "en": "import"},
    "au.source.entry": {"zh": "数据录入", "en": "data entry"},
    "au.action.campaign_remove": {"zh": "删除活动", "en": "Campaign removed"},
    "au.action.baseline": {"zh": "取上年结果为进步奖基数", "en": "Last year's results taken as baseline"},
    "au.action.enter": {"zh": "录入", "en": "Entered"},
    "au.action.change": {"zh": "修改", "en": "Changed"},
    "au.action.delete": {"zh": "删除", "en": "Deleted"},
    "au.action.rules_change": {"zh": "规则变更", "en": "Rules changed"},
    "au.action.sources_change": {"zh": "数据来源变更", "en": "Sources changed"},
    "au.action.source_delivery": {"zh": "部门报送", "en": "Department delivery"},
    "au.action.unit_add": {"zh": "新增单位", "en": "Unit added"},
    "au.action.unit_change": {"zh": "单位变更", "en": "Unit changed"},
    "au.action.unit_remove": {"zh": "删除单位", "en": "Unit removed"},
    "au.action.secretary_change": {"zh": "书记变更", "en": "Secretary changed"},
    "au.action.exception_grant": {"zh": "开放例外", "en": "Exception granted"},
    "au.action.exception_close": {"zh": "关闭例外", "en": "Exception closed"},
    "au.action.deadline_set": {"zh": "设置截止时间", "en": "Deadline set"},
    "au.action.objection": {"zh": "登记异议", "en": "Objection recorded"},
    "au.action.objection_upheld": {"zh": "异议成立", "en": "Objection upheld"},
    "au.action.objection_rejected": {"zh": "异议不成立", "en": "Objection rejected"},
    "town.none": {"zh": "未分街镇", "en": "no town"},
    "wcol.period": {"zh": "期次", "en": "Period"},
    "wcol.status": {"zh": "状态", "en": "Status"},
    "wcol.who": {"zh": "操作人", "en": "By"},
    "wcol.when": {"zh": "时间（{zone}）", "en": "When ({zone})"},
    "wcol.reason": {"zh": "理由", "en": "Reason"},
    "wcol.objection_ends": {"zh": "异议期至（{zone}）", "en": "Objections until ({zone})"},
    "wcol.deadline": {"zh": "填报截止", "en": "Entry deadline"},
    "wcol.pending": {"zh": "待处理异议", "en": "Objections pending"},
    "wcol.town": {"zh": "街镇", "en": "Town"},
    "wcol.no": {"zh": "编号", "en": "No."},
    "wcol.unit": {"zh": "单位", "en": "Unit"},
    "wcol.indicator": {"zh": "指标", "en": "Indicator"},
    "wcol.raised_by": {"zh": "提出人", "en": "Raised by"},
    "wcol.text": {"zh": "异议内容", "en": "Objection"},
    "wcol.received": {"zh": "收到时间（{zone}）", "en": "Received ({zone})"},
    "wcol.outcome": {"zh": "处理结果", "en": "Outcome"},
    "wcol.response": {"zh": "处理意见", "en": "Response"},
    "wcol.correction": {"zh": "所作更正", "en": "Correction made"},
    "wcol.handled_by": {"zh": "处理人", "en": "Handled by"},
    "wcol.handled_at": {"zh": "处理时间（{zone}）", "en": "Handled ({zone})"},
    "wcol.closed_at": {"zh": "关闭时间（{zone}）", "en": "Closed ({zone})"},
    "wcol.message": {"zh": "退回意见", "en": "Message"},
    "wcol.missing": {"zh": "缺失数值", "en": "Values missing"},
    "year.status.open": {"zh": "全年结果：尚未公示", "en": "The year: not yet published"},
    "year.status.published": {
        "zh": "全年结果：{who} 于 {at} 公示，异议期至 {until}",
        "en": "The year: published by {who} on {at}; objections until {until}",
    },
    "year.status.final": {
        "zh": "全年结果：{who} 于 {at} 定稿",
        "en": "The year: made final by {who} on {at}",
    },
    "cli.town_moved": {
        "zh": "期次 {period} 街镇 {town} 现为：{status}（期次：{period_status}）",
        "en": "period {period}, town {town} is now: {status} (the period: {period_status})",
    },
    "cli.year_moved": {"zh": "全年结果现为：{status}", "en": "the year is now: {status}"},
    "cli.exception_granted": {"zh": "已开放例外 #{no}", "en": "exception #{no} granted"},
    "cli.exception_closed": {"zh": "例外 #{no} 已关闭", "en": "exception #{no} closed"},
    "cli.deadline_set": {
        "zh": "期次 {period} 的填报截止时间：{deadline}",
        "en": "period {period}'s entry deadline: {deadline}",
    },
    "cli.objection_recorded": {"zh": "已登记异议 #{no}", "en": "objection #{no} recorded"},
    "cli.objection_handled": {
        "zh": "异议 #{no} 已处理：{outcome}{correction}",
        "en": "objection #{no} handled: {outcome}{correction}",
    },
    "cli.none_deadline": {"zh": "无", "en": "none"},
    "year.label": {"zh": "全年", "en": "the year"},
    "cli.baseline_taken": {
        "zh": "已把活动 {old} 的年度结果作为活动 {new} 的上年结果：按编号对应 {by_id} 个单位，按名称对应 {by_name} 个",
        "en": "campaign {old}'s annual results are now campaign {new}'s last-year results: {by_id} units matched by id, {by_name} by name",
    },
    "cli.baseline_unmatched_new": {
        "zh": "本年有 {n} 个单位在上年结果中找不到（不能获进步奖）：",
        "en": "{n} of this year's units have no last-year result (they cannot win the progress award):",
    },
    "cli.baseline_unmatched_old": {
        "zh": "上年有 {n} 个单位未对应到本年单位：",
        "en": "{n} of last year's units match no unit of this year:",
    },
    "cli.campaign_removed": {
        "zh": "已删除活动 {id}（审计记录保留）",
        "en": "removed campaign {id} (its audit trail stays)",
    },
    "problem.remove_reason": {
        "zh": "删除活动 {id} 须写明理由",
        "en": "removing campaign {id} needs a reason",
    },
    "problem.remove_published": {
        "zh": "活动 {id} 已有公示结果（{periods}），不能删除：已公示的结果与奖金须保留",
        "en": "campaign {id} has published results ({periods}); it cannot be removed: what was published stays",
    },
    "problem.name_too_long": {"zh": "用户名最长 {n} 个字符", "en": "a user name has at most {n} characters"},
    "problem.name_hidden_chars": {
        "zh": "用户名含有看不见或改变显示方向的字符（{chars}），容易被冒认，请只用看得见的文字",
        "en": "the user name holds invisible or direction-changing characters ({chars}); use visible characters only",
    },
    "problem.name_lookalike": {
        "zh": "用户名与已有账号“{user}”看起来相同（仅大小写、空格或全半角不同），请另取一个",
        "en": "the user name looks like the existing account '{user}' (case, spaces or width only); choose another",
    },
    "problem.common_password": {
        "zh": "密码太常见或与用户名相同，容易被猜中，请另设一个",
        "en": "the password is too common or is the user name; choose another",
    },
    "problem.restore_rolls_back": {
        "zh": "该备份早于当前数据库中已公示或定稿的结果（{n} 项：{what}），恢复会撤回它们，已拒绝；确需恢复时由管理员用 --force-reason 写明理由（记入审计）",
        "en": "the backup predates results published or made final in the current database ({n}: {what}); restoring would take them back and is refused; an admin who must restore it gives --force-reason (audited)",
    },
    "au.action.restore_forced": {"zh": "强制恢复备份", "en": "Backup restored (forced)"},
    "notice.chain_head": {
        "zh": "修改记录链头（核验用）：{head}",
        "en": "Head of the audit trail (for verification): {head}",
    },
    "verify.scope.annual": {"zh": "全年结果", "en": "annual results"},
    "verify.scope.payouts": {"zh": "奖金发放", "en": "payouts"},
    "verify.scope.summary": {"zh": "奖金汇总", "en": "summary"},
    "verify.scope.rules": {
        "zh": "评分规则（与公示所用的规则不同）",
        "en": "rules (differ from those the published results used)",
    },
    "verify.scope.data": {
        "zh": "单位、书记与数值（与公示所用的数据不同：有改动未经本系统）",
        "en": "units, secretaries and values (differ from the data the published results used: changed around the product)",
    },
    "verify.scope.users": {
        "zh": "用户账号（有账号不是经本系统添加的，修改记录中没有）",
        "en": "accounts (an account the audit trail never saw added)",
    },
    "verify.scope.objections": {
        "zh": "异议登记（登记簿与修改记录不符：有异议被删除或未经系统登记）",
        "en": "objection register (differs from the audit trail: an objection deleted or never recorded)",
    },
    "verify.scope.state": {
        "zh": "流程状态（当前状态或所公示的计分运行与流程记录不符）",
        "en": "workflow states (a current state or pinned run differs from the workflow log)",
    },
    "problem.correction_four_eyes": {
        "zh": "四眼原则：异议 #{no} 由 {user} 登记，更正须由另一人认定成立",
        "en": "four eyes: objection #{no} was recorded by {user}; another person upholds its correction",
    },
    "problem.exceptions_open": {
        "zh": "期次 {period} 还有 {n} 个未关闭的例外，关闭后才能定稿",
        "en": "period {period} has {n} open exceptions; close them before making it final",
    },
    "problem.year_final_frozen": {
        "zh": "全年结果已定稿，奖金已最终确定：任何数值、例外、异议或导入都不能再改变它（{period}）",
        "en": "the year is final and its awards are settled: no value, exception, objection or import can change them ({period})",
    },
    "problem.period_final_frozen": {
        "zh": "期次 {period} 已定稿：不能再开放例外；只有在全年公示期内成立的全年异议可以更正该期数值",
        "en": "period {period} is final: no exception opens it; only an objection to the year upheld during the year's 公示 corrects its values",
    },
    "problem.objection_window_closed": {
        "zh": "{scope} 的异议期已于 {until} 结束（或尚未公示），不能再登记异议",
        "en": "the objection window of {scope} ended at {until} (or it is not published): no objection can be recorded",
    },
    "problem.values_needed_again": {
        "zh": "活动 {id} 已在库中：重新导入须带上 values.csv（不带则会删除已录入的全部数值）；只录入新数值请用“数据录入”",
        "en": "campaign {id} is stored: a re-import needs values.csv (without it every value entered would be deleted); enter new values on the Data entry page",
    },
    "problem.scope_not_for_role": {
        "zh": "只有评分员可以限定街镇、指标领域或部门；{role}不能限定，请清空这些选项",
        "en": "only an evaluator is limited to towns, indicator areas or departments; a {role} is not: clear them",
    },
    "problem.period_closed_file": {
        "zh": "文件中有 {period} 的数值，而该期已是“{status}”状态，不能再导入；如需更正，请由管理员为相应单位开放例外后再导入",
        "en": "the file holds values of {period}, which is {status}: they cannot be imported; for a correction an admin opens an exception for the units first",
    },
    "problem.import_overwrites": {
        "zh": "导入将修改或删除 {n} 个在上次导入之后录入的数值（如 {examples}）：确认覆盖请加 --yes（看板上勾选确认）",
        "en": "the import would change or delete {n} values entered after the last import (e.g. {examples}): "
        "confirm with --yes (on the dashboard, tick the confirmation)",
    },
    "cli.import_plan": {
        "zh": "导入将新增 {added}、修改 {changed}、删除 {deleted} 个数值；规则、单位或书记变更 {master} 项；其中 {overwritten} 个数值是上次导入后录入的",
        "en": "the import adds {added}, changes {changed} and deletes {deleted} values; {master} changes of rules, units or secretaries; {overwritten} of the values were entered after the last import",
    },
    "cli.import_dry_run": {"zh": "（试运行，未写入任何数据）", "en": "(a dry run: nothing was written)"},
    "problem.ambiguous_unit": {
        "zh": "名称“{name}”对应多个单位（{ids}），请用单位编号",
        "en": "the name '{name}' is shared by several units ({ids}); give the unit id",
    },
    "problem.rule_extra": {
        "zh": "不认识的字段（拼写是否有误？此处不能有这一项）",
        "en": "a field this format does not have (misspelt?); it is not allowed here",
    },
    "problem.rule_missing": {"zh": "缺少必填字段", "en": "a required field is missing"},
    "problem.rule_choice": {
        "zh": "“{got}”不是可用的取值（应为：{expected}）",
        "en": "'{got}' is not one of: {expected}",
    },
    "problem.rule_integer": {"zh": "“{got}”应为整数", "en": "'{got}' should be a whole number"},
    "problem.rule_number": {"zh": "“{got}”应为数字", "en": "'{got}' should be a number"},
    "problem.rule_text": {"zh": "“{got}”应为文字", "en": "'{got}' should be text"},
    "problem.rule_list": {
        "zh": "应为列表（如 [a, b]），读到：{got}",
        "en": "should be a list (such as [a, b]); got {got}",
    },
    "problem.rule_mapping": {
        "zh": "应为键值对（如 {{id: a, name: b}}），读到：{got}",
        "en": "should be a mapping (such as {{id: a, name: b}}); got {got}",
    },
    "problem.rule_too_short": {"zh": "不能为空（至少 {min} 项）", "en": "cannot be empty (at least {min})"},
    "problem.rule_at_least": {"zh": "“{got}”应不小于 {ge}", "en": "'{got}' should be at least {ge}"},
    "problem.unknown_scope_town": {
        "zh": "街镇“{value}”不在已导入活动的单位名单中（现有：{expected}）",
        "en": "town '{value}' is not a town of the stored campaigns (there are: {expected})",
    },
    "problem.unknown_scope_area": {
        "zh": "指标领域“{value}”不在已导入活动的指标中（现有：{expected}）",
        "en": "indicator area '{value}' is not an area of the stored campaigns (there are: {expected})",
    },
    "cli.user_password": {"zh": "已重设用户 {user} 的密码", "en": "reset the password of {user}"},
    "cli.user_changed": {"zh": "已修改用户 {user}：{role}", "en": "changed user {user}: {role}"},
    "cli.users_imported": {"zh": "已导入 {n} 个用户", "en": "imported {n} users"},
    "role.admin": {"zh": "管理员", "en": "admin"},
    "role.evaluator": {"zh": "评分员", "en": "evaluator"},
    "role.leader": {"zh": "领导", "en": "leader"},
    "role.finance": {"zh": "财务", "en": "finance"},
    "problem.option_needed": {"zh": "此操作需要选项 {option}", "en": "this needs the option {option}"},
    "problem.bad_time": {
        "zh": "时间“{value}”格式不对：请写 2026-12-03 或 2026-12-03 09:30",
        "en": "'{value}' is not a time: write 2026-12-03 or 2026-12-03 09:30",
    },
    "problem.unknown_timezone": {
        "zh": "时区“{zone}”无法识别（如 Asia/Shanghai）",
        "en": "unknown time zone '{zone}' (e.g. Asia/Shanghai)",
    },
    "problem.deadline_period": {
        "zh": "截止时间所列期次“{period}”不属于本活动（应为：{expected}）",
        "en": "deadline for '{period}', which is not a campaign period (expected one of: {expected})",
    },
    "problem.deadline_format": {
        "zh": "期次 {period} 的截止时间“{value}”格式不对：请写 2026-04-10 或 2026-04-10 18:00",
        "en": "period {period}'s deadline '{value}' is not a date: write 2026-04-10 or 2026-04-10 18:00",
    },
    "problem.four_eyes": {
        "zh": "四眼原则：{user} 录入、修改或提交过期次 {period}（{towns}）的数值，"
        "不能再由本人审核；请由另一位审核人审核",
        "en": "four eyes: {user} entered, changed or submitted values of period {period} ({towns}) "
        "and cannot approve them; another approver must",
    },
    "problem.unknown_town": {
        "zh": "街镇“{town}”不在本活动的单位名单中（现有：{expected}）",
        "en": "town '{town}' is not a town of this campaign's units (there are: {expected})",
    },
    "problem.not_your_town": {
        "zh": "用户 {user} 不负责街镇 {town}，不能提交该街镇的数值",
        "en": "user {user} is not assigned town {town} and cannot submit it",
    },
    "problem.bad_town_transition": {
        "zh": "期次 {period} 的街镇 {town} 当前为“{status}”，不能{action}（期次已审核后，街镇不能再变动）",
        "en": "town {town} of period {period} is {status}; it cannot {action} "
        "(nor can any town once the period is approved)",
    },
    "problem.return_message": {
        "zh": "退回街镇 {town} 须写明退回原因，填报人会在录入页看到",
        "en": "returning town {town} needs a message; its evaluators see it on their entry page",
    },
    "problem.override_message": {
        "zh": "管理员代为审核街镇 {town} 须说明理由",
        "en": "an admin override of town {town} needs a reason",
    },
    "problem.nothing_to_submit": {
        "zh": "期次 {period} 中没有 {user} 可以提交的街镇（已提交，或不在负责范围内）",
        "en": "period {period} has no town {user} can submit (already submitted, or not assigned)",
    },
    "problem.objections_pending": {
        "zh": "{period} 尚有 {n} 件异议未处理，处理完毕后才能定稿",
        "en": "{period} has {n} objections not yet handled; handle them before it can be final",
    },
    "problem.town_approved": {
        "zh": "期次 {period} 的街镇 {town} 已于 {at} 由 {who} 审核通过，{n} 个数值不能修改；"
        "如需修改请先退回该街镇",
        "en": "town {town} of period {period} was approved by {who} on {at}: {n} values cannot change; "
        "return the town first",
    },
    "problem.deadline_passed": {
        "zh": "期次 {period} 的填报已于 {deadline} 截止，{n} 个数值不能再录入；如需补报请管理员开放例外",
        "en": "entry for period {period} closed at {deadline}: {n} values cannot be entered; "
        "an admin can grant an exception",
    },
    "problem.exception_reason": {
        "zh": "开放例外（期次 {period}）须说明理由",
        "en": "an exception (period {period}) needs a reason",
    },
    "problem.exception_needs_unit": {
        "zh": "期次 {period} 已锁定：例外只能开放一个单位（或单位的一个指标），不能开放整个期次或街镇",
        "en": "period {period} is locked: an exception opens one unit (or one unit's indicator), "
        "never the whole period or a town",
    },
    "problem.unknown_exception": {
        "zh": "没有未关闭的例外 #{no}",
        "en": "no open exception #{no}",
    },
    "problem.bad_year_transition": {
        "zh": "全年结果当前为“{status}”，不能{action}",
        "en": "the year is {status}; it cannot {action}",
    },
    "problem.year_periods_open": {
        "zh": "期次 {periods} 尚未定稿：全部期次定稿后才能公示全年结果",
        "en": "periods {periods} are not final: the year is published once every period is",
    },
    "problem.year_not_scored": {
        "zh": "活动 {id} 的全年结果尚未按当前数据计分，请先重新计分",
        "en": "campaign {id}'s year is not scored on the current data; score it first",
    },
    "problem.year_objection_open": {
        "zh": "全年结果的公示异议期至 {until}，期满前不能定稿",
        "en": "the year is open for objections until {until}; it cannot be final before",
    },
    "problem.year_not_published": {
        "zh": "活动 {id} 的全年结果尚未公示，不能登记针对全年结果的异议",
        "en": "campaign {id}'s year is not published: no objection to it can be recorded",
    },
    "problem.period_not_published": {
        "zh": "期次 {period} 尚未公示，不能登记异议",
        "en": "period {period} is not published: no objection to it can be recorded",
    },
    "problem.objection_empty": {
        "zh": "异议须写明提出人和内容",
        "en": "an objection needs who raised it and what it says",
    },
    "problem.bad_outcome": {
        "zh": "处理结果“{outcome}”无效（应为：成立 upheld 或 不成立 rejected）",
        "en": "unknown outcome '{outcome}' (expected upheld or rejected)",
    },
    "problem.objection_response": {
        "zh": "处理异议 #{no} 须写明理由（成立：更正了什么；不成立：为什么）",
        "en": "handling objection #{no} needs a reason (upheld: what was corrected; rejected: why)",
    },
    "problem.unknown_objection": {"zh": "没有异议 #{no}", "en": "no objection #{no}"},
    "problem.objection_handled": {
        "zh": "异议 #{no} 已处理（{outcome}），不能再次处理",
        "en": "objection #{no} was already handled ({outcome})",
    },
}
