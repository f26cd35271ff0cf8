"""Random values posted to every admin add and change form, the class list edit and
every admin action, as the board and as district staff: huge and negative numbers,
digits of other scripts, control characters, far dates, empty fields. The answer is
a page with reasons, a refusal or a save, never a server error, and a refused post
writes nothing."""

import datetime

import pytest
from django.contrib import admin
from django.forms.models import model_to_dict
from django.test import Client, RequestFactory
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from classes import services
from classes.models import (
    MAX_COUNT,
    AdministrativeUnit,
    AnnualPlan,
    BoardName,
    CentreAssessment,
    Commendation,
    LearningNeedsSurvey,
    Programme,
    ReportingPeriod,
    StandardCriterion,
    TrainingCentre,
    TrainingClass,
)
from tests.factories import PASSWORD, make_class

# Few examples per form (the role drawn at random), so that the whole file costs about
# two minutes per database; each admin page is a full render.
FUZZ = settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    # No shrinking or explaining: a failure is reported as found, not traced for minutes.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

control = st.text(st.sampled_from("\x00\x01\x0b\x0c\x1b\x7f\u200b\u2028a "), min_size=1, max_size=6)
text = st.one_of(st.text(st.characters(exclude_categories=("Cs",)), max_size=40), control)
numbers = st.one_of(
    st.sampled_from(
        [str(2**63 - 1), str(2**31), str(MAX_COUNT + 1), "-1", "-0", "٣", "１２", "६०", "1.234", "1,5", "1e9", "²"]
    ),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)
dates = st.one_of(
    st.sampled_from(["01/01/0001", "31/12/9999", "31/12/1944", "01/01/2101", "29/02/2023", "٠١/٠١/٢٠٢٣"]),
    st.dates().map(lambda day: day.strftime("%d/%m/%Y")),
)
junk = st.one_of(text, numbers, dates, st.just(""))

ADMINS = {model._meta.label: model_admin for model, model_admin in admin.site._registry.items()}
LABELS = sorted(label for label in ADMINS if label.startswith("classes."))
ROLES = ["province_user", "district_user"]


