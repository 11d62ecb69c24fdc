"""RAD KLA spreadsheets: the Excel templates (plan, realisation) with drop-down lists and a version mark, and their
upload, checked row by row (`kla.rad.spreadsheet_rules`, `spreadsheet_rules_realisation`) and written all-or-nothing
through `kla.rad.services`.

A template carries the region's agencies, the instrument's indicators, the sources and the plan's years on a hidden
sheet ("Daftar") that the columns' data validation lists; its version mark sits in A1 of the hidden sheet "Versi"
and the import refuses a file without the mark it expects.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext, gettext_lazy

from kla.agencies.models import Agency
from kla.core.wording import say
from kla.indicators.models import Indicator
from kla.rad import rules
from kla.rad import spreadsheet_rules as sr
from kla.rad.models import Plan, Version
from kla.rad.selectors.budget import indicator_ref
from kla.rad.services.scope import region_codes

if TYPE_CHECKING:
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

MAX_BYTES = 5 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"
LIST_ROWS = sr.MAX_ROWS + 1  # data validation covers the rows an upload may hold


class ImportRefused(ValidationError):
    """Nothing was imported; `messages` names every bad row with its column."""


def agencies_of(plan: Plan) -> list[Agency]:
    """The agencies a plan may name: the region's own active ones, then its province's (for a kab/kota)."""
    codes = region_codes(plan.region)
    found = Agency.objects.filter(region_id__in=codes, is_active=True).order_by("name")
    return sorted(found, key=lambda a: (a.region_id != plan.region_id, a.name))


def indicators_of(plan: Plan) -> list[Indicator]:
    return list(Indicator.objects.filter(framework_id=plan.framework_id).order_by("position"))


def indicator_label(indicator: Indicator) -> str:
    return indicator_ref(indicator).label


def plan_context(plan: Plan) -> sr.PlanContext:
    agencies: dict[str, int] = {}
    for agency in agencies_of(plan):
        for name in (agency.name, agency.short_name):
            if name:
                agencies.setdefault(sr.lookup_key(name), agency.pk)
    indicators: dict[str, int] = {}
    for indicator in indicators_of(plan):
        for name in (indicator_label(indicator), indicator.code):
            indicators.setdefault(sr.lookup_key(name), indicator.pk)
    return sr.PlanContext(plan.start_year, plan.end_year, agencies, indicators)


# --- writing a template ----------------------------------------------------------------------------------------------


def new_book(title: str, columns: Sequence[str], widths: Sequence[int], mark: str) -> tuple[Workbook, Worksheet]:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[letter(index)].width = width
    sheet.freeze_panes = "A2"
    marked = book.create_sheet(sr.MARK_SHEET)
    marked["A1"] = mark
    marked["A2"] = gettext("Jangan mengubah lembar ini: tanda versi templat RAD KLA.")
    marked.sheet_state = "hidden"
    book.properties.subject = mark
    return book, sheet


def letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index))


def add_lists(book: Workbook, sheet: Worksheet, lists: Sequence[tuple[str, Sequence[str], str]]) -> None:
    """Each (column of `sheet`, values, title) becomes a column of the hidden list sheet and a drop-down."""
    from openpyxl.worksheet.datavalidation import DataValidation

    listed = book.create_sheet(sr.LIST_SHEET)
    listed.sheet_state = "hidden"
    for index, (column, values, title) in enumerate(lists, start=1):
        listed_column = letter(index)
        listed.cell(row=1, column=index, value=title)
        for row, value in enumerate(values, start=2):
            listed.cell(row=row, column=index, value=value)
        last = max(len(values) + 1, 2)
        validation = DataValidation(
            type="list",
            formula1=f"{sr.LIST_SHEET}!${listed_column}$2:${listed_column}${last}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=gettext("Pilih dari daftar"),
            error=gettext("Pilih %(lower)s dari daftar.") % {"lower": title.lower()},
        )
        validation.add(f"{column}2:{column}{LIST_ROWS}")
        sheet.add_data_validation(validation)


def book_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def column_letter(columns: Sequence[str], name: str) -> str:
    return letter(columns.index(name) + 1)


SOURCE_NAMES = [rules.SOURCE_LABELS[s] for s in rules.Source]


def plan_template(plan: Plan) -> bytes:
    """The plan template of `plan`: one row per budget line; drop-downs for indicator, agency, year and source."""
    columns = sr.PLAN_COLUMNS
    book, sheet = new_book("Rencana", columns, (40, 36, 14, 36, 16, 30, 20, 34, 34, 12, 8, 22, 20, 10), sr.PLAN_MARK)
    for row in range(2, LIST_ROWS + 1):
        sheet.cell(row=row, column=columns.index("Anggaran (Rp)") + 1).number_format = MONEY_FORMAT
    lists = (
        (
            column_letter(columns, "Indikator"),
            [indicator_label(i) for i in indicators_of(plan)],
            gettext("Indikator"),
        ),
        (
            column_letter(columns, "Instansi penanggung jawab"),
            [a.name for a in agencies_of(plan)],
            gettext("Instansi"),
        ),
        (column_letter(columns, "Tahun"), [str(y) for y in plan.years], gettext("Tahun")),
        (column_letter(columns, "Sumber dana"), SOURCE_NAMES, gettext("Sumber dana")),
    )
    add_lists(book, sheet, lists)
    return book_bytes(book)


# --- reading an upload ---------------------------------------------------------------------------------------------


def read_table(upload: UploadedFile[bytes], mark: str) -> tuple[list[object], Iterable[Sequence[object]]]:
    """(header, rows) of the first sheet of an uploaded template; refused: not an XLSX, too large, damaged, or
    without the expected version mark."""
    from openpyxl import load_workbook

    if not (upload.name or "").lower().endswith(".xlsx"):
        raise ValidationError(gettext("Unggah berkas .xlsx dari templat RAD KLA (unduh templatnya terlebih dahulu)."))
    if (upload.size or 0) > MAX_BYTES:
        raise ValidationError(gettext("Berkas lebih besar dari 5 MB; bagi rencananya menjadi beberapa berkas."))
    try:
        book = load_workbook(io.BytesIO(upload.read()), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or disguised file
        raise ValidationError(
            gettext("Berkas XLSX tidak dapat dibaca; simpan ulang dari program lembar kerja.")
        ) from None
    try:
        found = book[sr.MARK_SHEET]["A1"].value if sr.MARK_SHEET in book.sheetnames else None
        sr.check_mark(sr.text(found), mark)
        rows = book.worksheets[0].iter_rows(values_only=True, max_row=sr.MAX_ROWS + 2)
        header = list(next(rows, ()))
        return header, [list(r) for r in rows]
    except sr.SheetError as exc:
        raise ValidationError(say(exc.message)) from None
    finally:
        book.close()


def records(
    upload: UploadedFile[bytes], mark: str, columns: Sequence[str], required: Sequence[str]
) -> list[tuple[int, dict[str, Any]]]:
    header, rows = read_table(upload, mark)
    try:
        return sr.records(rows, sr.header_map(header, columns, required))
    except sr.SheetError as exc:
        raise ValidationError(say(exc.message)) from None


def refuse(errors: Sequence[sr.RowError]) -> None:
    if errors:
        count = len({e.number for e in errors})
        raise ImportRefused(
            [
                gettext(
                    "Tidak ada yang diimpor: %(count)s baris perlu diperbaiki. Perbaiki baris berikut, lalu "
                    "unggah lagi."
                )
                % {"count": count}
            ]
            + [say(e.text()) for e in errors]
        )


NO_DRAFT = gettext_lazy(
    "Rencana ini tidak memiliki draf: versi yang sudah ditetapkan tidak diubah oleh impor. "
    "Mulai revisi terlebih dahulu di halaman rencana, lalu impor ke drafnya."
)
NOT_EMPTY = gettext_lazy(
    "Draf versi {number} sudah berisi {count} program, kegiatan, dan sub kegiatan. Untuk "
    'mengganti seluruh isinya dengan isi lembar kerja, centang "Ganti isi draf" lalu unggah '
    "lagi; untuk mengubah sebagian, gunakan halaman rencana. Versi yang sudah ditetapkan tidak "
    "berubah."
)


def draft_of(plan: Plan, *, replace: bool = False) -> Version:
    """The plan's draft: empty, or with content when the person confirmed replacing it (`replace`)."""
    draft = Version.objects.filter(plan=plan, status=Version.Status.DRAFT).first()
    if draft is None:
        raise ValidationError(NO_DRAFT, code="no_draft")
    count = draft.nodes.count()
    if count and not replace:
        raise ValidationError(NOT_EMPTY.format(number=draft.number, count=count), code="not_empty")
    return draft


@transaction.atomic
def import_plan(*, plan: Plan, upload: UploadedFile[bytes], by: Any, replace: bool = False) -> int:
    """Draw up the plan's draft from an uploaded plan template; returns the number of rows imported. A draft with
    content is refused unless `replace` (the person confirmed "Ganti isi draf"): then its whole tree is replaced,
    keeping the stable keys of activities at the same place (`kla.rad.services.tree`); all or nothing."""
    from kla.rad.services.tree import keys_keep, tree_clear
    from kla.rad.spreadsheet_import import write_plan

    version = draft_of(plan, replace=replace)
    rows = records(upload, sr.PLAN_MARK, sr.PLAN_COLUMNS, sr.PLAN_REQUIRED)
    programmes, errors = sr.parse_plan(rows, plan_context(plan))
    refuse(errors)
    before = tree_clear(version=version, by=by) if version.nodes.exists() else None
    write_plan(version, programmes, by)
    if before is not None:
        keys_keep(version=version, before=before, by=by)
    return len(rows)
