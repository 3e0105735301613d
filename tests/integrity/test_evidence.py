"""A unit's proof (佐证材料): its kind told by its content, its size bounded, kept once by its
SHA-256 inside the database, every add and remove audited, a locked period's proof fixed,
another town's unit refused, carried by backup and restore, rehashed by verify, and archived
per unit byte for byte."""

from __future__ import annotations

import hashlib
import io
import zipfile

import polars as pl
import pytest

from scoring.accounts.access import User
from scoring.app.evidence import (
    add_evidence,
    add_evidence_files,
    evidence_file,
    export_evidence,
    list_evidence,
    remove_evidence,
)
from scoring.audit.verify import verify
from scoring.core.errors import CampaignError
from scoring.ingest import evidence_file as file_rules
from scoring.ingest.evidence_file import file_name, kind_of
from scoring.store.backup import backup, restore
from scoring.store.campaign import open_campaign
from scoring.store.db import connect
from scoring.workflow.locks import grant_exception
from scoring.workflow.periods import move
from tests.helpers import actor, run_cli

CID = "jiujiang-2023"
ADMIN = User("张主任", "admin")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\n1 0 obj <<>> endobj\n%%EOF\n"


def office(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buffer.getvalue()


DOCX = office({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def codes(info: pytest.ExceptionInfo[CampaignError]) -> list[str]:
    return [p.code for p in info.value.problems]


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"MZ\x90\x00" + b"\x00" * 64, "会议纪要.pdf", "evidence_kind"),  # an executable renamed
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "照片.png",
            "evidence_kind",
        ),
        (b"<!DOCTYPE html><html><script>x()</script></html>", "证书.jpg", "evidence_kind"),
        (
            office(
                {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>", "xl/vbaProject.bin": b"x"}
            ),
            "台账.xlsx",
            "evidence_macro",
        ),
        (
            office({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\x00" * 20_000_000}),
            "a.docx",
            "evidence_bomb",
        ),
        (office({"[Content_Types].xml": b"<T/>", "../../etc/passwd": b"x"}), "a.docx", "evidence_kind"),
        (b"", "空.pdf", "evidence_empty"),
    ],
)
def test_a_file_is_told_by_its_content_and_refused_when_it_is_not_proof(data, name, code):
    with pytest.raises(CampaignError) as info:
        kind_of(data, name)
    assert codes(info) == [code]


def test_proof_kinds_and_names():
    assert [kind_of(d, "x") for d in (PNG, PDF, DOCX, b"\xff\xd8\xff\xe0" + b"\x00" * 10)] == [
        "png",
        "pdf",
        "docx",
        "jpg",
    ]
    assert file_name("../../etc/passwd") == "passwd"
    assert file_name("C:\\照片\\党群服务中心.jpg") == "党群服务中心.jpg"
    assert file_name(".hidden\x00.pdf") == "hidden.pdf"


def test_proof_is_kept_once_listed_audited_removed_with_a_reason_and_archived(demo_copy, tmp_path):
    con = connect(demo_copy)
    campaign = open_campaign(con, CID)
    first = add_evidence(campaign, "JJ001", "2023Q1", "honours", "市级表彰.pdf", PDF, ADMIN, "市级文明社区")
    again = add_evidence(campaign, "JJ002", "2023Q1", "honours", "同一份.pdf", PDF, ADMIN)
    photo = add_evidence(campaign, "JJ001", "2023Q1", "party_building", "/tmp/党群中心.png", PNG, ADMIN)
    assert con.execute("SELECT count(*) FROM evidence_blobs").fetchall() == [(2,)]  # the PDF once
    rows = list_evidence(con, CID, "JJ001")
    assert rows.select("evidence_no", "name", "kind", "sha256").rows() == [
        (first, "市级表彰.pdf", "pdf", hashlib.sha256(PDF).hexdigest()),
        (photo, "党群中心.png", "png", hashlib.sha256(PNG).hexdigest()),
    ]
    with pytest.raises(CampaignError) as info:
        remove_evidence(con, CID, photo, "  ", ADMIN)
    assert codes(info) == ["evidence_reason"]
    remove_evidence(con, CID, photo, "传错了照片", ADMIN)
    audit = con.execute(
        "SELECT action, unit_id, source FROM audit_log WHERE action LIKE 'evidence%' ORDER BY seq"
    ).fetchall()
    assert [(a, u) for a, u, _ in audit] == [
        ("evidence_add", "JJ001"),
        ("evidence_add", "JJ002"),
        ("evidence_add", "JJ001"),
        ("evidence_remove", "JJ001"),
    ]
    assert hashlib.sha256(PDF).hexdigest() in audit[0][2]
    written = export_evidence(con, CID, "2023Q1", tmp_path / "台账")
    assert written == 2 and again  # the removed photo is left out
    index = pl.read_csv(tmp_path / "台账" / "JJ001" / "index.csv", infer_schema=False)
    for r in index.iter_rows(named=True):  # byte for byte: the index's hashes are the files'
        data = (tmp_path / "台账" / "JJ001" / r["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == r["sha256"] and data == PDF
    con.close()


def test_a_locked_period_takes_proof_only_through_an_exception_and_never_loses_any(demo_copy):
    con = connect(demo_copy)
    campaign = open_campaign(con, CID)
    no = add_evidence(campaign, "JJ001", "2023Q1", "honours", "表彰.pdf", PDF, ADMIN)
    for step in ("submit", "approve"):
        move(open_campaign(con, CID), "2023Q1", step, actor(step))
    with pytest.raises(CampaignError) as info:
        remove_evidence(con, CID, no, "不要了", ADMIN)
    assert codes(info) == ["evidence_locked_remove"]
    with pytest.raises(CampaignError) as info:
        add_evidence(campaign, "JJ001", "2023Q1", "honours", "补充.png", PNG, ADMIN)
    assert codes(info) == ["evidence_locked"]
    grant_exception(open_campaign(con, CID), "2023Q1", ADMIN, "补交证书", unit_id="JJ001")
    add_evidence(campaign, "JJ001", "2023Q1", "honours", "补充.png", PNG, ADMIN)
    assert list_evidence(con, CID, "JJ001")["removed_at"].null_count() == 2
    con.close()


def test_another_town_s_unit_is_refused_and_a_unit_s_files_are_bounded(demo_copy, monkeypatch):
    con = connect(demo_copy)
    campaign = open_campaign(con, CID)
    town = con.execute("SELECT town FROM units WHERE unit_id = 'JJ001'").fetchall()[0][0]
    other = User("沈巷评分员", "evaluator", towns=("沈巷镇",) if town != "沈巷镇" else ("湾里街道",))
    with pytest.raises(CampaignError) as info:
        add_evidence(campaign, "JJ001", "2023Q1", "honours", "a.pdf", PDF, other)
    assert codes(info) == ["evidence_forbidden"]
    monkeypatch.setattr("scoring.app.evidence.MAX_UNIT_PERIOD", len(PDF) + len(PNG))
    add_evidence(campaign, "JJ001", "2023Q1", "honours", "a.pdf", PDF, ADMIN)
    add_evidence(campaign, "JJ001", "2023Q1", "honours", "b.png", PNG, ADMIN)
    with pytest.raises(CampaignError) as info:
        add_evidence(campaign, "JJ001", "2023Q1", "honours", "c.png", PNG, ADMIN)
    assert codes(info) == ["evidence_unit_full"]
    assert file_rules.MAX_FILE == 10 * 1024 * 1024
    con.close()


def test_backup_and_restore_carry_the_files_and_verify_finds_one_changed_or_gone(demo_copy, tmp_path):
    con = connect(demo_copy)
    add_evidence(open_campaign(con, CID), "JJ001", "2023Q1", "honours", "表彰.pdf", PDF, ADMIN)
    con.close()
    backup(demo_copy, tmp_path / "bk.duckdb")
    restore(tmp_path / "bk.duckdb", demo_copy)
    con = connect(demo_copy)
    assert [c.scope for c in verify(con, CID) if not c.ok] == []
    export_evidence(con, CID, "2023Q1", tmp_path / "out")
    assert (
        tmp_path / "out" / "JJ001" / f"{list_evidence(con, CID)['evidence_no'][0]}-表彰.pdf"
    ).read_bytes() == PDF
    con.execute("UPDATE evidence_blobs SET data = ?", [PDF + b"x"])  # changed around the product
    assert {c.scope: c.differences for c in verify(con, CID) if not c.ok} == {"evidence": 1}
    con.execute("DELETE FROM evidence_blobs")
    assert {c.scope: c.differences for c in verify(con, CID) if not c.ok} == {"evidence": 1}
    con.close()


def test_the_command_line_adds_lists_removes_and_exports(demo_copy, tmp_path, capsys):
    (tmp_path / "证书.pdf").write_bytes(PDF)
    (tmp_path / "改名的程序.pdf").write_bytes(b"MZ" + b"\x00" * 100)
    base = ["evidence", "--db", str(demo_copy), "--campaign", CID]
    rc, out, _ = run_cli(capsys, "evidence", "add", str(tmp_path / "证书.pdf"), *base[1:], "--unit", "JJ001",
                         "--period", "2023Q1", "--indicator", "honours", "--note", "区级表彰")  # fmt: skip
    assert rc == 0 and hashlib.sha256(PDF).hexdigest() in out
    rc, _, err = run_cli(capsys, "evidence", "add", *base[1:], "--unit", "JJ001", "--period", "2023Q1",
                         "--indicator", "honours", "--file", str(tmp_path / "改名的程序.pdf"))  # fmt: skip
    assert rc != 0 and "按文件内容判断" in err
    rc, out, _ = run_cli(capsys, *base[:1], "list", *base[1:])
    assert rc == 0 and "证书.pdf" in out and hashlib.sha256(PDF).hexdigest() in out
    rc, out, _ = run_cli(
        capsys, *base[:1], "export", *base[1:], "--period", "2023Q1", "--out", str(tmp_path / "t")
    )
    assert rc == 0 and (tmp_path / "t" / "JJ001" / "index.csv").is_file()
    rc, out, _ = run_cli(capsys, *base[:1], "remove", *base[1:], "--no", "1", "--reason", "重复上传")
    assert rc == 0


def test_a_kept_file_is_served_only_inside_the_unit_s_scope(demo_copy):
    con = connect(demo_copy)
    no = add_evidence(open_campaign(con, CID), "JJ001", "2023Q1", "honours", "表彰.pdf", PDF, ADMIN)
    town = con.execute("SELECT town FROM units WHERE unit_id = 'JJ001'").fetchall()[0][0]
    assert evidence_file(con, CID, no, User("赵领导", "leader"))[2] == PDF
    assert evidence_file(con, CID, no, User("本镇评分员", "evaluator", towns=(town,)))[0] == "表彰.pdf"
    for outsider in (User("钱会计", "finance"), User("外镇评分员", "evaluator", towns=("不存在镇",))):
        with pytest.raises(CampaignError):
            evidence_file(con, CID, no, outsider)
    con.close()


def test_several_files_are_kept_all_or_none(demo_copy):
    con = connect(demo_copy)
    campaign = open_campaign(con, CID)
    files = [("照片.png", PNG), ("纪要.pdf", PDF), ("改名的程序.pdf", b"MZ" + b"\x00" * 64)]
    with pytest.raises(CampaignError) as info:
        add_evidence_files(campaign, "JJ001", "2023Q1", "honours", files, ADMIN)
    assert codes(info) == ["evidence_kind"] and list_evidence(con, CID).height == 0
    assert len(add_evidence_files(campaign, "JJ001", "2023Q1", "honours", files[:2], ADMIN)) == 2
    con.close()
