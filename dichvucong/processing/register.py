"""Form 7 (Sổ theo dõi hồ sơ): an agency's register of the dossiers it received, processed or returned in
a period, with the national service index's classification (trước hạn / đúng hạn / quá hạn), written as
CSV or XLSX while the rows are read (an iterator over the database, never a list of the period).

The rows are the dossiers of the agency as the desk or the deciding body (`reception_agency` or
`competent_agency`), chosen by the date column of the kind: received → `received_at`, processed →
`finished_at` (a decision or a stop), returned → `returned_at`.
"""

import csv
import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dichvucong.accounts.models import StaffRole
from dichvucong.core.calendar import EARLY, LATE, ON_TIME, extend_for_pause, timeliness
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.workflow import State

from .models import DeliveryMethod, Extension
from .permissions import official_roles

RECEIVED, PROCESSED, RETURNED = "received", "processed", "returned"
KINDS = {
    RECEIVED: gettext_lazy("Hồ sơ tiếp nhận"),
    PROCESSED: gettext_lazy("Hồ sơ đã giải quyết"),
    RETURNED: gettext_lazy("Hồ sơ đã trả kết quả"),
}
DATE_COLUMN = {RECEIVED: "received_at", PROCESSED: "finished_at", RETURNED: "returned_at"}
# A dossier "processed" in the period ended with a decision or a stop (not a refusal or a withdrawal).
PROCESSED_STATES = (State.RESULT_READY, State.RETURNED, State.STOPPED)
# The one-stop desk keeps the register; the leaders and the agency administrator read it too.
REGISTER_ROLES = frozenset({StaffRole.RECEPTIONIST, StaffRole.APPROVER, StaffRole.AGENCY_ADMIN})
MAX_PERIOD_DAYS = 366
ITERATOR_CHUNK = 500

TIMELINESS_LABELS = {
    EARLY: gettext_lazy("Trước hạn"),
    ON_TIME: gettext_lazy("Đúng hạn"),
    LATE: gettext_lazy("Quá hạn"),
}


def register_columns() -> list[str]:
    """The register's header (form 7), in the official's language."""
    return [
        _("STT"),
        _("Mã hồ sơ"),
        _("Thủ tục"),
        _("Người nộp"),
        _("Ngày tiếp nhận"),
        _("Ngày hẹn trả"),
        _("Ngày có kết quả"),
        _("Ngày trả"),
        _("Cách trả"),
        _("Trạng thái"),
        _("Đúng hạn / trước hạn / quá hạn"),
    ]


def may_read_register(official, agency) -> bool:
    """Whether `official` keeps or reads the register of `agency` (REGISTER_ROLES there)."""
    return bool(official_roles(official, agency) & REGISTER_ROLES)


def period_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, the day after end 00:00) in the local time zone (Asia/Ho_Chi_Minh)."""
    zone = timezone.get_current_timezone()
    begin = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    stop = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return begin, stop


def register_queryset(*, official, agency, kind: str, start: dt.date, end: dt.date) -> QuerySet[Dossier]:
    """The dossiers of form 7 for `kind` in [start, end] (local dates), in the order of the date column;
    empty for an official without a register role in `agency` or an unknown kind.

    Index note: no index covers (agency, date column) yet; each kind reads the agency's dossiers through
    dossier_reception_idx and the competent agency's foreign-key index (see docs/backoffice-desk.md)."""
    if kind not in DATE_COLUMN or not may_read_register(official, agency):
        return Dossier.objects.none()
    column = DATE_COLUMN[kind]
    begin, stop = period_bounds(start, end)
    dossiers = Dossier.objects.filter(
        Q(reception_agency=agency) | Q(competent_agency=agency),
        **{f"{column}__gte": begin, f"{column}__lt": stop},
    ).exclude(state=State.DRAFT)
    if kind == PROCESSED:
        dossiers = dossiers.filter(state__in=PROCESSED_STATES)
    return (
        dossiers.select_related("applicant", "version", "result_delivery")
        .annotate(was_extended=Exists(Extension.objects.filter(dossier=OuterRef("pk"))))
        .order_by(column, "id")
    )


def processing_end(dossier: Dossier) -> dt.datetime | None:
    """The end of processing of the national index: the first of result ready, returned, stopped."""
    ends = [moment for moment in (dossier.finished_at, dossier.returned_at, dossier.stopped_at) if moment]
    return min(ends) if ends else None


def dossier_timeliness(dossier: Dossier, *, now: dt.datetime | None = None) -> str:
    """EARLY / ON_TIME / LATE of the national service index (DOMAIN.md §4), or "" when it does not apply
    (never received, refused, withdrawn, no appointment, or still open and not yet late).

    The appointment already excludes the supplement waits that ended (the citizen's answer moves
    `due_date`, calendar.extend_for_pause); a wait still open when processing ended is excluded here.
    A second supplement request (`counted_late`) and an apology with a new appointment (form 4: issued
    because the dossier is late) count as late. `was_extended` comes from register_queryset; without it
    the extensions are read."""
    if dossier.state in (State.REFUSED, State.WITHDRAWN) or not dossier.received_at or not dossier.due_date:
        return ""
    extended = getattr(dossier, "was_extended", None)
    if extended is None:
        extended = dossier.extensions.exists()
    if dossier.counted_late or extended:
        return LATE
    end = processing_end(dossier)
    moment = end or now or timezone.now()
    due = dossier.due_date
    if dossier.clock_paused_at and moment > dossier.clock_paused_at:
        due = extend_for_pause(due, dossier.clock_paused_at, moment)
    if end is None:
        return LATE if moment > due else ""
    return timeliness(end, due)


