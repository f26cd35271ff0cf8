"""The admin side of import and export: django-import-export's pages in
Vietnamese, the user handed to the resource, files read by their extension.

The resource (classes/resources.py) decides what may be written; this only
wires it into the admin.
"""

import logging

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportExportMixin
from import_export.forms import ConfirmImportForm, ExportForm, ImportForm
from import_export.results import RowResult

from classes.spreadsheets import preview
from classes.spreadsheets.base import import_errors
from classes.spreadsheets.commendations import CommendationResource
from classes.spreadsheets.files import (
    EXPORT_FORMATS,
    IMPORT_FORMATS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportFileError,
    ImportUploadStorage,
    format_for_filename,
    size_check,
)
from classes.spreadsheets.template import class_import_template
from classes.spreadsheets.training import TrainingClassResource

logger = logging.getLogger(__name__)


class ImportFileForm(ImportForm):
    """Only the file: its format follows from the extension."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.fields["import_file"].label = gettext_lazy("Tệp cần nhập")
        self.fields["import_file"].help_text = _(
            "Tệp .xlsx, .xls, .csv (UTF-8 hay Windows-1258) hoặc .txt (Unicode text của Excel), tối đa %(rows)s dòng và %(mb)s MB."
        ) % {"rows": number_format(MAX_ROWS, force_grouping=True), "mb": MAX_FILE_BYTES // 1024 // 1024}
        self.fields["import_file"].widget.attrs["accept"] = ".xlsx,.xls,.csv,.txt"
        self.fields["format"].required = False
        self.fields["format"].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        if upload is not None:
            index = format_for_filename(upload.name)
            if index is None:
                self.add_error("import_file", _("Chỉ nhận tệp .xlsx, .xls, .csv hoặc .txt (Unicode text)."))
            else:
                try:
                    size_check(upload.size)
                except ImportFileError as error:
                    self.add_error("import_file", str(error))
                cleaned["format"] = str(index)
        return cleaned


def _upload_token(user, name: str) -> str:
    """The stored upload's name signed for the user who sent it, so that
    learning the name is not enough to confirm someone else's file."""
    signature = salted_hmac("classes.import-upload", f"{user.pk}:{name}", algorithm="sha256").hexdigest()
    return f"{name}.{signature}"


class ConfirmUploadForm(ConfirmImportForm):
    """The confirm step's hidden fields, checked before any file is opened."""

    user = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["format"].required = False  # a blank one gets the message below

    def clean_format(self):
        value = self.cleaned_data["format"]
        if not (value.isascii() and value.isdigit() and int(value) < len(IMPORT_FORMATS)):
            raise forms.ValidationError(_("Định dạng tệp không hợp lệ; hãy tải tệp lên lại."))
        return value

    def clean_import_file_name(self):
        token = super().clean_import_file_name()
        name, _dot, _signature = token.rpartition(".")
        if not name or not constant_time_compare(token, _upload_token(self.user, name)):
            raise forms.ValidationError(_("Tệp này không phải do bạn tải lên; hãy tự tải tệp lên lại."))
        return name


