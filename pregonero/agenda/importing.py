"""Importing posts in bulk from a CSV file: read, check every row, then all or nothing.

The file is what a spreadsheet saves: UTF-8 with or without a byte order mark (or the
Windows code page Spanish Excel uses for "CSV"), ``;`` or ``,`` between cells, Windows or
Unix line ends. Columns (docs/user-guide.md "Importing posts"):

    date, time          required: 2026-03-31 or 31/03/2026; 09:30
    utc_offset          optional: +01:00 or +02:00, to choose a time that happens twice
    category            optional: service, agenda, emergency, campaign, other (or its name)
    department          optional: a department of the organisation, by name
    channels, tags      optional: several separated by | (or by commas)
    title               optional
    text_<language>     one per official language of the organisation, all required
    id, state, url      written by the calendar's CSV export; ignored

Each row becomes a draft by the importing editor with its time as the planned time, through
the same services as the composer (:func:`pregonero.publishing.services.create_post` and
:func:`pregonero.publishing.scheduling.plan`); nothing is scheduled or sent. If any row is
wrong nothing is imported, and the report says which row, which column and why.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pregonero.accounts.models import LANGUAGE_CHOICES, LANGUAGE_CODES, Department, Organisation, Person
from pregonero.accounts.roles import Role
from pregonero.audit import services as audit
from pregonero.audit.export import BYTE_ORDER_MARK, FORMULA_TRIGGERS, safe_cell
from pregonero.channels.models import Channel
from pregonero.publishing import localtime, scheduling
from pregonero.publishing import services as publishing
from pregonero.publishing.adapt import AdaptationError, adapt
from pregonero.publishing.models import Category, Post
from pregonero.publishing.rules import require, role_of

MAX_ROWS = 500
MAX_BYTES = 1_000_000
TEXT_PREFIX = "text_"
REQUIRED = ("date", "time")
OPTIONAL = ("utc_offset", "category", "department", "channels", "tags", "title")
IGNORED = ("id", "state", "url")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")
TIME_FORMATS = ("%H:%M", "%H:%M:%S", "%H.%M")
_LIST_SEPARATOR = re.compile(r"[|,]")
_OFFSET = re.compile(r"^(?:UTC)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
_LANGUAGE_LABELS = dict(LANGUAGE_CHOICES)


class ImportRefused(ValidationError):
    """The file has errors; ``report`` lists them and nothing was imported."""

    def __init__(self, report: Report):
        super().__init__(_("Nothing was imported: the file has errors."), code="invalid_import")
        self.report = report


@dataclass(slots=True)
class Planned:
    """A valid row, ready for the services."""

    local: datetime
    fold: int | None
    title: str
    category: str
    department: Department | None
    channels: list[Channel]
    tags: list[str]
    texts: dict[str, str]


@dataclass(slots=True)
class Row:
    line: int
    cells: dict[str, str]
    errors: list[str] = field(default_factory=list)
    planned: Planned | None = None


@dataclass(slots=True)
class Report:
    columns: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)

    @property
    def error_count(self) -> int:
        return len(self.errors) + sum(len(row.errors) for row in self.rows)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and self.error_count == 0


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (a byte order mark is dropped), else Windows-1252 as Excel writes it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def delimiter_of(text: str) -> str:
    """``;`` (Spanish Excel) or ``,``: whichever the header line has more of."""
    header = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    return ";" if header.count(";") > header.count(",") else ","


def _unprotect(cell: str) -> str:
    """Undo the apostrophe the export puts before a cell a spreadsheet would run as a formula."""
    cell = cell.strip()
    if cell.startswith("'") and cell[1:].startswith(FORMULA_TRIGGERS):
        return cell[1:]
    return cell


def read_rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header (normalised names) and the non-empty rows with the line each starts on."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter_of(text))
    header: list[str] = []
    rows = []
    line = 1
    for cells in reader:
        if not header:
            header = [cell.strip().lower() for cell in cells]
        elif any(cell.strip() for cell in cells):
            rows.append((line, [_unprotect(cell) for cell in cells]))
        line = reader.line_num + 1
    return header, rows


def _header_errors(header: list[str], organisation: Organisation) -> list[str]:
    errors = []
    official = organisation.official_languages
    for name in REQUIRED:
        if name not in header:
            errors.append(_("The column “%(column)s” is missing.") % {"column": name})
    for language in official:
        if f"{TEXT_PREFIX}{language}" not in header:
            errors.append(
                _("The column “%(column)s” is missing: every official language needs its text (LANG-1).")
                % {"column": f"{TEXT_PREFIX}{language}"}
            )
    known = set(REQUIRED + OPTIONAL + IGNORED) | {f"{TEXT_PREFIX}{code}" for code in official}
    for name in header:
        # Spreadsheets often save empty columns after the last one: unnamed columns are ignored.
        if name in known or not name:
            continue
        if name.startswith(TEXT_PREFIX) and name[len(TEXT_PREFIX) :] in LANGUAGE_CODES:
            errors.append(
                _("The column “%(column)s” is for a language that is not official here.") % {"column": name}
            )
        else:
            errors.append(_("The column “%(column)s” is not one Pregonero knows.") % {"column": name})
    duplicated = sorted({name for name in header if name and header.count(name) > 1})
    for name in duplicated:
        errors.append(_("The column “%(column)s” appears more than once.") % {"column": name})
    return errors


class _Lookups:
    """The organisation's departments, channels and categories, by the names people write."""

    def __init__(self, organisation: Organisation):
        self.departments = {
            department.name.casefold(): department
            for department in Department.objects.filter(organisation=organisation, is_active=True)
        }
        self.channels = {
            channel.name.casefold(): channel
            for channel in Channel.objects.filter(organisation=organisation, is_active=True)
        }
        self.categories = {code: code for code in Category.values}
        self.categories.update({str(label).casefold(): code for code, label in Category.choices})


