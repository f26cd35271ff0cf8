"""The class file (the columns of docs/contracts.md, in that order)."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.fields import Field

from classes import access, selectors
from classes.models import AdministrativeUnit, Programme, TrainingCentre, TrainingClass
from classes.spreadsheets import preview
from classes.spreadsheets.base import (
    SpreadsheetMeta,
    SpreadsheetResource,
    _chunks,
)
from classes.spreadsheets.files import ImportFileError
from classes.spreadsheets.widgets import (
    ChoiceWidget,
    CodeOrNameWidget,
    CountWidget,
    DateWidget,
    TextWidget,
)

COUNT_ATTRIBUTES = ("learners", "completed", "excellent", "good", "fair", "average", "failed")


class TrainingClassResource(SpreadsheetResource):
    """The class file: the columns of docs/contracts.md, in that order."""

    code = Field(attribute="code", column_name="Mã lớp", widget=TextWidget(max_length=50, kind="code"))
    name = Field(attribute="name", column_name="Tên lớp", widget=TextWidget(max_length=300))
    programme = Field(
        attribute="programme", column_name="Mã chương trình", widget=CodeOrNameWidget(gettext_lazy("chương trình"))
    )
    unit = Field(
        attribute="unit",
        column_name="Mã đơn vị",
        widget=CodeOrNameWidget(gettext_lazy("đơn vị"), date_column="Ngày khai giảng"),
    )
    centre = Field(
        attribute="centre",
        column_name="Mã trung tâm",
        widget=CodeOrNameWidget(gettext_lazy("trung tâm"), date_column="Ngày khai giảng"),
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
        "venue": TrainingClass.Venue.CENTRE,
        "end_date": None,
        "notes": "",
        "centre": None,
        **dict.fromkeys(COUNT_ATTRIBUTES, 0),
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

    class Meta(SpreadsheetMeta):
        model = TrainingClass
        fields = (
            "code",
            "name",
            "programme",
            "unit",
            "centre",
            "venue",
            "start_date",
            "end_date",
            *COUNT_ATTRIBUTES,
            "notes",
        )
        import_order = export_order = fields
        import_id_fields = ("code",)
        # The preview lists every row's values as read (preview.row_values): the row result keeps its instance.
        store_instance = True
        name = "Lớp"

    def get_queryset(self):
        return access.classes_visible_to(self.user).select_related("programme", "unit", "centre")

    def check_user(self):
        if refusal := access.write_refusal(self.user, None, None):
            raise ImportFileError(str(refusal))

    def load(self, dataset):
        self.fields["programme"].widget.load(Programme.objects.all(), Programme.objects.all())
        units = list(access.units_visible_to(self.user))
        self.fields["unit"].widget.load(units, AdministrativeUnit.objects.all())
        centres = list(access.centres_visible_to(self.user))
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
        self._stored_place = {obj.pk: (obj.unit_id, obj.year, obj.centre_id) for obj in self._existing.values()}
        self._codes_elsewhere = access.class_codes_outside_scope(self.user, codes - {key[0] for key in self._existing})
        self._refusals = access.write_refusals(self.user)
        self._centre_written = access.centre_written_by(self.user)

    def row_checks(self, instance, errors):
        if instance.code in self._codes_elsewhere:
            errors.setdefault(self.column("code"), []).append(
                _("Mã lớp “%(code)s” đã là mã một lớp của đơn vị khác; không được ghi đè.") % {"code": instance.code}
            )
        if instance.centre_id is None and self._centre_written is not None:
            instance.centre = self._centre_written
        if instance.centre_id is None and instance.unit_id is not None and self.column("unit") not in errors:
            day = instance.start_date
            centre = next(
                (c for c in self._own_centres.get(instance.unit_id, []) if day is None or c.is_valid_on(day)), None
            )
            # A unit not in force on that day has no centre either: its own check names who took over.
            if centre is None and (day is None or instance.unit.is_valid_on(day)):
                errors.setdefault(self.column("centre"), []).append(
                    _("Đơn vị %(unit)s chưa có trung tâm chính trị; hãy ghi mã trung tâm.")
                    % {"unit": instance.unit.name}
                )
            elif centre is not None:
                instance.centre = centre

    def model_checks(self, instance, errors):
        super().model_checks(instance, errors)
        if errors:
            return
        # The rule of access.write_refusal: where the class was, and where it goes.
        if instance.pk in self._stored_place and (problem := self._refusals[self._stored_place[instance.pk]]):
            errors.setdefault(self.column("code"), []).append(str(problem))
        if problem := self._refusals[(instance.unit_id, instance.start_date.year, instance.centre_id)]:
            errors.setdefault(self.column("start_date"), []).append(str(problem))

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

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        if not row_result.validation_error and row_result.import_type != row_result.IMPORT_TYPE_ERROR:
            row_result.values = preview.row_values(row_result.line, row_result.instance)

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        if instance.pk is None:
            instance.created_by = self.user
        instance.updated_by = self.user

    def bulk_update_fields(self):
        # The default centre may be filled in even when the file has no centre column.
        return list(dict.fromkeys([*super().bulk_update_fields(), "centre", "year", "updated_by"]))
