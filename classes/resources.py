"""Import and export of classes and commendations (django-import-export).

The library looks rows up through the resource's own queryset and widgets,
not the admin's (FINDINGS.md), so both are scoped here through the selectors,
and every row passes the model's rules and the services' rights and lock
checks before anything is written. Those checks run against data read once
per file (one IN query per 1,000 codes), not four queries per row.
"""

import datetime
import io
import logging

import openpyxl
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import resources
from import_export.fields import Field
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import Error
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from . import selectors, services
from .importing import LINE_COLUMN, MAX_ROWS, ImportFileError, fold
from .models import AdministrativeUnit, Commendation, Programme, TrainingCentre, TrainingClass
from .text import for_export
from .widgets import ChoiceWidget, CodeOrNameWidget, CountWidget, DateWidget, TextWidget, YearWidget

logger = logging.getLogger(__name__)

CHUNK = 1000
CHANGE_REASON = gettext_lazy("Nhập từ tệp")


def _chunks(values, size=CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]


class _PrefetchedLoader(BaseInstanceLoader):
    """Existing rows come from what the resource read, scoped, for the whole file."""

    def get_instance(self, row):
        return self.resource.existing_for_row(row)


class SpreadsheetResource(resources.ModelResource):
    """What the class and commendation files share: header matching, caps,
    per-cell Vietnamese errors with the sheet's line number, unchanged rows
    detected, all-or-nothing writes in bulk with history."""

    required = ()  # attributes whose column must exist and whose cells must be filled
    blank_values = {}  # attribute -> value written for an empty cell
    aliases = {}  # attribute -> other folded headers people type for that column
    key_attributes = ()
    derived_attributes = ()  # model fields computed from the columns, checked with them
    sheet_title = ""

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.warnings = []
        self._fields_in_order = super().get_import_fields()
        self._by_attribute = {field.attribute: field for field in self._fields_in_order}
        self._lines = []
        self._duplicate_of = {}
        self._before = None
        self._changes = None

    def get_import_fields(self):
        return self._fields_in_order  # asked several times per row; the order never changes

    def column(self, attribute) -> str:
        field = self._by_attribute.get(attribute)
        return str(field.column_name) if field else str(attribute)

    # --- reading the file ---------------------------------------------------

    def check_user(self):
        raise NotImplementedError

    def load(self, dataset):
        """Read the reference and existing rows this file needs."""
        raise NotImplementedError

    def _match_headers(self, dataset):
        wanted = {}
        for field in self._fields_in_order:
            wanted[fold(field.column_name)] = field
            for alias in self.aliases.get(field.attribute, ()):
                wanted.setdefault(alias, field)
        headers, seen, unknown = [], {}, []
        for header in dataset.headers:
            if header == LINE_COLUMN:
                headers.append(header)
                continue
            field = wanted.get(fold(header))
            if field is None:
                unknown.append(str(header))
                headers.append(header)
            elif field.attribute in seen:
                raise ImportFileError(
                    _("Hai cột “%(first)s” và “%(second)s” cùng là cột “%(column)s”; hãy xóa một cột.")
                    % {"first": seen[field.attribute], "second": header, "column": field.column_name}
                )
            else:
                seen[field.attribute] = header
                headers.append(field.column_name)
        missing = [self.column(attribute) for attribute in self.required if attribute not in seen]
        if missing:
            raise ImportFileError(
                _("Thiếu cột bắt buộc: %(missing)s. Dòng tiêu đề cần các cột: %(all)s.")
                % {
                    "missing": ", ".join(f"“{name}”" for name in missing),
                    "all": ", ".join(str(field.column_name) for field in self._fields_in_order),
                }
            )
        if unknown:
            self.warnings.append(
                _("Bỏ qua các cột không dùng: %(columns)s.") % {"columns": ", ".join(f"“{name}”" for name in unknown)}
            )
        dataset.headers = headers
        self._present = [field for field in self._fields_in_order if field.column_name in headers]

    def prepare(self, dataset):
        self.check_user()
        if dataset.headers is None or not len(dataset):
            raise ImportFileError(_("Tệp không có dòng dữ liệu nào."))
        if len(dataset) > MAX_ROWS:
            raise ImportFileError(
                _("Tệp có %(rows)s dòng dữ liệu; mỗi lần nhập tối đa %(cap)s dòng. Hãy chia tệp.")
                % {"rows": number_format(len(dataset), force_grouping=True), "cap": number_format(MAX_ROWS, force_grouping=True)}
            )
        self._match_headers(dataset)
        if LINE_COLUMN in dataset.headers:
            self._lines = list(dataset[LINE_COLUMN])
        else:  # a Dataset built in code: its header is line 1
            self._lines = list(range(2, len(dataset) + 2))
        self.load(dataset)
        first_line = {}
        for index, key in enumerate(self.row_keys(dataset), 1):
            if key is None:
                continue
            if key in first_line:
                self._duplicate_of[index] = first_line[key]
            else:
                first_line[key] = self._lines[index - 1]

    def row_keys(self, dataset):
        """The key of each row, or None where a key cell is empty or unreadable."""
        columns = [self._by_attribute[attribute] for attribute in self.key_attributes]
        for row in dataset.dict:
            yield self.key_from(row, columns)

    @staticmethod
    def key_from(row, columns):
        key = []
        for field in columns:
            try:
                value = field.widget.clean(row.get(field.column_name), row=row)
            except ValueError:
                return None
            if not value:
                return None
            key.append(value)
        return tuple(key)

    def existing_for_row(self, row):
        key = self.key_from(row, [self._by_attribute[attribute] for attribute in self.key_attributes])
        return self._existing.get(key) if key else None

    # --- django-import-export hooks ------------------------------------------

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None,
                    collect_failed_rows=False, rollback_on_validation_errors=False, **kwargs):
        # One transaction, rolled back if any row is invalid: a file writes all or nothing.
        return super().import_data(
            dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=True,
            collect_failed_rows=collect_failed_rows, rollback_on_validation_errors=True, **kwargs,
        )

    def import_data_inner(self, dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs):
        self._dry_run = dry_run
        try:
            self.prepare(dataset)
        except ImportFileError as error:
            result = self.get_result_class()()
            result.total_rows = len(dataset)
            result.append_base_error(Error(error))
            result.file_warnings = self.warnings
            return result
        result = super().import_data_inner(dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs)
        for invalid in result.invalid_rows:
            invalid.number = self._lines[invalid.number - 1]
        for error_row in result.error_rows:
            error_row.number = self._lines[error_row.number - 1]
        result.file_warnings = self.warnings
        return result

    def after_init_instance(self, instance, new, row, **kwargs):
        self._before = None if new else self.snapshot(instance)
        self._changes = None

    def snapshot(self, instance):
        return {field.column_name: field.export(instance) for field in self._present}

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        for field in self._present:
            column = field.column_name
            try:
                value = field.widget.clean(row[column], row=row)
            except ValueError as error:
                errors[column] = [str(error)]
                continue
            if value is None or value == "":
                if field.attribute in self.required:
                    errors[column] = [_("Bắt buộc, đang để trống.")]
                    continue
                value = self.blank_values.get(field.attribute, value)
            setattr(instance, field.attribute, value)
        first = self._duplicate_of.get(kwargs.get("row_number"))
        if first is not None:
            errors.setdefault(self.column(self.key_attributes[0]), []).append(
                _("Trùng với dòng %(line)s trong cùng tệp.") % {"line": first}
            )
        self.row_checks(instance, errors)
        if errors:
            raise ValidationError(errors)

    def row_checks(self, instance, errors):
        """Checks against data read for the whole file; add messages to `errors`."""

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or self._before is None:
            return False
        after = self.snapshot(instance)
        self._changes = [(column, self._before[column], value) for column, value in after.items() if self._before[column] != value]
        return not self._changes

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = {}
        for column, problems in (import_validation_errors or {}).items():
            for problem in problems:
                errors.setdefault(column, []).extend(problem.messages if isinstance(problem, ValidationError) else [str(problem)])
        if not errors:
            self.model_checks(instance, errors)
        if errors:
            raise ValidationError(errors)

    def _add_model_errors(self, errors, error: ValidationError):
        for attribute, messages in error.message_dict.items():
            column = self.column(attribute) if attribute != NON_FIELD_ERRORS else _("Dòng")
            errors.setdefault(column, []).extend(messages)

    def model_checks(self, instance, errors):
        """The model's own rules, without the per-row queries full_clean() would make
        (foreign keys are resolved already, uniqueness was checked for the file)."""
        checked = {field.attribute for field in self._present} | set(self.derived_attributes)
        exclude = [field.name for field in instance._meta.fields if field.is_relation or field.name not in checked]
        try:
            instance.clean_fields(exclude=exclude)
        except ValidationError as error:
            self._add_model_errors(errors, error)
            return
        try:
            instance.clean()
        except ValidationError as error:
            self._add_model_errors(errors, error)

    def after_import_row(self, row, row_result, **kwargs):
        row_result.line = self._lines[kwargs["row_number"] - 1]
        row_result.changes = self._changes or []

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is not None:
            instance.version = (instance.version or 0) + 1
        instance.updated_at = timezone.now()  # bulk_update does not touch auto_now fields

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        # The preview has checked every rule already; only the confirm writes.
        if self.create_instances and not dry_run:
            try:
                bulk_create_with_history(
                    self.create_instances, self._meta.model, batch_size=batch_size or CHUNK,
                    default_user=self.user, default_change_reason=str(CHANGE_REASON),
                )
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
        self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.update_instances and not dry_run:
            try:
                bulk_update_with_history(
                    self.update_instances, self._meta.model, self.bulk_update_fields(), batch_size=batch_size or CHUNK,
                    default_user=self.user, default_change_reason=str(CHANGE_REASON),
                )
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
        self.update_instances.clear()

    def bulk_update_fields(self):
        return [field.attribute for field in self._present if field.attribute not in self.key_attributes] + [
            "version", "updated_at",
        ]

    def handle_import_error(self, result, error, raise_errors=False):
        # The user sees a sentence; the details go to the log.
        logger.exception("import failed", exc_info=error)
        if not isinstance(error, ImportFileError):
            error = ImportFileError(
                _("Không ghi được dữ liệu: cơ sở dữ liệu từ chối (có thể có người vừa sửa cùng lúc). "
                  "Không dòng nào được ghi; hãy nhập lại tệp.")
            )
        # After one database error every later batch fails too: say it once.
        if result is not None and any(str(known.error) == str(error) for known in result.base_errors):
            return
        super().handle_import_error(result, error, raise_errors)

    def after_import(self, dataset, result, **kwargs):
        pass  # ids are never imported, so no sequence needs resetting

    # --- export -----------------------------------------------------------

    def filter_export(self, queryset, **kwargs):
        # Whatever the caller passed, only rows the user may see leave the building.
        return queryset.filter(pk__in=self.get_queryset().values("pk"))

    def after_export(self, queryset, dataset, **kwargs):
        dataset.title = self.sheet_title