def _parse(value: str, formats: tuple[str, ...]):
    for pattern in formats:
        try:
            return datetime.strptime(value, pattern)
        except ValueError:
            continue
    return None


def _split(value: str) -> list[str]:
    return [item.strip() for item in _LIST_SEPARATOR.split(value) if item.strip()]


def _offset_minutes(value: str) -> int | None:
    match = _OFFSET.match(value.strip())
    if not match:
        return None
    sign, hours, minutes = match.groups()
    total = int(hours) * 60 + int(minutes or 0)
    return -total if sign == "-" else total


def _when(cells: dict[str, str], zone: ZoneInfo, errors: list[str]) -> tuple[datetime | None, int | None]:
    """The row's local time and fold, or None after adding why to ``errors``."""
    day_text, time_text = cells.get("date", ""), cells.get("time", "")
    day = _parse(day_text, DATE_FORMATS)
    clock = _parse(time_text, TIME_FORMATS)
    if day is None:
        errors.append(
            _("date: “%(value)s” is not a date; write it as 2026-03-31 or 31/03/2026.") % {"value": day_text}
        )
    if clock is None:
        errors.append(_("time: “%(value)s” is not a time; write it as 09:30.") % {"value": time_text})
    if day is None or clock is None:
        return None, None
    local = datetime.combine(date(day.year, day.month, day.day), time(clock.hour, clock.minute))
    offset_text = cells.get("utc_offset", "")
    wanted = _offset_minutes(offset_text) if offset_text else None
    if offset_text and wanted is None:
        errors.append(
            _("utc_offset: “%(value)s” is not an offset; write it as +01:00.") % {"value": offset_text}
        )
        return None, None
    folds = {
        int(local.replace(tzinfo=zone, fold=fold).utcoffset().total_seconds() // 60): fold for fold in (0, 1)
    }
    fold = folds.get(wanted) if wanted is not None else None
    if wanted is not None and fold is None:
        errors.append(
            _("utc_offset: %(time)s in %(zone)s is not at UTC%(offset)s.")
            % {"time": local.strftime("%Y-%m-%d %H:%M"), "zone": zone.key, "offset": offset_text}
        )
        return None, None
    try:
        instant = localtime.to_utc(local, zone, fold)
    except localtime.NonexistentLocalTime as error:
        errors.append(f"time: {error.messages[0]}")
        return None, None
    except localtime.AmbiguousLocalTime as error:
        errors.append(
            "time: "
            + error.messages[0]
            + " "
            + _("Say which in the utc_offset column: %(first)s or %(second)s.")
            % {"first": _offset_label(error.choices[0]), "second": _offset_label(error.choices[1])}
        )
        return None, None
    if instant <= timezone.now():
        errors.append(_("date: %(time)s has already passed.") % {"time": local.strftime("%Y-%m-%d %H:%M")})
        return None, None
    return local, fold


def _offset_label(instant: datetime) -> str:
    offset = instant.strftime("%z")
    return f"{offset[:3]}:{offset[3:]}"


def _check_row(row: Row, organisation: Organisation, lookups: _Lookups) -> None:
    cells, errors = row.cells, row.errors
    zone = ZoneInfo(organisation.time_zone)
    local, fold = _when(cells, zone, errors)
    category_text = cells.get("category", "")
    category = lookups.categories.get(category_text.casefold(), None) if category_text else Category.SERVICE
    if category is None:
        errors.append(
            _("category: “%(value)s” is not a category; use one of %(choices)s.")
            % {"value": category_text, "choices": ", ".join(Category.values)}
        )
    department_text = cells.get("department", "")
    department = lookups.departments.get(department_text.casefold()) if department_text else None
    if department_text and department is None:
        errors.append(
            _("department: there is no department “%(value)s” in this organisation.")
            % {"value": department_text}
        )
    channels = []
    for name in _split(cells.get("channels", "")):
        channel = lookups.channels.get(name.casefold())
        if channel is None:
            errors.append(_("channels: there is no active channel “%(value)s” here.") % {"value": name})
        else:
            channels.append(channel)
    title = cells.get("title", "")
    if len(title) > 200:
        errors.append(_("title: it has %(count)d characters; at most 200.") % {"count": len(title)})
    texts = {}
    for language in organisation.official_languages:
        body = cells.get(f"{TEXT_PREFIX}{language}", "")
        column = f"{TEXT_PREFIX}{language}"
        if not body:
            errors.append(
                _("%(column)s: the %(language)s text is missing (LANG-1).")
                % {"column": column, "language": _LANGUAGE_LABELS.get(language, language)}
            )
            continue
        texts[language] = body
        for channel in channels:
            connector = channel.get_connector()
            try:
                adapt(body, connector.limits, connector.capabilities)
            except AdaptationError as error:
                errors.append(
                    _("%(column)s: too long for %(channel)s: %(reason)s")
                    % {"column": column, "channel": channel.name, "reason": error.message}
                )
    if not errors:
        row.planned = Planned(
            local=local,
            fold=fold,
            title=title,
            category=category,
            department=department,
            channels=channels,
            tags=_split(cells.get("tags", "")),
            texts=texts,
        )


def check(organisation: Organisation, text: str) -> Report:
    """Read and check every row of ``text``; writes nothing."""
    report = Report()
    if len(text.encode("utf-8")) > MAX_BYTES:
        report.errors.append(_("The file is too large: at most 1 MB."))
        return report
    header, rows = read_rows(text)
    report.columns = header
    if not header:
        report.errors.append(_("The file is empty."))
        return report
    report.errors.extend(_header_errors(header, organisation))
    if not rows:
        report.errors.append(_("The file has no rows below its header."))
    if len(rows) > MAX_ROWS:
        report.errors.append(
            _("The file has %(count)d rows; import at most %(limit)d at a time.")
            % {"count": len(rows), "limit": MAX_ROWS}
        )
        return report
    lookups = _Lookups(organisation)
    for line, cells in rows:
        row = Row(line=line, cells=dict(zip(header, cells, strict=False)))
        if len(cells) > len(header):
            row.errors.append(
                _("The row has %(count)d cells but the header names %(columns)d columns.")
                % {"count": len(cells), "columns": len(header)}
            )
        if not report.errors:
            _check_row(row, organisation, lookups)
        report.rows.append(row)
    return report


@transaction.atomic
def import_posts(organisation: Organisation, *, actor: Person, text: str, request=None) -> list[Post]:
    """Create one planned draft per row, all in one transaction, or raise :class:`ImportRefused`.

    The file is checked again here: what was previewed may have changed meanwhile (a
    department removed, a time now past).
    """
    require(role_of(actor, organisation).at_least(Role.EDITOR))
    report = check(organisation, text)
    if not report.ok:
        raise ImportRefused(report)
    posts = []
    for row in report.rows:
        planned = row.planned
        post = publishing.create_post(
            organisation,
            actor=actor,
            title=planned.title,
            department=planned.department,
            category=planned.category,
            tags=planned.tags,
            channels=planned.channels,
            texts=planned.texts,
            request=request,
        )
        scheduling.plan(post, actor=actor, local=planned.local, fold=planned.fold, request=request)
        posts.append(post)
    audit.record(
        "agenda.posts_imported",
        actor=actor,
        organisation=organisation,
        details={"rows": len(posts), "posts": [post.pk for post in posts]},
        request=request,
    )
    return posts


def template_columns(organisation: Organisation) -> list[str]:
    return [*REQUIRED, *OPTIONAL, *(f"{TEXT_PREFIX}{code}" for code in organisation.official_languages)]


def template_lines(organisation: Organisation, *, example_day: date, delimiter: str = ",") -> list[str]:
    """The header and one example row (to be replaced) of an import file, with a BOM for Excel."""
    columns = template_columns(organisation)
    department = Department.objects.filter(organisation=organisation, is_active=True).first()
    channels = Channel.objects.filter(organisation=organisation, is_active=True)[:2]
    example = {
        "date": example_day.isoformat(),
        "time": "10:00",
        "category": Category.AGENDA,
        "department": department.name if department else "",
        "channels": " | ".join(channel.name for channel in channels),
        "tags": "example",
        "title": _("Example: replace this row"),
        **{
            f"{TEXT_PREFIX}{code}": _("Text in %(language)s.")
            % {"language": _LANGUAGE_LABELS.get(code, code)}
            for code in organisation.official_languages
        },
    }
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(columns)
    writer.writerow([safe_cell(example.get(column, "")) for column in columns])
    return [BYTE_ORDER_MARK, buffer.getvalue()]