@dataclass(frozen=True)
class RegisterRow:
    """One line of form 7: text cells and local, naive datetimes (as spreadsheets take them)."""

    number: int
    code: str
    procedure: str
    applicant: str
    received_at: dt.datetime | None
    due_date: dt.datetime | None
    finished_at: dt.datetime | None
    returned_at: dt.datetime | None
    return_method: str
    state: str
    timeliness: str

    def cells(self) -> list:
        return [
            self.number,
            self.code,
            self.procedure,
            self.applicant,
            self.received_at,
            self.due_date,
            self.finished_at,
            self.returned_at,
            self.return_method,
            self.state,
            self.timeliness,
        ]


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _return_method(dossier: Dossier) -> str:
    delivery = getattr(dossier, "result_delivery", None)  # select_related: None when not returned yet
    if delivery is not None:
        return str(DeliveryMethod(delivery.method).label) if delivery.method in DeliveryMethod.values else ""
    return dossier.get_delivery_display() if dossier.delivery else ""


def register_rows(dossiers: QuerySet[Dossier], *, now: dt.datetime | None = None) -> Iterator[RegisterRow]:
    """The lines of form 7, read in chunks (QuerySet.iterator): memory stays flat whatever the period."""
    now = now or timezone.now()
    for number, dossier in enumerate(dossiers.iterator(chunk_size=ITERATOR_CHUNK), start=1):
        tier = dossier_timeliness(dossier, now=now)
        yield RegisterRow(
            number=number,
            code=dossier.code or "",
            procedure=dossier.version.name,
            applicant=dossier.applicant.full_name or dossier.applicant.username,
            received_at=_local(dossier.received_at),
            due_date=_local(dossier.due_date),
            finished_at=_local(dossier.finished_at) if dossier.state != State.WITHDRAWN else None,
            returned_at=_local(dossier.returned_at),
            return_method=_return_method(dossier),
            state=dossier.get_state_display(),
            timeliness=str(TIMELINESS_LABELS[tier]) if tier else "",
        )


# --- Writers ---------------------------------------------------------------------------------------------

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DATETIME_FORMAT = "%H:%M %d/%m/%Y"


def spreadsheet_safe(value: str) -> str:
    """Text a spreadsheet will not run as a formula (CSV/formula injection: a name typed "=HYPERLINK(…)"
    is shown as text, prefixed with an apostrophe)."""
    return f"'{value}" if value and value.startswith(FORMULA_PREFIXES) else value


def _csv_cell(value) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime(DATETIME_FORMAT)
    if value is None:
        return ""
    return spreadsheet_safe(str(value))


class _Echo:
    """A file-like object whose write() returns the line: csv.writer then feeds a streaming response."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[RegisterRow]) -> Iterator[str]:
    """The register as CSV text, one line at a time: UTF-8 with a byte-order mark first, so that Excel
    opens Vietnamese correctly, and the header."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow(register_columns())
    for row in rows:
        yield writer.writerow([_csv_cell(cell) for cell in row.cells()])


def xlsx_file(rows: Iterable[RegisterRow], *, title: str, subtitle: str):
    """The register as an XLSX workbook in a temporary file (rewound): openpyxl's write-only mode keeps
    rows on disk as they come, so a year of dossiers never sits in memory."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Sổ theo dõi hồ sơ")[:31])
    sheet.column_dimensions["B"].width = 28
    sheet.column_dimensions["C"].width = 50
    sheet.column_dimensions["D"].width = 24
    for letter in "EFGH":
        sheet.column_dimensions[letter].width = 17
    for letter in "IJK":
        sheet.column_dimensions[letter].width = 22

    def text(value: str):
        return spreadsheet_safe(ILLEGAL_CHARACTERS_RE.sub("", value))

    def cell(value, *, bold: bool = False):
        if isinstance(value, str):
            value = text(value)
        item = WriteOnlyCell(sheet, value=value)
        if isinstance(value, dt.datetime):
            item.number_format = "hh:mm dd/mm/yyyy"
        if bold:
            item.font = Font(bold=True)
        return item

    sheet.append([cell(title, bold=True)])
    sheet.append([cell(subtitle)])
    sheet.append([])
    sheet.append([cell(name, bold=True) for name in register_columns()])
    for row in rows:
        sheet.append([cell(value) for value in row.cells()])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (handed to the response, which closes it)
    workbook.save(handle)
    handle.seek(0)
    return handle