class ExportFileForm(ExportForm):
    """Every column, always: an exported file must import back unchanged."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.fields["format"].label = gettext_lazy("Định dạng")
        self.fields["format"].choices = [
            (value, {"xlsx": "Excel (.xlsx)", "csv": "CSV (UTF-8)"}.get(label, label) if value else "---")
            for value, label in self.fields["format"].choices
        ]


class ScopedImportExportMixin(ImportExportMixin):
    import_form_class = ImportFileForm
    export_form_class = ExportFileForm
    import_template_name = "admin/classes/import.html"
    export_template_name = "admin/classes/export.html"
    tmp_storage_class = ImportUploadStorage
    template_url_name = None  # the blank template's URL name, where there is one
    export_file_stem = "du-lieu"

    def get_import_formats(self):
        return IMPORT_FORMATS

    def get_export_formats(self):
        return EXPORT_FORMATS

    def get_resource_kwargs(self, request, *args, **kwargs):
        # The resource scopes its lookups and checks rights through this user (docs/findings.md).
        return {"user": request.user}

    def get_import_context_data(self, **kwargs):
        resource = self.get_import_resource_classes(None)[0]
        columns = [
            (field.column_name, field.attribute in resource.required)
            for field in resource(user=None).get_import_fields()
        ]
        template_url = reverse(f"admin:{self.template_url_name}") if self.template_url_name else None
        return {"columns": columns, "template_url": template_url, "max_rows": MAX_ROWS}

    def get_export_context_data(self, **kwargs):
        return {"template_url": None}

    def add_data_read_fail_error_to_form(self, form, error):
        if not isinstance(error, ImportFileError):
            logger.warning("unreadable import file", exc_info=error)
            error = _("Không đọc được tệp. Hãy kiểm tra tệp là .xlsx, .xls hoặc .csv và mở được bằng Excel.")
        form.add_error("import_file", str(error))

    def get_confirm_form_class(self, request):
        return type("ConfirmUploadForm", (ConfirmUploadForm,), {"user": request.user})

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if initial:
            initial["import_file_name"] = _upload_token(request.user, initial["import_file_name"])
        return initial

    def process_import(self, request, **kwargs):
        import_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
        if request.method == "POST" and self.has_import_permission(request):
            confirm_form = self.create_confirm_form(request)
            if not confirm_form.is_valid():
                for errors in confirm_form.errors.values():
                    for error in errors:
                        messages.error(request, error)
                return HttpResponseRedirect(import_url)
        try:
            return super().process_import(request, **kwargs)
        except FileNotFoundError:
            # A second click on "confirm", or a preview older than the storage keeps files.
            messages.error(request, _("Tệp này đã được nhập hoặc đã hết hạn; hãy tải tệp lên lại."))
            return HttpResponseRedirect(import_url)

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # The data changed between preview and confirm (a lock, another user): nothing was written.
            messages.error(request, _("Chưa ghi gì: tệp có lỗi khi xác nhận. Hãy xem danh sách lỗi và nhập lại."))
            context = self.admin_site.each_context(request)
            context.update(self.get_import_context_data())
            context.update(
                {
                    "title": _("Nhập từ tệp"),
                    "opts": self.model._meta,
                    "result": result,
                    "errors_list": import_errors(result),
                    "form": self.get_import_form_class(request)(
                        self.get_import_formats(), self.get_import_resource_classes(request)
                    ),
                }
            )
            return TemplateResponse(request, [self.import_template_name], context)
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        messages.success(
            request,
            _("Đã nhập xong: %(new)s mới, %(update)s thay đổi, %(skip)s không đổi.")
            % {
                "new": number_format(result.totals[RowResult.IMPORT_TYPE_NEW], force_grouping=True),
                "update": number_format(result.totals[RowResult.IMPORT_TYPE_UPDATE], force_grouping=True),
                "skip": number_format(result.totals[RowResult.IMPORT_TYPE_SKIP], force_grouping=True),
            },
        )

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        if isinstance(response, TemplateResponse) and response.context_data.get("result") is not None:
            result = response.context_data["result"]
            response.context_data["errors_list"] = import_errors(result)
            values = [row.values for row in result.rows if getattr(row, "values", None)]
            response.context_data["preview_rows"] = values
            response.context_data["preview_warnings"] = preview.file_warnings(values) if values else []
        return response

    def get_export_filename(self, request, queryset, file_format):
        return f"{self.export_file_stem}-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"


class ClassImportExportMixin(ScopedImportExportMixin):
    """Classes: the contract's columns, and a blank template with drop-down lists."""

    template_url_name = "classes_trainingclass_import_template"
    export_file_stem = "lop"
    # Keep the class list's own template (its totals line) under the import/export buttons.
    change_list_template = "admin/classes/trainingclass/change_list.html"

    def get_resource_classes(self, request):
        return [TrainingClassResource]

    def get_urls(self):
        return [
            path(
                "import/template.xlsx",
                self.admin_site.admin_view(self.import_template_view),
                name=self.template_url_name,
            ),
            *super().get_urls(),
        ]

    def import_template_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        response = HttpResponse(
            class_import_template(request.user),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="mau-nhap-lop.xlsx"'
        return response


class CommendationImportExportMixin(ScopedImportExportMixin):
    export_file_stem = "khen-thuong"

    def get_resource_classes(self, request):
        return [CommendationResource]
