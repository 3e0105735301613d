"""The labels of the sources page (departments' own files, 一套表), Chinese (default) and English."""

from __future__ import annotations

SOURCE_LABELS: dict[str, dict[str, str]] = {
    "nav.sources": {"zh": "部门报送", "en": "Departments' files"},
    "so.title": {"zh": "部门报送（一套表）", "en": "Departments' files (one form for all)"},
    "so.none": {
        "zh": "本活动未声明数据来源。在 campaign.yaml 的 sources 中写明各部门报表的格式后，部门可在此上传原表。",
        "en": "This campaign declares no sources. Declare the departments' files under sources in campaign.yaml and departments can upload them here.",
    },
    "so.status": {"zh": "各部门报送情况", "en": "What each department has delivered"},
    "so.status_help": {
        "zh": "按期次：已报送、逾期报送、部分月份、逾期未报（已过填报截止）、待报送；“已有数值”为该来源所供指标中已有数值的格数。",
        "en": "Per period: delivered, delivered late, some months, overdue (past the entry deadline), not yet due; 'filled' counts the cells of the source's indicators that have a value.",
    },
    "so.counts": {
        "zh": "已报送 {done} 项，部分月份 {partial} 项，逾期未报 {overdue} 项，待报送 {due} 项",
        "en": "{done} delivered, {partial} with some months, {overdue} overdue, {due} not yet due",
    },
    "so.missing": {"zh": "尚缺哪些数值", "en": "What is still missing"},
    "so.missing_of": {"zh": "数据来源与期次", "en": "Source and period"},
    "so.deliver": {"zh": "上传部门原表", "en": "Upload a department's file"},
    "so.none_yours": {
        "zh": "您所在部门没有本活动的数据来源。",
        "en": "Your departments own no source of this campaign.",
    },
    "so.source": {"zh": "数据来源", "en": "Source"},
    "so.mapping": {"zh": "该来源的列与指标", "en": "The source's columns and indicators"},
    "so.survey_help": {
        "zh": "问卷导出：每份答卷一行，每列一道题；答案按 {words} 计分，也可直接是分数。本文件中某单位本期的答卷将替换该单位本期已有的答卷。",
        "en": "A survey export: an answer sheet a row, an item a column; answers score as {words}, or are "
        "scores themselves. A unit's sheets for the period in this file replace the ones it has.",
    },
    "so.period": {"zh": "本文件所属期次", "en": "The file's period"},
    "so.month": {"zh": "本文件所属月份", "en": "The file's month"},
    "so.upload": {
        "zh": "选择文件（Excel 或 CSV，按部门原格式）",
        "en": "File (Excel or CSV, as the department exports it)",
    },
    "so.reading": {"zh": "正在读取并逐行核对……", "en": "Reading and checking row by row…"},
    "so.dry_run": {
        "zh": "以下为试导入结果，尚未写入。核对无误后点击“确认写入”。",
        "en": "This is a dry run; nothing is written yet. Check it, then press Write.",
    },
    "so.refused": {
        "zh": "有 {n} 行被拒收，整份文件不能写入。请按“说明”列改正后重新上传。",
        "en": "{n} rows are rejected, so the file cannot be written. Correct them as the Detail column says and upload again.",
    },
    "so.reason": {"zh": "修改理由（期次已提交时必填）", "en": "Reason (needed once the period is submitted)"},
    "so.confirm": {"zh": "确认写入", "en": "Write"},
    "so.writing": {"zh": "正在写入并重新计分……", "en": "Writing and re-scoring…"},
    "so.done": {
        "zh": "已写入 {file}：{periods}，改动 {n} 项数值。",
        "en": "Wrote {file}: {periods}, {n} values changed.",
    },
    "so.nothing": {
        "zh": "已记录本次报送；没有期次的数值需要改动（数值相同，或尚缺月份）。",
        "en": "The delivery is recorded; no period's value changes (the same values, or months still missing).",
    },
    "so.outliers": {
        "zh": "以下数值与同类单位或往期差异较大，请填写核实说明后确认写入。",
        "en": "These values are far from their peers or their history: add a note confirming them, then write.",
    },
    "so.confirm_note": {"zh": "核实说明", "en": "Confirming note"},
    "so.confirm_outliers": {"zh": "已核实，确认写入", "en": "Checked: write"},
    "col.factor": {"zh": "换算系数", "en": "Factor"},
    "col.how": {"zh": "月度汇总方式", "en": "Months gathered by"},
    "so.how.sum": {"zh": "求和", "en": "sum"},
    "so.how.mean": {"zh": "平均", "en": "mean"},
    "so.how.last": {"zh": "取季末月", "en": "last month"},
    "us.departments": {
        "zh": "所属部门（评分员，只能报送本部门的数据来源；留空为不限）",
        "en": "Departments (evaluators: only their sources; empty = none)",
    },
}