def import_errors(result) -> list[str]:
    """Every problem of an import as one line each, as the import page lists them."""
    lines = [str(error.error) for error in result.base_errors]
    for invalid in result.invalid_rows:
        for column, messages in invalid.error_dict.items():
            for message in messages:
                lines.append(_("Dòng %(line)s, cột %(column)s: %(message)s") % {"line": invalid.number, "column": column, "message": message})
    for error_row in result.error_rows:
        lines.append(_("Dòng %(line)s: lỗi không đọc được dòng này.") % {"line": error_row.number})
    return lines


# --- classes -----------------------------------------------------------------

COUNT_ATTRIBUTES = ("learners", "completed", "excellent", "good", "fair", "average", "failed")


class TrainingClassResource(SpreadsheetResource):
    """The class file: the columns of CONTRACTS.md, in that order."""

    code = Field(attribute="code", column_name="Mã lớp", widget=TextWidget(max_length=50, kind="code"))
    name = Field(attribute="name", column_name="Tên lớp", widget=TextWidget(max_length=300))
    programme = Field(attribute="programme", column_name="Mã chương trình", widget=CodeOrNameWidget(gettext_lazy("chương trình")))
    unit = Field(attribute="unit", column_name="Mã đơn vị", widget=CodeOrNameWidget(gettext_lazy("đơn vị"), date_column="Ngày khai giảng"))
    centre = Field(
        attribute="centre", column_name="Mã trung tâm", widget=CodeOrNameWidget(gettext_lazy("trung tâm"), date_column="Ngày khai giảng"),
    )
    venue = Field(attribute="venue", column_name="Hình thức", widget=ChoiceWidget(TrainingClass.Venue))
    start_date = Field(attribute="start_date", column_name="Ngày khai giảng", widget=DateWidget())
    end_date = Field(attribute="end_date", column_name="Ngày bế giảng", widget=DateWidget())
    learners = Field(attribute="learners", column_name="Số học viên", widget=CountWidget())
    completed = Field(attribute="completed", column_name="Số hoàn thành", widget=CountWidget())
    excellent = Field(attribute="excellent", column_name="Xuất sắc", widget=CountWidget())
    good = Field(attribute="good", column_name="Giỏi", widget=CountWidget())
    fair = Field(attribute="fair", column_name="Khá", widget=CountWidget())
    average = Field(attribute="average", column_name="Trung bình", widget=CountWidget())
    failed = Field(attribute="failed", column_name="Không đạt", widget=CountWidget())
    notes = Field(attribute="notes", column_name="Ghi chú", widget=TextWidget(kind="lines"))

    required = ("code", "name", "programme", "unit", "start_date", "learners")
    blank_values = {
        "venue": TrainingClass.Venue.CENTRE, "end_date": None, "notes": "", "centre": None,
        **{attribute: 0 for attribute in COUNT_ATTRIBUTES},
    }
    aliases = {
        "code": ("ma lop hoc",),
        "name": ("ten lop hoc",),
        "programme": ("chuong trinh", "ten chuong trinh"),
        "unit": ("don vi", "ten don vi", "ma huyen", "huyen"),
        "centre": ("trung tam", "ten trung tam"),
        "venue": ("hinh thuc to chuc", "hinh thuc hoc"),
        "start_date": ("ngay bat dau", "ngay mo lop"),
        "end_date": ("ngay ket thuc",),
        "learners": ("hoc vien", "so hv", "tong so hoc vien"),
        "completed": ("hoan thanh", "so hv hoan thanh"),
        "failed": ("khong dat yeu cau",),
    }
    key_attributes = ("code",)
    derived_attributes = ("year",)
    sheet_title = "Lớp"

    class Meta:
        model = TrainingClass
        fields = (
            "code", "name", "programme", "unit", "centre", "venue", "start_date", "end_date",
            *COUNT_ATTRIBUTES, "notes",
        )
        import_order = export_order = fields
        import_id_fields = ("code",)
        instance_loader_class = _PrefetchedLoader
        use_bulk = True
        batch_size = CHUNK
        skip_diff = True
        report_skipped = True
        name = "Lớp"

    def get_queryset(self):
        return selectors.classes_visible_to(self.user).select_related("programme", "unit", "centre")

    def check_user(self):
        if selectors.visible_unit_ids(self.user) == []:
            raise ImportFileError(_("Tài khoản của bạn chưa được gắn đơn vị hay vai trò nên không nhập được số liệu."))

    def load(self, dataset):
        self.fields["programme"].widget.load(Programme.objects.all(), Programme.objects.all())
        units = list(selectors.units_visible_to(self.user))
        self.fields["unit"].widget.load(units, AdministrativeUnit.objects.all())
        centres = list(selectors.centres_visible_to(self.user))
        self.fields["centre"].widget.load(centres, TrainingCentre.objects.all())
        # The default centre, as services.class_save picks it: the unit's own centre in force on the start date.
        self._own_centres = {}
        for centre in sorted(centres, key=lambda centre: centre.code):
            if centre.kind in selectors.OWN_CENTRE_KINDS and centre.unit_id:
                self._own_centres.setdefault(centre.unit_id, []).append(centre)
        codes = {key[0] for key in self.row_keys(dataset) if key}
        queryset = self.get_queryset()
        if not self._dry_run:
            queryset = queryset.select_for_update(of=("self",))
        self._existing = {}
        for chunk in _chunks(codes):
            for training_class in queryset.filter(code__in=chunk):
                self._existing[(training_class.code,)] = training_class
        self._stored_place = {obj.pk: (obj.unit_id, obj.year) for obj in self._existing.values()}
        self._codes_elsewhere = selectors.class_codes_outside_scope(self.user, codes - {key[0] for key in self._existing})
        self._writable = services.unit_year_write_checker(user=self.user)

    def row_checks(self, instance, errors):
        if instance.code in self._codes_elsewhere:
            errors.setdefault(self.column("code"), []).append(
                _("Mã lớp “%(code)s” đã là mã một lớp của đơn vị khác; không được ghi đè.") % {"code": instance.code}
            )
        if instance.centre_id is None and instance.unit_id is not None and self.column("unit") not in errors:
            day = instance.start_date
            centre = next(
                (c for c in self._own_centres.get(instance.unit_id, []) if day is None or c.is_valid_on(day)), None
            )
            # A unit not in force on that day has no centre either: its own check names who took over.
            if centre is None and (day is None or instance.unit.is_valid_on(day)):
                errors.setdefault(self.column("centre"), []).append(
                    _("Đơn vị %(unit)s chưa có trung tâm chính trị; hãy ghi mã trung tâm.") % {"unit": instance.unit.name}
                )
            elif centre is not None:
                instance.centre = centre

    def model_checks(self, instance, errors):
        super().model_checks(instance, errors)
        if errors:
            return
        # The same rights and locks as services.class_check_writable: where the class was, and where it goes.
        if instance.pk in self._stored_place:
            unit_id, year = self._stored_place[instance.pk]
            problem = self._writable(unit_id, year)
            if problem:
                errors.setdefault(self.column("code"), []).append(problem)
        problem = self._writable(instance.unit_id, instance.start_date.year)
        if problem:
            errors.setdefault(self.column("start_date"), []).append(problem)

    def _add_model_errors(self, errors, error):
        # The model files the results-over-completed rule under "failed"; name all five columns.
        for attribute, messages in error.message_dict.items():
            if attribute == "failed":
                column = _("Kết quả (Xuất sắc, Giỏi, Khá, Trung bình, Không đạt)")
            elif attribute == "year":
                column = self.column("start_date")
            elif attribute == NON_FIELD_ERRORS:
                column = _("Dòng")
            else:
                column = self.column(attribute)
            errors.setdefault(column, []).extend(messages)

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        if instance.pk is None:
            instance.created_by = self.user
        instance.updated_by = self.user

    def bulk_update_fields(self):
        # The default centre may be filled in even when the file has no centre column.
        return list(dict.fromkeys([*super().bulk_update_fields(), "centre", "year", "updated_by"]))