def url_of(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def snapshot(model):
    """Every stored row and history row of the model, to tell that nothing was written."""
    history = getattr(model, "history", None)
    rows = sorted(
        (row.pk, tuple(sorted(model_to_dict(row).items(), key=lambda item: item[0]))) for row in model.objects.all()
    )
    return repr(rows), history.count() if history is not None else 0


def assert_answered(response, allowed=(200, 302, 403, 404)):
    assert response.status_code in allowed, response.status_code
    assert "Traceback" not in response.content.decode(errors="replace")


def form_values(draw, form):
    values = {}
    for name, field in form.fields.items():
        choices = [str(value) for value, _label in getattr(field, "choices", []) if value not in ("", None)]
        values[name] = draw(st.one_of(st.sampled_from(choices), junk) if choices else junk)
    return values


def request_of(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def sample_rows(province_user):
    """One stored row of every model the admin edits, all in Can Lộc (unit 443)."""
    can_loc = AdministrativeUnit.objects.get(code="443")
    programme = Programme.objects.get(code="NTD")
    centre = TrainingCentre.objects.get(code="TTCT-443")
    assessment = CentreAssessment.objects.create(centre=centre, year=2023, assessed_on=datetime.date(2023, 12, 1))
    return {
        "classes.AdministrativeUnit": can_loc,
        "classes.TrainingCentre": centre,
        "classes.Programme": programme,
        "classes.TrainingClass": make_class("FZ-2023-01", "443"),
        "classes.Commendation": Commendation.objects.create(
            year=2023,
            recipient="Huyện ủy Can Lộc",
            unit=can_loc,
            decision_number="1-QĐ",
            decision_date=datetime.date(2023, 5, 1),
        ),
        "classes.YearLock": services.year_lock(user=province_user, year=2019, unit=can_loc),
        "classes.AnnualPlan": AnnualPlan.objects.create(
            year=2023,
            unit=can_loc,
            programme=programme,
            planned_classes=2,
            planned_learners=100,
        ),
        "classes.LearningNeedsSurvey": LearningNeedsSurvey.objects.create(
            year=2023,
            unit=can_loc,
            programme=programme,
            people_needing=80,
            survey_date=datetime.date(2022, 11, 1),
        ),
        "classes.StandardCriterion": StandardCriterion.objects.first(),
        "classes.ReportingPeriod": ReportingPeriod.objects.create(year=2023),
        "classes.CentreAssessment": assessment,
        "classes.UnitReport": services.unit_report_submit(
            user=province_user, unit=can_loc, year=2022, note="Năm thử chưa nhập lớp"
        ),
        "classes.BoardName": BoardName.objects.order_by("valid_from").first(),
        "classes.User": services.user_save(username="fz-target", role="district", unit=can_loc, password=PASSWORD),
    }


@pytest.fixture
def rows(province_user, district_user):
    return sample_rows(province_user)


@pytest.mark.parametrize("label", LABELS)
@FUZZ
@given(data=st.data())
def test_random_values_on_every_add_form_are_answered_and_a_refusal_writes_nothing(label, data, request, rows):
    model_admin = ADMINS[label]
    model = model_admin.model
    user = request.getfixturevalue(data.draw(st.sampled_from(ROLES)))
    client = Client()
    client.force_login(user)
    if not model_admin.has_add_permission(request_of(user)):
        values = {"year": data.draw(junk)}
    else:
        values = form_values(data.draw, model_admin.get_form(request_of(user))())
    before = snapshot(model)
    response = client.post(url_of(model, "add"), values)
    assert_answered(response)
    if response.status_code == 302:
        model.objects.order_by("-pk").first().full_clean()  # whatever got through is a valid row
    else:
        assert snapshot(model) == before


@pytest.mark.parametrize("label", LABELS)
@FUZZ
@given(data=st.data())
def test_random_values_on_every_change_form_are_answered_and_a_refusal_writes_nothing(label, data, request, rows):
    model_admin = ADMINS[label]
    model = model_admin.model
    user = request.getfixturevalue(data.draw(st.sampled_from(ROLES)))
    row = model.objects.filter(pk=rows[label].pk).first()
    if row is None:  # a previous example deleted or renamed nothing: rows are changed, not removed
        return
    client = Client()
    client.force_login(user)
    form = model_admin.get_form(request_of(user), row, change=True)(instance=row)
    values = form_values(data.draw, form)
    if "expected_version" in form.fields:
        values["expected_version"] = data.draw(st.one_of(st.just(str(row.version)), junk))
    before = snapshot(model)
    response = client.post(url_of(model, "change", row.pk), values)
    assert_answered(response)
    if response.status_code == 302 and snapshot(model) != before:
        model.objects.get(pk=row.pk).full_clean()
    elif response.status_code != 302:
        assert snapshot(model) == before


@settings(FUZZ, max_examples=12)
@given(data=st.data())
def test_random_values_in_the_class_list_edit_are_answered_and_a_refusal_writes_nothing(data, request, rows):
    user = request.getfixturevalue(data.draw(st.sampled_from(ROLES)))
    training_class = rows["classes.TrainingClass"]
    client = Client()
    client.force_login(user)
    stored = TrainingClass.objects.get(pk=training_class.pk)
    before = snapshot(TrainingClass)
    response = client.post(
        url_of(TrainingClass, "changelist"),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-id": data.draw(st.one_of(st.just(str(stored.pk)), junk)),
            "form-0-expected_version": data.draw(st.one_of(st.just(str(stored.version)), junk)),
            "form-0-learners": data.draw(st.one_of(numbers, junk)),
            "form-0-completed": data.draw(st.one_of(numbers, junk)),
            "_save": "Lưu",
        },
    )
    assert_answered(response)
    if response.status_code == 302 and snapshot(TrainingClass) != before:
        TrainingClass.objects.get(pk=stored.pk).full_clean()
    elif response.status_code != 302:
        assert snapshot(TrainingClass) == before


@pytest.mark.parametrize("label", LABELS)
@FUZZ
@given(data=st.data())
def test_every_admin_action_on_a_random_selection_is_answered_whole_or_not_at_all(label, data, request, rows):
    model_admin = ADMINS[label]
    model = model_admin.model
    user = request.getfixturevalue(data.draw(st.sampled_from(ROLES)))
    actions = sorted(model_admin.get_actions(request_of(user)))
    client = Client()
    client.force_login(user)
    pks = [str(pk) for pk in model.objects.values_list("pk", flat=True)]
    # Rows named by position, so that what is drawn does not depend on what earlier examples deleted.
    picks = data.draw(st.lists(st.one_of(st.integers(min_value=0, max_value=3), junk), max_size=3))
    selection = [pks[pick % len(pks)] if isinstance(pick, int) and pks else str(pick) for pick in picks]
    before = snapshot(model)
    response = client.post(
        url_of(model, "changelist"),
        {
            "action": data.draw(st.one_of(st.sampled_from(actions), junk)) if actions else data.draw(junk),
            "_selected_action": selection,
            "post": data.draw(st.sampled_from(["yes", ""])),
            "return_reason": data.draw(junk),
            "index": "0",
        },
    )
    assert_answered(response)
    chosen = {pk for pk in selection if pk in pks}
    remaining = {str(pk) for pk in model.objects.values_list("pk", flat=True)}
    # A bulk delete removes the whole selection or none of it.
    assert chosen <= remaining or not (chosen & remaining)
    if response.status_code not in (200, 302):
        assert snapshot(model) == before
