"""The problems a user's input can have, as catalogue entries (zh default, en): every
``CampaignError`` names one of these (``problem.<code>``) and where it is (``where.*``).
``scoring.core.i18n`` merges them into the one catalogue."""

from __future__ import annotations

PROBLEMS: dict[str, dict[str, str]] = {
    # where a problem is
    "where.row": {"zh": "第{row}行", "en": "row {row}"},
    "where.column": {"zh": "列 {column}", "en": "column {column}"},
    # problems: files
    "problem.file_missing": {"zh": "文件不存在", "en": "the file is missing"},
    "problem.folder_missing": {"zh": "找不到活动文件夹", "en": "no campaign folder here"},
    "problem.file_empty": {
        "zh": "文件是空的，至少需要标题行",
        "en": "the file is empty; it needs a header row",
    },
    "problem.file_unreadable": {"zh": "无法读取文件：{detail}", "en": "cannot read the file: {detail}"},
    "problem.csv_malformed": {
        "zh": "CSV 格式错误：{detail}（请检查引号和每行的列数）",
        "en": "malformed CSV: {detail} (check quotes and the number of columns on each row)",
    },
    "problem.csv_fields": {
        "zh": "本行有 {got} 列，标题行有 {expected} 列（数值中不要带逗号，如 1,200 应写成 1200；"
        "含逗号的文字请加引号）",
        "en": "this row has {got} cells but the header has {expected} (write numbers without "
        "commas, e.g. 1200 not 1,200; quote text that contains a comma)",
    },
    "problem.encoding": {
        "zh": "文件编码无法识别：请在 Excel 中“另存为”→“CSV UTF-8（逗号分隔）”后重试",
        "en": "unknown text encoding: in Excel use Save As → 'CSV UTF-8 (Comma delimited)' and retry",
    },
    "problem.column_missing": {
        "zh": "缺少必需的列（必需列：{columns}）",
        "en": "a required column is missing (required: {columns})",
    },
    "problem.values_ambiguous": {
        "zh": "同时存在多个取值文件（{files}），只能保留一个",
        "en": "several value files are present ({files}); keep only one",
    },
    "problem.more_of_same": {
        "zh": "同类问题（{code}）还有 {n} 处未列出",
        "en": "{n} more problems of the same kind ({code}) not listed",
    },
    # problems: campaign.yaml
    "problem.yaml_syntax": {"zh": "YAML 语法错误：{detail}", "en": "YAML syntax error: {detail}"},
    "problem.yaml_not_mapping": {
        "zh": "campaign.yaml 应为键值结构（format、campaign、indicators …）",
        "en": "campaign.yaml must be a mapping (format, campaign, indicators …)",
    },
    "problem.rule_invalid": {
        "zh": "规则无效：{detail}（读到：{got}）",
        "en": "invalid rule: {detail} (got: {got})",
    },
    "problem.bad_format": {
        "zh": "format 应为 {expected}，读到 {got}",
        "en": "format must be {expected}, got {got}",
    },
    "problem.id_spaces": {
        "zh": "编号“{id}”为空或首尾有空格",
        "en": "id '{id}' is empty or has surrounding spaces",
    },
    "problem.duplicate_id": {"zh": "{kind}编号“{id}”重复", "en": "duplicate {kind} id '{id}'"},
    "problem.empty_categories": {
        "zh": "指标 {indicator} 的 categories 为空列表",
        "en": "indicator {indicator} has an empty categories list",
    },
    "problem.kind_needs": {
        "zh": "指标 {indicator}（{kind}）必须给出 {field}",
        "en": "indicator {indicator} ({kind}) needs {field}",
    },
    "problem.kind_forbids": {
        "zh": "指标 {indicator}（{kind}）不使用 {field}，请删除",
        "en": "indicator {indicator} ({kind}) does not use {field}; remove it",
    },
    "problem.points_positive": {
        "zh": "指标 {indicator} 的 points 必须大于 0",
        "en": "indicator {indicator}: points must be above 0",
    },
    "problem.floor_equals_target": {
        "zh": "指标 {indicator}：floor 与 target 相等（{value}），无法计算线性得分",
        "en": "indicator {indicator}: floor equals target ({value}); linear points are undefined",
    },
    "problem.tiers_empty": {
        "zh": "指标 {indicator} 没有任何档次",
        "en": "indicator {indicator} has no tiers",
    },
    "problem.tier_bound": {
        "zh": "指标 {indicator} 第{n}档至少要有 min 或 max（两者都有即为区间）",
        "en": "indicator {indicator} tier {n} needs min or max (or both, for a range)",
    },
    "problem.min_above_max": {
        "zh": "指标 {indicator}：min_value 大于 max_value",
        "en": "indicator {indicator}: min_value is above max_value",
    },
    "problem.unknown_tie_break": {
        "zh": "并列排序指标 {indicator} 不存在",
        "en": "tie-break indicator {indicator} is not an indicator",
    },
    "problem.tie_break_veto": {
        "zh": "否决项 {indicator} 没有分值，不能用于并列排序",
        "en": "veto indicator {indicator} has no points; it cannot break ties",
    },
    "problem.share_range": {"zh": "比例 {value} 应在 0 到 1 之间", "en": "share {value} must lie in 0..1"},
    "problem.star_level_empty": {
        "zh": "{stars}星级别既无 min_score 也无 max_share",
        "en": "star level {stars} has neither min_score nor max_share",
    },
    "problem.money_negative": {
        "zh": "奖励金额 {field} 不能为负数",
        "en": "award amount {field} cannot be negative",
    },
    "problem.award_unknown_level": {
        "zh": "awards.stars 给 {stars} 星定了奖金，但 stars 中没有 {stars} 星，这笔金额不会发放",
        "en": "awards.stars gives an amount for {stars} stars, a level stars does not define: it is never paid",
    },
    "problem.rounding_positive": {
        "zh": "rounding 必须大于 0（读到 {value}）",
        "en": "rounding must be above 0 (got {value})",
    },
    "problem.not_finite": {"zh": "“{value}”不是有限数值", "en": "'{value}' is not a finite number"},
    "problem.too_many_decimals": {
        "zh": "“{value}”小数位超过 {places} 位",
        "en": "'{value}' has more than {places} decimal places",
    },
    "problem.number_too_large": {
        "zh": "“{value}”超出允许范围（绝对值须小于 {limit}）",
        "en": "'{value}' is out of range (absolute value must be below {limit})",
    },
    # problems: tables
    "problem.id_empty": {"zh": "编号为空", "en": "the id is empty"},
    "problem.name_empty": {"zh": "名称为空", "en": "the name is empty"},
    "problem.duplicate_unit": {
        "zh": "单位编号“{id}”重复（首次出现在第{first_row}行）",
        "en": "duplicate unit id '{id}' (first on row {first_row})",
    },
    "problem.unknown_category": {
        "zh": "类别“{category}”不存在（应为：{expected}）",
        "en": "unknown category '{category}' (expected one of: {expected})",
    },
    "problem.bad_households": {
        "zh": "户数“{value}”应为非负整数",
        "en": "households '{value}' must be a whole number ≥ 0",
    },
    "problem.secretary_name_without_id": {
        "zh": "填写了书记姓名但没有书记编号",
        "en": "a secretary name is given without a secretary id",
    },
    "problem.secretary_name_conflict": {
        "zh": "书记编号 {id} 的姓名“{name}”与别处的“{other}”不一致",
        "en": "secretary {id} is named '{name}' here but '{other}' elsewhere",
    },
    "problem.unknown_unit": {
        "zh": "单位编号“{unit}”不在 units.csv 中",
        "en": "unit '{unit}' is not in units.csv",
    },
    "problem.unknown_period": {
        "zh": "期次“{period}”不属于本活动（应为：{expected}）",
        "en": "period '{period}' is not a campaign period (expected one of: {expected})",
    },
    "problem.duplicate_secretary_row": {
        "zh": "单位 {unit} 在 {period} 已有书记记录（第{first_row}行）",
        "en": "unit {unit} already has a secretary for {period} (row {first_row})",
    },
    "problem.unknown_indicator": {"zh": "指标“{indicator}”不存在", "en": "unknown indicator '{indicator}'"},
    "problem.not_applicable": {
        "zh": "指标 {indicator} 不适用于单位 {unit} 所在类别 {category}",
        "en": "indicator {indicator} does not apply to unit {unit} (category {category})",
    },
    "problem.duplicate_value": {
        "zh": "单位 {unit} 在 {period} 的指标 {indicator} 重复（首次出现在第{first_row}行）",
        "en": "duplicate value for unit {unit}, {period}, {indicator} (first on row {first_row})",
    },
    "problem.value_thousands": {
        "zh": "“{value}”含千位分隔符，请写成 {suggestion}",
        "en": "'{value}' has a thousands separator; write {suggestion}",
    },
    "problem.value_percent": {
        "zh": "“{value}”带百分号，请只写数值 {suggestion}（单位已由指标规定）",
        "en": "'{value}' has a percent sign; write the number {suggestion} (the indicator sets the unit)",
    },
    "problem.value_fullwidth": {
        "zh": "“{value}”含全角字符，请用半角写成 {suggestion}",
        "en": "'{value}' is written with full-width characters; write {suggestion}",
    },
    "problem.not_a_number": {"zh": "“{value}”不是数值", "en": "'{value}' is not a number"},
    "problem.out_of_points": {
        "zh": "指标 {indicator}（{kind}）的取值 {value} 应在 0 到 {points} 之间",
        "en": "indicator {indicator} ({kind}): value {value} must lie in 0..{points}",
    },
    "problem.veto_value": {
        "zh": "否决项 {indicator} 的取值 {value} 只能是 0 或 1",
        "en": "veto indicator {indicator}: value {value} must be 0 or 1",
    },
    "problem.below_min_value": {
        "zh": "指标 {indicator} 的取值 {value} 低于下限 {bound}",
        "en": "indicator {indicator}: value {value} is below min_value {bound}",
    },
    "problem.above_max_value": {
        "zh": "指标 {indicator} 的取值 {value} 高于上限 {bound}",
        "en": "indicator {indicator}: value {value} is above max_value {bound}",
    },
    "problem.missing_value": {
        "zh": "缺少取值：单位 {unit}，期次 {period}，指标 {indicator}",
        "en": "missing value: unit {unit}, period {period}, indicator {indicator}",
    },
    "problem.yaml_too_large": {
        "zh": "文件过大（{n} 个字符，上限 {limit}）：活动规则通常只有几千字",
        "en": "the file is too large ({n} characters, limit {limit}); a campaign's rules are a few thousand",
    },
    "problem.yaml_too_deep": {
        "zh": "嵌套的 [ 或 {{ 超过 {limit} 层，无法作为活动规则读取",
        "en": "brackets [ or {{ are nested more than {limit} deep; this cannot be a campaign's rules",
    },
    "problem.yaml_aliases": {
        "zh": "别名（*）展开后超过 {limit} 个节点，拒绝读取",
        "en": "the aliases (*) expand to more than {limit} nodes; refused",
    },
    "problem.control_chars": {
        "zh": "含有不可见的控制字符 {char}（如 ESC、NUL、换行或文字方向控制符），请删除后重新导入",
        "en": "holds an invisible control character {char} (such as ESC, NUL, a line break or a "
        "text-direction override); remove it and import again",
    },
    "problem.zip_invalid": {"zh": "不是有效的 zip 文件", "en": "not a valid zip file"},
    "problem.zip_invalid_entry": {
        "zh": "zip 中的 {file} 无法解压：{detail}",
        "en": "{file} in the zip cannot be unpacked: {detail}",
    },
    "problem.zip_entries": {
        "zh": "zip 中有 {n} 个条目，超过上限 {limit} 个",
        "en": "the zip holds {n} entries, more than the limit of {limit}",
    },
    "problem.zip_duplicate": {
        "zh": "zip 中有多个 {file}，请只保留一个",
        "en": "the zip holds {file} more than once; keep one",
    },
    "problem.upload_too_large": {
        "zh": "上传文件过大（上限 {mb} MB）",
        "en": "the upload is too large (limit {mb} MB)",
    },
    "problem.upload_type": {"zh": "只接受 xlsx 或 csv 文件", "en": "only xlsx or csv files are accepted"},
    "problem.forbidden": {
        "zh": "用户 {user}（{role}）无权执行：{action}",
        "en": "user {user} ({role}) may not {action}",
    },
    "problem.forbidden_cell": {
        "zh": "用户 {user} 不负责单位 {unit} 的指标 {indicator}（超出分配的街镇或指标领域）",
        "en": "user {user} is not assigned unit {unit} / indicator {indicator} (outside their towns or indicator areas)",
    },
    "problem.period_incomplete": {
        "zh": "期次 {period} 尚未计分：缺 {n} 个数值（missing: error），补齐后才能提交、审核、公示或定稿",
        "en": "period {period} is not scored: {n} values are missing (missing: error); "
        "enter them before submitting, approving, publishing or finalising",
    },
    "problem.period_not_started": {
        "zh": "期次 {period} 尚无任何数值，未计分，不能提交、审核、公示或定稿",
        "en": "period {period} has no values yet: it is not scored and cannot be submitted, approved, published or finalised",
    },
    "problem.period_approved": {
        "zh": "期次 {period} 已于 {at} 由 {who} 审核锁定，不能修改；如需更正，请管理员为该单位开放例外并说明理由",
        "en": "period {period} was approved by {who} on {at} and is locked; to correct a unit, "
        "an admin grants an exception for it, with a reason",
    },
    "problem.period_published": {
        "zh": "期次 {period} 已于 {at} 由 {who} 公示，异议期至 {until}，不能修改（更正须由管理员为该单位开放例外）",
        "en": "period {period} was published by {who} on {at}; objections until {until}; it cannot be "
        "changed (a correction needs an admin's exception for the unit)",
    },
    "problem.period_final": {
        "zh": "期次 {period} 已于 {at} 由 {who} 定稿，不能修改（更正须由管理员为该单位开放例外）",
        "en": "period {period} was made final by {who} on {at}; it cannot be changed "
        "(a correction needs an admin's exception for the unit)",
    },
    "problem.reason_required": {
        "zh": "期次 {period} 已提交，修改数值须填写理由",
        "en": "period {period} has been submitted: a change needs a reason",
    },
    "problem.master_locked": {
        "zh": "已有期次（{periods}）审核锁定，单位 {unit} 的主数据不能修改（{detail}）；如需更正，请先退回相关期次并说明理由",
        "en": "periods {periods} are locked, so unit {unit}'s master data cannot change ({detail}); "
        "to correct it, reopen the period first, with a reason",
    },
    "problem.rules_locked": {
        "zh": "已有期次（{periods}）审核锁定，规则不能再修改",
        "en": "periods {periods} are locked, so the rules cannot change",
    },
    "problem.bad_transition": {
        "zh": "期次 {period} 当前为“{status}”，不能{action}",
        "en": "period {period} is {status}; it cannot {action}",
    },
    "problem.bad_action": {
        "zh": "未知操作 {action}（可用：{expected}）",
        "en": "unknown action {action} (expected one of: {expected})",
    },
    "problem.reopen_reason": {
        "zh": "退回期次 {period} 必须说明理由",
        "en": "reopening period {period} needs a reason",
    },
    "problem.objection_open": {
        "zh": "期次 {period} 的公示异议期至 {until}，期满前不能定稿",
        "en": "period {period} is open for objections until {until}; it cannot be final before",
    },
    "problem.not_scored_current": {
        "zh": "活动 {id} 的当前数据尚未计分，请先计分再公示",
        "en": "campaign {id}'s current data has not been scored; score it before publishing",
    },
    "problem.stale_edit": {
        "zh": "单位 {unit} 的 {indicator} 已被 {who} 于 {at} 改为 {current}（你载入时为 {old}），请刷新后再修改",
        "en": "{who} changed unit {unit} / {indicator} to {current} at {at} (you loaded {old}); reload before editing",
    },
    "problem.bad_role": {
        "zh": "角色 {role} 无效（应为：{expected}）",
        "en": "unknown role {role} (expected one of: {expected})",
    },
    "problem.db_write_failed": {
        "zh": "数据库写入失败（磁盘可能已满或出错），本次操作没有保存，已有数据不受影响；请清理磁盘后重试。详情：{detail}",
        "en": "the database could not be written (the disk may be full or failing); nothing of this step was kept and the data stand as they were; free disk space and try again. Detail: {detail}",
    },
    "problem.db_read_only": {
        "zh": "数据库文件只读（文件或所在磁盘不允许写入），可以查看、核验和导出，但不能修改；请检查文件权限或磁盘",
        "en": "the database file is read-only (the file or its disk may not be written): reading, verifying and exporting work, changes do not; check the file's permissions or the disk",
    },
    "problem.file_too_many_parts": {
        "zh": "文件内部有 {n} 个部分，超过上限 {limit}，不是一份普通的 Excel 表，未读取",
        "en": "the file holds {n} parts, more than {limit}: not an ordinary workbook; not read",
    },
    "problem.file_expands_too_far": {
        "zh": "文件解压后超过 {mb} MB（Excel 文件是压缩包），未读取；请分成几个文件，或另存为 CSV",
        "en": "the file expands past {mb} MB (a workbook is a zip); not read: split it, or save it as CSV",
    },
    "problem.file_too_many_columns": {
        "zh": "表头超过 {limit} 列，未读取；请检查是否选错了文件",
        "en": "the header has more than {limit} columns; not read: check it is the right file",
    },
    "problem.file_too_many_rows": {
        "zh": "文件超过 {limit} 行，未读取；请分成几个文件上传",
        "en": "the file has more than {limit} rows; not read: upload it in parts",
    },
    "problem.weak_password": {
        "zh": "密码至少 {n} 位，且至少含 {kinds} 个不同的字符",
        "en": "the password needs at least {n} characters, {kinds} of them different",
    },
    "problem.user_exists": {"zh": "用户 {user} 已存在", "en": "user {user} already exists"},
    "problem.unknown_user": {"zh": "用户 {user} 不存在", "en": "no user {user}"},
    "problem.schema_newer": {
        "zh": "数据库由更新版本的 starscore 写入（结构版本 {found}，本程序支持到 {known}），请先升级 starscore；文件未作改动",
        "en": "the database was written by a newer starscore (schema version {found}, this one knows up to "
        "{known}): upgrade starscore first; the file was not changed",
    },
    "problem.db_unreadable": {
        "zh": "无法打开数据库文件（不是 DuckDB 数据库或已损坏）：{detail}",
        "en": "cannot open the database file (not a DuckDB database, or damaged): {detail}",
    },
    "problem.backup_invalid": {
        "zh": "不是有效的 starscore 备份：{detail}",
        "en": "not a valid starscore backup: {detail}",
    },
    "problem.period_needed": {"zh": "请用 --period 指定期次", "en": "name the period with --period"},
    "problem.unknown_payee": {
        "zh": "“{id}”既不是单位也不是获奖书记",
        "en": "'{id}' is neither a unit nor a paid secretary",
    },
    "problem.each_kind": {
        "zh": "指标 {indicator}（{kind}）不能写 each：按次计分只用于加分项（bonus）和扣分项（penalty）",
        "en": "indicator {indicator} ({kind}) cannot have each: counts are for bonus and penalty items only",
    },
    "problem.each_positive": {
        "zh": "指标 {indicator} 的 each（每次的分值）应大于 0，现为 {value}",
        "en": "indicator {indicator}: each (points per occurrence) must be above 0, not {value}",
    },
    "problem.na_kind": {
        "zh": "指标 {indicator}（{kind}）不能写 not_applicable：只有基础指标（score、linear、tiers、relative、rank_points）可以“不涉及”",
        "en": "indicator {indicator} ({kind}) cannot have not_applicable: only base items (score, linear, tiers, relative, rank_points) may not apply",
    },
    "problem.na_surveyed": {
        "zh": "指标 {indicator} 由满意度调查得出，不能写 not_applicable",
        "en": "indicator {indicator} is supplied by a survey and cannot have not_applicable",
    },
    "problem.na_not_allowed": {
        "zh": "指标 {indicator} 不允许填“不涉及”（规则未写 not_applicable: allowed），请填数值",
        "en": "indicator {indicator} does not allow 不涉及 (its rule has no not_applicable: allowed); enter a number",
    },
    "problem.count_negative": {
        "zh": "指标 {indicator} 按次计分，取值 {value} 是次数，不能为负",
        "en": "indicator {indicator} is counted per occurrence: {value} is a count and cannot be negative",
    },
    "problem.baseline_unknown_unit": {
        "zh": "单位 {unit} 不在 units.csv 中（上年结果只能对应本年参评单位）",
        "en": "unit {unit} is not in units.csv (last year's results must name this year's units)",
    },
    "problem.baseline_duplicate": {
        "zh": "单位 {unit} 的上年结果重复（第一次在第 {first_row} 行）",
        "en": "unit {unit} has a second row of last year's results (first at row {first_row})",
    },
    "problem.baseline_score": {
        "zh": "上年年度得分“{value}”不是数字（可留空）",
        "en": "last year's annual score '{value}' is not a number (it may be left empty)",
    },
    "problem.baseline_rank": {
        "zh": "上年年度排名“{value}”应为正整数（可留空）",
        "en": "last year's annual rank '{value}' must be a whole number above 0 (it may be left empty)",
    },
    "problem.baseline_campaign_same": {
        "zh": "不能用活动 {id} 自己的结果作为它的上年结果",
        "en": "campaign {id} cannot take its own results as last year's",
    },
    "problem.baseline_no_year": {
        "zh": "活动 {id} 尚无完整年度结果（四个期次都计分后才有年度得分和排名），不能作为上年结果",
        "en": "campaign {id} has no complete year yet (annual scores and ranks exist once every period is scored)",
    },
    "problem.baseline_none_matched": {
        "zh": "活动 {old} 的单位没有一个能按编号或名称对应到活动 {new} 的单位，未写入上年结果",
        "en": "no unit of campaign {old} matches a unit of campaign {new} by id or name; nothing was written",
    },
    "problem.nothing_published": {
        "zh": "活动 {id} 尚无公示结果（请先在审核流程中公示）",
        "en": "campaign {id} has nothing published yet (publish a period first)",
    },
    "problem.no_browser": {
        "zh": "生成 PDF 需要 Chromium 浏览器：请安装 chromium（如 apt-get install chromium fonts-wqy-microhei）",
        "en": "making the PDF needs Chromium: install chromium (e.g. apt-get install chromium fonts-wqy-microhei)",
    },
    "problem.pdf_failed": {"zh": "生成 PDF 失败：{detail}", "en": "printing the PDF failed: {detail}"},
    "problem.unknown_campaign": {"zh": "数据库中没有活动“{id}”", "en": "no campaign '{id}' in the database"},
    "problem.no_run": {
        "zh": "活动“{id}”尚未计分，请先运行 starscore score",
        "en": "campaign '{id}' has not been scored; run starscore score first",
    },
    "problem.too_many_draws": {
        "zh": "{draws} 次抽样超出本活动规模允许的上限（{most} 次）：请减少抽样次数",
        "en": "{draws} draws is more than this campaign's size allows ({most}): use fewer draws",
    },
    "problem.run_stale": {
        "zh": "运行 {run} 之后数据或规则已有改动，请先重新计分（starscore score）",
        "en": "the data or rules changed after run {run}; score again first (starscore score)",
    },
    "problem.db_busy": {
        "zh": "数据库文件正被其他程序写入：{detail}",
        "en": "the database file is held by another writer: {detail}",
    },
}
