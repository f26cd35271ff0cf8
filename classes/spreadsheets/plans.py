"""Import and export of annual plans, on the same footing as the class file
(classes/resources.py): scoped lookups, Vietnamese cell errors, rights and locks
checked for the whole file, all or nothing. Rows are matched on year + unit +
programme (docs/contracts.md, Plans)."""

from django.utils.translation import gettext_lazy
from import_export.fields import Field

from classes import access
from classes.models import AdministrativeUnit, AnnualPlan, Programme
from classes.spreadsheets.base import SpreadsheetMeta, SpreadsheetResource
from classes.spreadsheets.files import ImportFileError
from classes.spreadsheets.widgets import CodeOrNameWidget, CountWidget, YearWidget


class AnnualPlanResource(SpreadsheetResource):
    year = Field(attribute="year", column_name="Năm", widget=YearWidget())
    unit = Field(
        attribute="unit", column_name="Mã đơn vị", widget=CodeOrNameWidget(gettext_lazy("đơn vị"), year_column="Năm")
    )
    programme = Field(
        attribute="programme", column_name="Mã chương trình", widget=CodeOrNameWidget(gettext_lazy("chương trình"))
    )
    planned_classes = Field(attribute="planned_classes", column_name="Số lớp kế hoạch", widget=CountWidget())
    planned_learners = Field(attribute="planned_learners", column_name="Số học viên kế hoạch", widget=CountWidget())

    required = ("year", "unit", "programme", "planned_classes", "planned_learners")
    aliases = {
        "year": ("nam ke hoach",),
        "unit": ("don vi", "ten don vi", "ma huyen", "huyen"),
        "programme": ("chuong trinh", "ten chuong trinh"),
        "planned_classes": ("so lop", "so lop ke hoach nam", "ke hoach so lop"),
        "planned_learners": ("so hoc vien", "so hv ke hoach", "ke hoach so hoc vien"),
    }
    key_attributes = ("year", "unit", "programme")
    sheet_title = "Kế hoạch"

    class Meta(SpreadsheetMeta):
        model = AnnualPlan
        fields = ("year", "unit", "programme", "planned_classes", "planned_learners")
        import_order = export_order = fields
        import_id_fields = ("year", "unit", "programme")
        name = "Kế hoạch"

    def get_queryset(self):
        return access.plans_visible_to(self.user)

    def check_user(self):
        if refusal := access.write_refusal(self.user, None, None):
            raise ImportFileError(str(refusal))

    def load(self, dataset):
        self.fields["programme"].widget.load(Programme.objects.all(), Programme.objects.all())
        self.fields["unit"].widget.load(access.units_visible_to(self.user), AdministrativeUnit.objects.all())
        years = {key[0] for key in self.row_keys(dataset) if key}
        queryset = self.get_queryset().filter(year__in=years)
        if not self._dry_run:
            queryset = queryset.select_for_update(of=("self",))
        # Keys as the widgets read them: (year, unit, programme) with the rows themselves.
        self._existing = {(plan.year, plan.unit, plan.programme): plan for plan in queryset}
        self._refusals = access.write_refusals(self.user)

    def model_checks(self, instance, errors):
        super().model_checks(instance, errors)
        if errors:
            return
        if problem := self._refusals[(instance.unit_id, instance.year)]:
            errors.setdefault(self.column("unit"), []).append(str(problem))

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        instance.updated_by = self.user
        instance.is_draft = False  # adjusted by the unit from now on

    def bulk_update_fields(self):
        return list(dict.fromkeys([*super().bulk_update_fields(), "updated_by", "is_draft"]))