# --- commendations -----------------------------------------------------------


class CommendationResource(SpreadsheetResource):
    """Commendations, written by the board only; rows are matched on decision number and recipient."""

    year = Field(attribute="year", column_name="Năm", widget=YearWidget())
    form = Field(attribute="form", column_name="Hình thức khen thưởng", widget=ChoiceWidget(Commendation.Form))
    recipient_kind = Field(attribute="recipient_kind", column_name="Đối tượng", widget=ChoiceWidget(Commendation.RecipientKind))
    recipient = Field(attribute="recipient", column_name="Tên tập thể / cá nhân", widget=TextWidget(max_length=300))
    unit = Field(attribute="unit", column_name="Mã đơn vị", widget=CodeOrNameWidget(gettext_lazy("đơn vị")))
    centre = Field(attribute="centre", column_name="Mã trung tâm", widget=CodeOrNameWidget(gettext_lazy("trung tâm")))
    decision_number = Field(attribute="decision_number", column_name="Số quyết định", widget=TextWidget(max_length=64))
    decision_date = Field(attribute="decision_date", column_name="Ngày quyết định", widget=DateWidget())
    issuer = Field(attribute="issuer", column_name="Cơ quan ban hành", widget=TextWidget(max_length=200))
    achievement = Field(attribute="achievement", column_name="Thành tích", widget=TextWidget(kind="lines"))

    required = ("year", "recipient", "decision_number", "decision_date")
    blank_values = {
        "form": Commendation.Form.BOARD_CERTIFICATE,
        "recipient_kind": Commendation.RecipientKind.COLLECTIVE,
        "issuer": Commendation._meta.get_field("issuer").default,
        "achievement": "", "unit": None, "centre": None,
    }
    aliases = {
        "form": ("hinh thuc",),
        "recipient": ("ten tap the ca nhan", "tap the ca nhan", "ten", "nguoi duoc khen"),
        "decision_number": ("so qd",),
        "decision_date": ("ngay qd",),
    }
    key_attributes = ("decision_number", "recipient")
    sheet_title = "Khen thưởng"

    class Meta:
        model = Commendation
        fields = (
            "year", "form", "recipient_kind", "recipient", "unit", "centre",
            "decision_number", "decision_date", "issuer", "achievement",
        )
        import_order = export_order = fields
        import_id_fields = ("decision_number", "recipient")
        instance_loader_class = _PrefetchedLoader
        use_bulk = True
        batch_size = CHUNK
        skip_diff = True
        report_skipped = True
        name = "Khen thưởng"

    def get_queryset(self):
        return selectors.commendations_visible_to(self.user).select_related("unit", "centre")

    def check_user(self):
        try:
            services.commendation_check_writable(user=self.user)
        except PermissionDenied as error:
            raise ImportFileError(str(error)) from None

    def load(self, dataset):
        self.fields["unit"].widget.load(selectors.units_visible_to(self.user), AdministrativeUnit.objects.all())
        self.fields["centre"].widget.load(selectors.centres_visible_to(self.user), TrainingCentre.objects.all())
        numbers = {key[0] for key in self.row_keys(dataset) if key}
        queryset = self.get_queryset()
        if not self._dry_run:
            queryset = queryset.select_for_update(of=("self",))
        self._existing = {}
        for chunk in _chunks(numbers):
            for commendation in queryset.filter(decision_number__in=chunk):
                self._existing[(commendation.decision_number, commendation.recipient)] = commendation


