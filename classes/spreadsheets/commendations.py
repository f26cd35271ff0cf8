"""The commendation file (board only)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy
from import_export.fields import Field

from classes import access
from classes.models import AdministrativeUnit, Commendation, TrainingCentre
from classes.spreadsheets.base import (
    SpreadsheetMeta,
    SpreadsheetResource,
    _chunks,
)
from classes.spreadsheets.files import ImportFileError
from classes.spreadsheets.widgets import (
    ChoiceWidget,
    CodeOrNameWidget,
    DateWidget,
    TextWidget,
    YearWidget,
)
from classes.text import error_text


class CommendationResource(SpreadsheetResource):
    """Commendations, written by the board only; rows are matched on decision number and recipient."""

    year = Field(attribute="year", column_name="Năm", widget=YearWidget())
    form = Field(attribute="form", column_name="Hình thức khen thưởng", widget=ChoiceWidget(Commendation.Form))
    recipient_kind = Field(
        attribute="recipient_kind", column_name="Đối tượng", widget=ChoiceWidget(Commendation.RecipientKind)
    )
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
        "achievement": "",
        "unit": None,
        "centre": None,
    }
    aliases = {
        "form": ("hinh thuc",),
        "recipient": ("ten tap the ca nhan", "tap the ca nhan", "ten", "nguoi duoc khen"),
        "decision_number": ("so qd",),
        "decision_date": ("ngay qd",),
    }
    key_attributes = ("decision_number", "recipient")
    sheet_title = "Khen thưởng"

    class Meta(SpreadsheetMeta):
        model = Commendation
        fields = (
            "year",
            "form",
            "recipient_kind",
            "recipient",
            "unit",
            "centre",
            "decision_number",
            "decision_date",
            "issuer",
            "achievement",
        )
        import_order = export_order = fields
        import_id_fields = ("decision_number", "recipient")
        name = "Khen thưởng"

    def get_queryset(self):
        return access.commendations_visible_to(self.user).select_related("unit", "centre")

    def check_user(self):
        try:
            access.commendation_check_writable(user=self.user)
        except (PermissionDenied, ValidationError) as error:
            raise ImportFileError(error_text(error)) from None

    def load(self, dataset):
        self.fields["unit"].widget.load(access.units_visible_to(self.user), AdministrativeUnit.objects.all())
        self.fields["centre"].widget.load(access.centres_visible_to(self.user), TrainingCentre.objects.all())
        numbers = {key[0] for key in self.row_keys(dataset) if key}
        queryset = self.get_queryset()
        if not self._dry_run:
            queryset = queryset.select_for_update(of=("self",))
        self._existing = {}
        for chunk in _chunks(numbers):
            for commendation in queryset.filter(decision_number__in=chunk):
                self._existing[(commendation.decision_number, commendation.recipient)] = commendation
