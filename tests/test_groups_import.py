"""Roster export and import with openpyxl: exports read back, the template, the preview,
every row error (a Chinese message naming the row and column), and the all-or-nothing
save."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from groups import imports, services
from groups.models import BranchCommissioner, GroupMembership, OfficeMember
from portal.models import ParkedImport, Role, Unit
from portal.spreadsheets import SheetRow, parse_date
from portal.uploads import OLE2_SIGNATURE
from tests.conftest import client_for, make_user
from tests.groups_helpers import (
    TERM_START,
    department,
    fingerprint,
    make_group,
    person,
    read_xlsx,
    roster_file,
)

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
HEADER = ["类别", "单位", "姓名", "职务", "开始日期", "结束日期", "备注"]


@pytest.fixture
def june():
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=SHANGHAI), tick=False):
        yield


@pytest.fixture
def roster(org, june):
    """A term with a leader, a publicity head replaced mid-term, a director and a
    commissioner of branch A."""
    make_group(org)
    publicity = department("党委宣传部", "宣传部")
    services.group_membership_start(
        by=org.office,
        person=person(org.ufw_dept, "韦国平"),
        role="leader",
        unit=org.ufw_dept,
        post="党委书记",
        start_date=TERM_START,
    )
    services.group_membership_start(
        by=org.office,
        person=person(publicity, "李明辉"),
        role="member",
        unit=publicity,
        post="宣传部部长",
        start_date=TERM_START,
        end_date=dt.date(2025, 6, 30),
    )
    services.group_membership_start(
        by=org.office,
        person=person(publicity, "罗海燕"),
        role="member",
        unit=publicity,
        post="宣传部部长",
        start_date=dt.date(2025, 7, 1),
    )
    services.office_member_start(
        by=org.office,
        person=person(org.ufw_dept, "蒙春梅"),
        role=OfficeMember.Role.DIRECTOR,
        unit=org.ufw_dept,
        post="统战部部长",
        start_date=TERM_START,
    )
    services.branch_commissioner_appoint(
        by=org.office,
        branch=org.branch_a,
        person=person(org.branch_a, "黄丽娟"),
        start_date=TERM_START,
    )
    return publicity


def upload(client, file: SimpleUploadedFile):
    return client.post("/groups/import/", {"file": file})


def confirm(client, response):
    return client.post(f"/groups/import/{response.context['token']}/confirm/")


# Export ----------------------------------------------------------------------------------------


def test_it_exports_the_group_of_a_day_and_reads_back(org, roster):
    response = client_for(org.member).get("/groups/roster.xlsx?on=2025-06-30")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment;" in response["Content-Disposition"]
    rows = read_xlsx(response.content)
    assert rows[0] == HEADER
    assert rows[1:] == [
        ["组长", "党委统战部", "韦国平", "党委书记", dt.date(2024, 3, 1), None, None],
        [
            "成员",
            "党委宣传部",
            "李明辉",
            "宣传部部长",
            dt.date(2024, 3, 1),
            dt.date(2025, 6, 30),
            None,
        ],
        ["办公室主任", "党委统战部", "蒙春梅", "统战部部长", dt.date(2024, 3, 1), None, None],
        [
            "统战委员",
            "机电工程学院党总支",
            "黄丽娟",
            "统战委员",
            dt.date(2024, 3, 1),
            None,
            None,
        ],
    ]
    today = read_xlsx(client_for(org.member).get("/groups/roster.xlsx").content)
    assert [row[2] for row in today[1:]] == ["韦国平", "罗海燕", "蒙春梅", "黄丽娟"]
    notes = load_workbook(io.BytesIO(response.content))["说明"]
    assert notes["B1"].value == "2025-06-30"


def test_it_offers_a_template_with_the_columns_and_a_category_list(org):
    response = client_for(org.office).get("/groups/import/template.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADER
    assert sheet.max_row == 1
    validation = sheet.data_validations.dataValidation[0]
    assert validation.formula1 == '"组长,副组长,成员,办公室主任,办公室成员,统战委员"'
    assert "A2" in validation.sqref
    assert "导入规则" in [row[0] for row in workbook["说明"].iter_rows(values_only=True)]


def test_it_changes_nothing_when_an_export_is_imported_back(org, roster):
    client = client_for(org.office)
    exported = client.get("/groups/roster.xlsx").content
    before = fingerprint()
    response = upload(client, SimpleUploadedFile("名册.xlsx", exported))
    result = response.context["result"]
    assert result.ok
    assert [change.action for change in result.changes] == ["same"] * 4
    confirm(client, response)
    assert fingerprint() == before


# Preview, then confirm ----------------------------------------------------------------------------


def test_it_previews_then_saves_on_confirmation(org, roster, django_capture_on_commit_callbacks):
    client = client_for(org.office)
    user = make_user("xinweiyuan", org.branch_b, None)
    file = roster_file(
        [
            ["统战委员", "经济管理学院党总支", user.person.name, "", "2026-06-01", "", ""],
            ["成员", "宣传部", "罗海燕", "宣传部部长", "2025-07-01", "2026-05-31", "调任"],
            ["组长", "党委统战部", "韦国平", "党委书记", "2024-03-01", "", ""],
        ]
    )
    before = fingerprint()
    response = upload(client, file)
    assert fingerprint() == before  # the preview saves nothing
    html = response.content.decode()
    assert "导入预览：名册.xlsx" in html
    assert "确认导入" in html
    assert [(c.line, c.action) for c in response.context["result"].changes] == [
        (2, "add"),
        (3, "end"),
        (4, "same"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        done = confirm(client, response)
    assert done.status_code == 302
    assert done.url == "/groups/"
    follow = client.get(done.url)
    assert "已导入“名册.xlsx”：新增 1 项任职，结束 1 项，1 项不变。" in follow.content.decode()
    assert BranchCommissioner.objects.get(branch=org.branch_b).person == user.person
    assert GroupMembership.objects.get(person__name="罗海燕").end_date == dt.date(2026, 5, 31)
    # The new commissioner's login follows the seat.
    assert list(user.groups.values_list("name", flat=True)) == [Role.COMMISSIONER]


def test_it_confirms_once(org, roster):
    client = client_for(org.office)
    response = upload(
        client, roster_file([["成员", "党委统战部", "蒙春梅", "统战部部长", "2026-01-01", "", ""]])
    )
    assert confirm(client, response).status_code == 302
    assert GroupMembership.objects.filter(person__name="蒙春梅").count() == 1
    again = confirm(client, response)
    assert again.status_code == 302
    assert again.url == "/groups/import/"
    assert "预览已失效" in client.get(again.url).content.decode()
    assert GroupMembership.objects.filter(person__name="蒙春梅").count() == 1


def test_it_refuses_a_confirmation_with_another_token(org, roster):
    client = client_for(org.office)
    upload(
        client, roster_file([["成员", "党委统战部", "蒙春梅", "统战部部长", "2026-01-01", "", ""]])
    )
    before = fingerprint()
    response = client.post("/groups/import/forged-token/confirm/")
    assert response.url == "/groups/import/"
    assert fingerprint() == before


def test_it_refuses_a_confirmation_by_another_user(org, roster):
    """The token is bound to the user who uploaded: another clerk cannot confirm it."""
    client = client_for(org.office)
    response = upload(
        client, roster_file([["成员", "党委统战部", "蒙春梅", "统战部部长", "2026-01-01", "", ""]])
    )
    colleague = make_user("office2", org.ufw_dept, Role.OFFICE)
    before = fingerprint()
    assert confirm(client_for(colleague), response).url == "/groups/import/"
    assert fingerprint() == before
    assert confirm(client, response).status_code == 302  # the uploader still can


def test_it_lets_a_preview_expire_after_a_day(org, roster):
    client = client_for(org.office)
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, tzinfo=SHANGHAI), tick=False):
        response = upload(
            client,
            roster_file([["成员", "党委统战部", "蒙春梅", "统战部部长", "2026-01-01", "", ""]]),
        )
    with time_machine.travel(dt.datetime(2026, 6, 2, 9, 1, tzinfo=SHANGHAI), tick=False):
        before = fingerprint()
        assert confirm(client, response).url == "/groups/import/"
        assert fingerprint() == before
        # The next upload clears what has gone stale.
        upload(client, roster_file([["成员", "党委统战部", "蒙春梅", "", "2026-01-01", "", ""]]))
    assert ParkedImport.objects.count() == 1


def test_it_applies_endings_before_starts_whatever_the_row_order(org, roster):
    successor = person(org.branch_a, "接任者")
    rows = [
        ["统战委员", "机电工程学院党总支", "接任者", "", "2026-07-01", "", ""],
        ["统战委员", "机电工程学院党总支", "黄丽娟", "", "2024-03-01", "2026-06-30", ""],
    ]
    result = imports.roster_import(by=org.office, rows=_sheet(rows), dry_run=False)
    assert result.ok, result.messages
    commissioners = BranchCommissioner.objects.filter(branch=org.branch_a).order_by("start_date")
    assert [(c.person, c.end_date) for c in commissioners] == [
        (commissioners[0].person, dt.date(2026, 6, 30)),
        (successor, None),
    ]


def _sheet(rows: list[list[str]]) -> list[SheetRow]:
    return [
        SheetRow(line=index, cells=dict(zip(HEADER, row, strict=True)))
        for index, row in enumerate(rows, 2)
    ]


# Row errors: each names its row and column, and nothing is saved ----------------------------------

ROW_ERRORS = [
    (
        ["成员", "党委宣传处", "罗海燕", "部长", "2026-01-01", "", ""],
        "第2行“单位”列：找不到单位“党委宣传处”，请填写“单位”中登记的名称。",
    ),
    (["成员", "", "罗海燕", "部长", "2026-01-01", "", ""], "第2行“单位”列：不能为空。"),
    (
        ["成员", "党委统战部", "张三", "部长", "2026-01-01", "", ""],
        "第2行“姓名”列：找不到人员“张三”，请先在“人员”中登记。",
    ),
    (["成员", "党委统战部", "", "部长", "2026-01-01", "", ""], "第2行“姓名”列：不能为空。"),
    (["", "党委统战部", "蒙春梅", "部长", "2026-01-01", "", ""], "第2行“类别”列：不能为空。"),
    (
        ["组员", "党委统战部", "蒙春梅", "部长", "2026-01-01", "", ""],
        "第2行“类别”列：“组员”不是有效的类别，应为：组长、副组长、成员、办公室主任、办公室成员、统战委员。",
    ),
    (
        ["成员", "党委统战部", "蒙春梅", "", "2026-01-01", "", ""],
        "第2行“职务”列：不能为空：请填写据以任职的职务，如“党委书记”“宣传部部长”。",
    ),
    (["成员", "党委统战部", "蒙春梅", "部长", "", "", ""], "第2行“开始日期”列：不能为空。"),
    (
        ["成员", "党委统战部", "蒙春梅", "部长", "2026-13-01", "", ""],
        "第2行“开始日期”列：“2026-13-01”不是有效日期，应写成 2026-03-01 这样的日期。",
    ),
    (
        ["成员", "党委统战部", "蒙春梅", "部长", "2026-01-01", "明年", ""],
        "第2行“结束日期”列：“明年”不是有效日期，应写成 2026-03-01 这样的日期。",
    ),
    (
        ["成员", "党委统战部", "蒙春梅", "部长", "2026-01-01", "2025-12-31", ""],
        "第2行“结束日期”列：结束日期不能早于开始日期。",
    ),
    (
        ["成员", "党委统战部", "蒙春梅", "部长", "2019-01-01", "", ""],
        "第2行“开始日期”列：2019-01-01 不在任何一届领导小组的任期内。",
    ),
    (
        ["组长", "党委统战部", "韦国平", "党委书记", "2026-01-01", "", ""],
        "第2行“开始日期”列：韦国平 在 2024-03-01 — 至今 已任组长，同一职务的任期不能重叠。",
    ),
    (
        ["统战委员", "经济管理学院党总支", "黄丽娟", "", "2026-01-01", "", ""],
        "第2行“姓名”列：黄丽娟 不在经济管理学院党总支（或其下属单位），不能任该党总支的统战委员。",
    ),
    (
        ["办公室主任", "党委宣传部", "罗海燕", "部长", "2026-01-01", "", ""],
        "第2行“单位”列：办公室主任由办公室所在单位（党委统战部）的负责人兼任。",
    ),
]


@pytest.mark.parametrize(("row", "message"), ROW_ERRORS, ids=[m[:14] for _r, m in ROW_ERRORS])
def test_it_names_the_row_and_column_of_each_error_and_saves_nothing(org, roster, row, message):
    client = client_for(org.office)
    good = ["办公室成员", "党委宣传部", "李明辉", "宣传部调研员", "2026-01-01", "", ""]
    before = fingerprint()
    # The bad row is row 2; a good row follows it, so a half-save would show.
    response = upload(client, roster_file([row, good]))
    html = response.content.decode()
    assert message in response.context["result"].messages, response.context["result"].messages
    assert message in html
    assert "整个文件都未导入" in html
    assert response.context["token"] == ""
    assert "确认导入" not in html
    assert fingerprint() == before


def test_it_refuses_a_person_named_twice_in_the_file(org, roster):
    rows = [
        ["成员", "党委统战部", "蒙春梅", "统战部部长", "2026-01-01", "", ""],
        ["成员", "党委统战部", "蒙春梅", "统战部部长", "2026-03-01", "", ""],
    ]
    result = imports.roster_import(by=org.office, rows=_sheet(rows), dry_run=True)
    assert result.messages == ["第3行“姓名”列：与第2行重复：蒙春梅 同为成员，任期重叠。"]


def test_it_tells_homonyms_apart_by_unit_or_says_it_cannot(org, roster):
    hr = department("人事处")
    person(hr, "王芳")
    person(org.ufw_dept, "王芳")
    wang_in_branch = person(org.branch_b, "王芳")
    ok = imports.roster_import(
        by=org.office,
        rows=_sheet([["统战委员", "经济管理学院党总支", "王芳", "", "2026-07-01", "", ""]]),
        dry_run=True,
    )
    assert ok.ok, ok.messages  # the one in branch B
    assert ok.changes[0].person == wang_in_branch.name
    other = department("工会")
    result = imports.roster_import(
        by=org.office,
        rows=_sheet([["成员", "工会", "王芳", "主席", "2026-01-01", "", ""]]),
        dry_run=True,
    )
    assert result.messages == ["第2行“姓名”列：有3名“王芳”，按所填单位无法确定是哪一位。"]
    assert other.pk


def test_it_refuses_an_ambiguous_short_name(org, roster):
    department("党委教师工作部", "教工部")
    department("教务与工作部", "教工部")
    result = imports.roster_import(
        by=org.office,
        rows=_sheet([["成员", "教工部", "蒙春梅", "部长", "2026-01-01", "", ""]]),
        dry_run=True,
    )
    assert result.messages == ["第2行“单位”列：简称“教工部”对应多个单位，请填写全称。"]


def test_it_rolls_back_rows_already_applied_when_a_later_one_fails(org, roster):
    """Row 2 is valid on its own and is applied first; row 3 then clashes with it in
    the database. Nothing of row 2 may remain."""
    rows = [
        ["统战委员", "经济管理学院党总支", "总支甲", "", "2026-07-01", "", ""],
        ["统战委员", "经济管理学院党总支", "总支乙", "", "2026-08-01", "", ""],
    ]
    person(org.branch_b, "总支甲")
    person(org.branch_b, "总支乙")
    before = fingerprint()
    result = imports.roster_import(by=org.office, rows=_sheet(rows), dry_run=False)
    assert not result.ok
    assert result.messages[0].startswith(
        "第3行“开始日期”列：经济管理学院党总支 在 2026-07-01 — 至今 已有统战委员（总支甲）"
    )
    assert fingerprint() == before
    assert not BranchCommissioner.objects.filter(branch=org.branch_b).exists()


def test_it_saves_nothing_when_the_roster_changed_between_preview_and_confirmation(org, roster):
    client = client_for(org.office)
    person(org.branch_b, "总支甲")
    response = upload(
        client,
        roster_file([["统战委员", "经济管理学院党总支", "总支甲", "", "2026-07-01", "", ""]]),
    )
    assert response.context["result"].ok
    # Meanwhile someone else appoints a commissioner of branch B.
    services.branch_commissioner_appoint(
        by=org.office,
        branch=org.branch_b,
        person=person(org.branch_b, "总支乙"),
        start_date=TERM_START,
    )
    before = fingerprint()
    again = confirm(client, response)
    assert again.status_code == 200
    assert "已有统战委员（总支乙）" in again.content.decode()
    assert fingerprint() == before


# The file itself ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (
            SimpleUploadedFile("名册.csv", b"a,b"),
            "不支持这种文件（.csv），请上传以下格式之一：XLSX、XLS",
        ),
        (
            SimpleUploadedFile("名册.xls", OLE2_SIGNATURE + b"0" * 64),
            "请用 Excel 或 WPS 另存为 .xlsx",
        ),
        (SimpleUploadedFile("名册.xls", b"\xd0\xcf\x11\xe0"), "文件内容与扩展名.xls不符"),
        (SimpleUploadedFile("名册.xlsx", b"not a zip at all"), "文件内容与扩展名.xlsx不符"),
        (
            SimpleUploadedFile("名册.xlsx", b"PK\x03\x04" + b"0" * (3 * 1024 * 1024)),
            "文件太大（3.0 MB），不能超过 2.0 MB。",
        ),
    ],
)
def test_it_refuses_files_that_are_not_a_small_xlsx(org, roster, file, message):
    before = fingerprint()
    response = upload(client_for(org.office), file)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert fingerprint() == before


def test_it_names_missing_columns(org, roster):
    from portal.spreadsheets import build_xlsx

    data = build_xlsx(
        title="x", headers=["类别", "姓名"], rows=[["成员", "蒙春梅"]], widths=(10, 10)
    )
    response = upload(client_for(org.office), SimpleUploadedFile("名册.xlsx", data))
    assert "第1行缺少列：“单位”、“开始日期”" in response.content.decode()


def test_it_refuses_a_zip_that_is_not_a_workbook(org, roster):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "你好")
    response = upload(client_for(org.office), SimpleUploadedFile("名册.xlsx", buffer.getvalue()))
    assert "文件内容与扩展名.xlsx不符" in response.content.decode()


def test_it_says_when_a_workbook_cannot_be_read(org, roster):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "not xml")
    response = upload(client_for(org.office), SimpleUploadedFile("名册.xlsx", buffer.getvalue()))
    assert "无法读取这个 Excel 文件" in response.content.decode()


def test_it_reads_dates_written_the_chinese_way():
    assert parse_date("2026年3月1日") == dt.date(2026, 3, 1)
    assert parse_date("2026/3/1") == dt.date(2026, 3, 1)
    assert parse_date("2026.03.01") == dt.date(2026, 3, 1)
    with pytest.raises(ValueError):
        parse_date("3/1/2026")


def test_it_skips_blank_rows_and_reads_real_excel_dates(org, roster):
    rows = [
        ["成员", "党委统战部", "蒙春梅", "统战部部长", dt.date(2026, 1, 1), None, None],
        [None] * 7,
        ["", "", "", "", "", "", ""],
    ]
    result = imports.roster_import(
        by=org.office,
        rows=_read(roster_file(rows).read()),
        dry_run=True,
    )
    assert result.ok
    assert [(c.line, c.start) for c in result.changes] == [(2, dt.date(2026, 1, 1))]


def _read(data: bytes) -> list[SheetRow]:
    from portal.spreadsheets import read_rows

    return read_rows(data, imports.ROSTER_HEADERS, imports.ROSTER_REQUIRED)


def test_it_matches_units_by_full_or_short_name_only(org):
    # The unit index matches full names and short names only, never parts of a name.
    index = imports.UnitIndex()
    with pytest.raises(ValueError):
        index.find("统战")
    assert index.find("党委统战部") == Unit.objects.get(name="党委统战部")