# --- the blank template ------------------------------------------------------

TEMPLATE_ROWS = 5000  # rows given drop-down lists; more can be typed below


def _text_cell(cell, value):
    """Stored names as a text cell: openpyxl would make '=...' a formula and refuse control characters."""
    cell.value = for_export(value)
    if isinstance(value, str):
        cell.data_type = "s"


def class_import_template(user) -> bytes:
    """A blank class file: the header, one example row, and a second sheet of the
    codes this user may use, offered as drop-down lists on the code columns."""
    fields = TrainingClassResource(user=user).get_import_fields()
    headers = [str(field.column_name) for field in fields]
    programmes = list(Programme.objects.all())
    units = list(selectors.units_visible_to(user))
    centres = list(selectors.centres_visible_to(user).order_by("code"))
    venues = [str(label) for label in TrainingClass.Venue.labels]

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Lớp"
    sheet.append(headers)
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    for index, field in enumerate(fields, 1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        if field.attribute in TrainingClassResource.required:
            cell.fill = required_fill
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(headers[index - 1]) + 4)
    unit = units[0] if units else None
    centre = next((c for c in centres if unit and c.unit_id == unit.pk), centres[0] if centres else None)
    example = {
        "code": f"{unit.code if unit else 'MA'}-2024-001", "name": _("Lớp bồi dưỡng nhận thức về Đảng khóa 1 (dòng ví dụ, hãy sửa hoặc xóa)"),
        "programme": programmes[0].code if programmes else "", "unit": unit.code if unit else "",
        "centre": centre.code if centre else "", "venue": venues[0],
        "start_date": datetime.date(2024, 3, 5), "end_date": datetime.date(2024, 3, 9),
        "learners": 120, "completed": 118, "excellent": 10, "good": 50, "fair": 50, "average": 8, "failed": 0, "notes": "",
    }
    sheet.append([example[field.attribute] for field in fields])
    for index, field in enumerate(fields, 1):
        if field.attribute in ("start_date", "end_date"):
            sheet.cell(row=2, column=index).number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "A2"

    lists = workbook.create_sheet("Danh mục")
    columns = [
        (_("Mã chương trình"), _("Tên chương trình"), [(p.code, p.name) for p in programmes], "programme"),
        (_("Mã đơn vị"), _("Tên đơn vị"), [(u.code, u.name) for u in units], "unit"),
        (_("Mã trung tâm"), _("Tên trung tâm"), [(c.code, c.name) for c in centres], "centre"),
        (_("Hình thức"), "", [(label, "") for label in venues], "venue"),
    ]
    position = {field.attribute: get_column_letter(index) for index, field in enumerate(fields, 1)}
    for number, (code_title, name_title, rows, attribute) in enumerate(columns):
        code_column, name_column = 3 * number + 1, 3 * number + 2
        lists.cell(row=1, column=code_column, value=str(code_title)).font = Font(bold=True)
        lists.cell(row=1, column=name_column, value=str(name_title)).font = Font(bold=True)
        lists.column_dimensions[get_column_letter(code_column)].width = 16
        lists.column_dimensions[get_column_letter(name_column)].width = 50
        for row_number, (code, name) in enumerate(rows, 2):
            _text_cell(lists.cell(row=row_number, column=code_column), code)
            _text_cell(lists.cell(row=row_number, column=name_column), name)
        letter = get_column_letter(code_column)
        validation = DataValidation(
            type="list", formula1=f"='Danh mục'!${letter}$2:${letter}${max(2, len(rows) + 1)}", allow_blank=True,
            # A warning, not a refusal: a name typed instead of a code is accepted on import.
            errorStyle="warning", showErrorMessage=True,
            errorTitle=_("Không có trong danh mục"), error=_("Giá trị này không có trong sheet “Danh mục”."),
        )
        validation.add(f"{position[attribute]}2:{position[attribute]}{TEMPLATE_ROWS + 1}")
        sheet.add_data_validation(validation)
    counts = DataValidation(
        type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True, showErrorMessage=True,
        errorTitle=_("Số không hợp lệ"), error=_("Nhập số nguyên từ 0 trở lên."),
    )
    counts.add(f"{position['learners']}2:{position['failed']}{TEMPLATE_ROWS + 1}")
    sheet.add_data_validation(counts)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
