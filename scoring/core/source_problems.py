"""The problems of departments' sources (campaign.yaml ``sources``, their files and their
deliveries), as catalogue entries (zh default, en); merged by ``scoring.core.i18n``."""

from __future__ import annotations

SOURCE_PROBLEMS: dict[str, dict[str, str]] = {
    "problem.source_twice": {
        "zh": "数据来源编号 {source} 重复，每个来源的编号须唯一",
        "en": "source id {source} is used twice; each source needs its own id",
    },
    "problem.source_long_columns": {
        "zh": "数据来源 {source} 为长表（long），须写明 indicator_column（指标列）和 value_column（数值列）",
        "en": "source {source} is long: name its indicator_column and value_column",
    },
    "problem.source_indicator": {
        "zh": "数据来源 {source} 对应的指标 {indicator} 不存在",
        "en": "source {source}: indicator {indicator} is not an indicator of the campaign",
    },
    "problem.source_surveyed": {
        "zh": "数据来源 {source}：指标 {indicator} 已由满意度调查得出，不能再由部门报送",
        "en": "source {source}: indicator {indicator} comes from a residents' survey, not from a department",
    },
    "problem.source_not_surveyed": {
        "zh": "数据来源 {source} 是问卷导出（shape: survey），其列须是有满意度调查（surveys）的指标的题目；指标 {indicator} 没有",
        "en": "source {source} is a survey export (shape: survey): its columns must be items of an "
        "indicator a survey supplies (surveys); {indicator} has none",
    },
    "problem.source_survey_months": {
        "zh": "数据来源 {source} 是问卷导出：答卷按期次汇总，不按月份（去掉 months）",
        "en": "source {source} is a survey export: answer sheets count per period, not by month (drop months)",
    },
    "problem.source_answer_scale": {
        "zh": "数据来源 {source}：答案“{word}”记 {value} 分，不在调查的分值范围 {low}–{high} 内",
        "en": "source {source}: the answer '{word}' scores {value}, outside the survey's scale {low}–{high}",
    },
    "problem.source_answer_word": {
        "zh": "答案“{value}”既不是数字，也不在该来源的 answers 中（已有：{known}）",
        "en": "the answer '{value}' is neither a number nor one of the source's answers ({known})",
    },
    "problem.source_respondent_twice": {
        "zh": "答卷“{respondent}”（单位 {unit}，{period}）在第 {first} 行已出现过",
        "en": "answer sheet '{respondent}' (unit {unit}, {period}) already appears in row {first}",
    },
    "problem.source_indicator_twice": {
        "zh": "数据来源 {source} 两次对应指标 {indicator}，只能保留一列",
        "en": "source {source} maps indicator {indicator} twice; keep one column",
    },
    "problem.source_column_twice": {
        "zh": "数据来源 {source} 的列“{column}”写了两次",
        "en": "source {source}: column '{column}' is given twice",
    },
    "problem.source_factor": {
        "zh": "数据来源 {source}：换算系数 factor 应为正数（现为 {value}）",
        "en": "source {source}: factor must be positive (it is {value})",
    },
    "problem.source_months_period": {
        "zh": "数据来源 {source}：period_months 中的期次 {period} 不是本活动的期次",
        "en": "source {source}: period_months names {period}, which is not a period of the campaign",
    },
    "problem.source_months_unknown": {
        "zh": "数据来源 {source} 按月报送，但无法从期次“{period}”得知其包含哪些月份，请在 period_months 中写明（如 {period}: [2023-01, 2023-02, 2023-03]）",
        "en": "source {source} is monthly, but period '{period}' does not say its months; list them in period_months (e.g. {period}: [2023-01, 2023-02, 2023-03])",
    },
    "problem.source_month_twice": {
        "zh": "数据来源 {source}：月份 {month} 同时属于 {first} 和 {period}",
        "en": "source {source}: month {month} belongs to both {first} and {period}",
    },
    "problem.source_no_header": {
        "zh": "找不到表头：前 40 行中没有哪一行含有单位列“{column}”",
        "en": "no header found: none of the first 40 rows has the unit column '{column}'",
    },
    "problem.source_alias_unknown": {
        "zh": "别名“{alias}”指向的单位“{unit}”不存在（应为单位编号或唯一的单位名称）",
        "en": "alias '{alias}' points to '{unit}', which is neither a unit id nor a unique unit name",
    },
    "problem.source_period_needed": {
        "zh": "数据来源 {source} 的文件中没有期次列，请选择本次报送的期次（按月报送的选择月份）",
        "en": "source {source}'s file has no period column: choose the upload's period (its month, for monthly rows)",
    },
    "problem.source_period_unknown": {
        "zh": "期次“{value}”不是本活动的期次（{periods}）",
        "en": "'{value}' is not a period of the campaign ({periods})",
    },
    "problem.source_month_unknown": {
        "zh": "“{value}”不是本活动期间内的月份（期次：{periods}）；月份可写作 2023-01、2023年1月 或 202301",
        "en": "'{value}' is not a month of the campaign's periods ({periods}); write a month as 2023-01, 2023年1月 or 202301",
    },
    "problem.source_column_missing": {
        "zh": "文件中没有列“{column}”（找到的列：{found}）",
        "en": "the file has no column '{column}' (columns found: {found})",
    },
    "problem.source_month_columns": {
        "zh": "来源 {source} 按月分列（列名含 {{month}}）：须为宽表、不设 period_column，且每一列都按月分列",
        "en": "source {source} has its months across columns ({{month}} in a header): it must be wide, "
        "have no period_column, and every column must be a month's",
    },
    "problem.upload_old_excel": {
        "zh": "这是旧版 Excel 文件（.xls）：请在 Excel 或 WPS 中“另存为” .xlsx 后再上传（旧格式中的百分比单元格无法按显示读取）",
        "en": "this is an old Excel file (.xls): save it as .xlsx in Excel or WPS and upload that "
        "(the old format does not let percent cells be read as shown)",
    },
    "problem.source_unit_empty": {
        "zh": "单位名称为空，但该行填有数值",
        "en": "the unit cell is empty while the row has values",
    },
    "problem.source_unit_ambiguous": {
        "zh": "单位“{unit}”有重名（{ids}），请在该来源的 aliases 中写明对应哪个单位编号",
        "en": "unit '{unit}' matches several units ({ids}); add an alias naming its unit id",
    },
    "problem.source_unit_unknown": {
        "zh": "单位“{unit}”不在本活动的单位名单中（可在该来源的 aliases 中为其添加别名）",
        "en": "unit '{unit}' is not a unit of the campaign (an alias for it can be added to the source)",
    },
    "problem.source_label_unknown": {
        "zh": "指标“{value}”不在该来源的对应关系中（已对应：{known}）",
        "en": "indicator '{value}' is not mapped by the source (mapped: {known})",
    },
    "problem.source_twice_in_file": {
        "zh": "单位“{unit}”的这项数值在第 {first} 行已经出现过",
        "en": "unit '{unit}' already has this value on row {first}",
    },
    "problem.source_unknown": {
        "zh": "活动中没有编号为 {source} 的数据来源（已有：{known}）",
        "en": "the campaign has no source {source} (sources: {known})",
    },
    "problem.source_forbidden": {
        "zh": "用户 {user} 负责的部门（{departments}）不报送数据来源“{source}”（由{department}报送）",
        "en": "user {user}'s departments ({departments}) do not deliver source '{source}' ({department} does)",
    },
    "problem.source_rejected": {
        "zh": "试导入发现 {n} 行有问题，未写入任何数据；请改正后重新上传",
        "en": "the dry run found {n} rows with problems; nothing was written: correct them and upload again",
    },
    "problem.unknown_scope_department": {
        "zh": "部门“{value}”不报送任何数据来源（已有部门：{expected}）",
        "en": "department '{value}' delivers no source (departments: {expected})",
    },
    "problem.forbidden_indicator": {
        "zh": "用户 {user} 只能录入其部门报送的指标，不能录入指标 {indicator}",
        "en": "user {user} may enter only their departments' indicators, not {indicator}",
    },
    # the words of a delivery and of the sources' status
    "src.summary": {
        "zh": "共 {rows} 行：新增 {add} 项，修改 {change} 项，不变 {same} 项，待其余月份 {pending} 项，跳过 {skipped} 行，拒收 {rejected} 行",
        "en": "{rows} rows: {add} to add, {change} to change, {same} unchanged, {pending} waiting for other months, {skipped} rows passed over, {rejected} rows rejected",
    },
    "src.outcome.add": {"zh": "新增", "en": "add"},
    "src.outcome.change": {"zh": "修改", "en": "change"},
    "src.outcome.same": {"zh": "不变", "en": "unchanged"},
    "src.outcome.pending": {"zh": "待其余月份", "en": "waiting for months"},
    "src.outcome.skipped": {"zh": "跳过", "en": "passed over"},
    "src.outcome.rejected": {"zh": "拒收", "en": "rejected"},
    "src.state.delivered": {"zh": "已报送", "en": "delivered"},
    "src.state.late": {"zh": "逾期报送", "en": "delivered late"},
    "src.state.partial": {"zh": "部分月份", "en": "some months"},
    "src.state.overdue": {"zh": "逾期未报", "en": "overdue"},
    "src.state.due": {"zh": "待报送", "en": "not yet due"},
    "src.pending": {"zh": "尚缺 {months}", "en": "still missing {months}"},
    "src.skipped_total": {"zh": "合计行", "en": "a total row"},
    "src.skipped_blank": {
        "zh": "本行没有数值（如表尾的填表人、注释行）",
        "en": "no figure in this row (a note or signature line, say)",
    },
    "src.skipped_unit": {
        "zh": "不在本活动的单位（按来源设置跳过）",
        "en": "not a unit of the campaign (the source skips these)",
    },
    "src.skipped_indicator": {
        "zh": "不是本来源对应的指标（按来源设置跳过）",
        "en": "not an indicator of the source (the source skips these)",
    },
    "src.note": {"zh": "{source}：{file}", "en": "{source}: {file}"},
    "src.respondents": {"zh": "调查 {n} 人", "en": "{n} respondents"},
    "src.sheet_counted": {"zh": "有效", "en": "counted"},
    "src.sheet_excluded": {"zh": "无效（保留不计）", "en": "excluded (kept, not counted)"},
    "src.respondents_few": {
        "zh": "调查 {n} 人，不足 {need} 人：本期该项无数值",
        "en": "{n} respondents, fewer than {need}: no value this period",
    },
    "src.demo_delivered": {
        "zh": "{department}已报送“{source}”：{file}",
        "en": "{department} delivered '{source}': {file}",
    },
    "src.written": {
        "zh": "已写入来源“{source}”的 {file}：{periods}，改动 {n} 项数值；计分运行 {run}",
        "en": "delivered {file} for source '{source}': {periods}, {n} values changed; run {run}",
    },
    "cli.source_args": {
        "zh": "导入部门报表需写明 --source（来源编号）和 --file（文件）",
        "en": "importing a department's file needs --source (the source's id) and --file",
    },
    "src.dry_run": {
        "zh": "以上为试导入，未写入任何数据；确认无误后加 --yes 再次执行",
        "en": "this was a dry run; nothing was written. Run again with --yes to write it",
    },
    "src.refused": {
        "zh": "有 {n} 行被拒收，整份文件未写入；请改正后重新导入",
        "en": "{n} rows were rejected, so nothing of the file was written; correct them and import again",
    },
}
