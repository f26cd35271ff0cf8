"""The import machinery every resource shares: scoped, set-based lookups and all-or-nothing bulk writes."""

import logging

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import resources
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import Error
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from classes import signals
from classes.spreadsheets.files import LINE_COLUMN, MAX_ROWS, ImportFileError, fold
from classes.text import for_export

logger = logging.getLogger(__name__)


CHUNK = 1000


CHANGE_REASON = gettext_lazy("Nhập từ tệp")


def _chunks(values, size=CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


class _PrefetchedLoader(BaseInstanceLoader):
    """Existing rows come from what the resource read, scoped, for the whole file."""

    def get_instance(self, row):
        return self.resource.existing_for_row(row)


class SpreadsheetMeta:
    """The options every import resource shares; each resource's Meta inherits it."""

    instance_loader_class = _PrefetchedLoader
    use_bulk = True
    batch_size = CHUNK
    skip_diff = True
    report_skipped = True


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
        self._years_written = set()

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
                % {
                    "rows": number_format(len(dataset), force_grouping=True),
                    "cap": number_format(MAX_ROWS, force_grouping=True),
                }
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

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=False,
        **kwargs,
    ):
        # One transaction, rolled back if any row is invalid: a file writes all or nothing.
        return super().import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=True,
            collect_failed_rows=collect_failed_rows,
            rollback_on_validation_errors=True,
            **kwargs,
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
        result = super().import_data_inner(
            dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs
        )
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
        self._changes = [
            (column, self._before[column], value) for column, value in after.items() if self._before[column] != value
        ]
        return not self._changes

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = {}
        for column, problems in (import_validation_errors or {}).items():
            for problem in problems:
                errors.setdefault(column, []).extend(
                    problem.messages if isinstance(problem, ValidationError) else [str(problem)]
                )
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
            self._years_written.update(year for row in self.create_instances for year in signals.row_years(row))
            try:
                bulk_create_with_history(
                    self.create_instances,
                    self._meta.model,
                    batch_size=batch_size or CHUNK,
                    default_user=self.user,
                    default_change_reason=str(CHANGE_REASON),
                )
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
        self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.update_instances and not dry_run:
            self._years_written.update(year for row in self.update_instances for year in signals.row_years(row))
            try:
                bulk_update_with_history(
                    self.update_instances,
                    self._meta.model,
                    self.bulk_update_fields(),
                    batch_size=batch_size or CHUNK,
                    default_user=self.user,
                    default_change_reason=str(CHANGE_REASON),
                )
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
        self.update_instances.clear()

    def bulk_update_fields(self):
        return [field.attribute for field in self._present if field.attribute not in self.key_attributes] + [
            "version",
            "updated_at",
        ]

    def handle_import_error(self, result, error, raise_errors=False):
        # The user sees a sentence; the details go to the log.
        logger.exception("import failed", exc_info=error)
        if not isinstance(error, ImportFileError):
            error = ImportFileError(
                _(
                    "Không ghi được dữ liệu: cơ sở dữ liệu từ chối (có thể có người vừa sửa cùng lúc). "
                    "Không dòng nào được ghi; hãy nhập lại tệp."
                )
            )
        # After one database error every later batch fails too: say it once.
        if result is not None and any(str(known.error) == str(error) for known in result.base_errors):
            return
        super().handle_import_error(result, error, raise_errors)

    def after_import(self, dataset, result, **kwargs):
        # Bulk writes send no model signals. Inside the import's transaction: a rollback takes it back.
        # (ids are never imported, so no sequence needs resetting.)
        if not self._dry_run and self._years_written:
            signals.years_changed(self._years_written, sender=self._meta.model)

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
                lines.append(
                    _("Dòng %(line)s, cột %(column)s: %(message)s")
                    % {"line": invalid.number, "column": column, "message": message}
                )
    for error_row in result.error_rows:
        lines.append(_("Dòng %(line)s: lỗi không đọc được dòng này.") % {"line": error_row.number})
    return lines


def _text_cell(cell, value):
    """Stored names as a text cell: openpyxl would make '=...' a formula and refuse control characters."""
    cell.value = for_export(value)
    if isinstance(value, str):
        cell.data_type = "s"
