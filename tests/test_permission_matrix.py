"""The permission matrix, generated: every URL of every model admin in
admin.site._registry, every URL of the `reports` namespace and every /api/ URL,
walked by each role over rows of two units carrying distinctive marks.

A model registered later, or a report URL added later, is walked without a new
test. Expected answers come from the permission table in classes/roles.py (what
each role is meant to have), not from the admin classes under test; whatever
the code answers, a district user's response never holds another unit's data.
"""

import datetime
import decimal
import html
import io
import json
import re
import zipfile

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.db import models
from django.forms.models import model_to_dict
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from classes import access, services
from classes.models import (
    AdministrativeUnit,
    Commendation,
    Programme,
    TrainingCentre,
    TrainingClass,
    User,
    YearLock,
)
from classes.roles import PERMISSIONS
from tests.factories import PASSWORD, make_class

ROLES = ["anonymous", "district", "other_district", "commune", "centre", "province", "admin"]
ROLE_NAMES = {
    "district": "district",
    "other_district": "district",
    "commune": "district",
    "centre": "centre",
    "province": "province",
    "admin": "admin",
}
OWN, OTHER = "443", "440"
MARKS = {OWN: "MARKCANLOC", OTHER: "MARKDUCTHO", None: "MARKSHARED"}
# Figures no page shows by chance: a total holding another unit's class shows them.
LEARNERS = {OWN: (6143, 6001), OTHER: (7193, 7001)}


def grouped(number):
    return f"{number:,}".replace(",", ".")


SAMPLE_YEAR = 2023  # the classes' year; generated rows of other models use GENERIC_YEAR
GENERIC_YEAR = 2021


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Dozens of accounts per run; the hash strength is not under test here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def registered_admins():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


# --- sample rows ----------------------------------------------------------------------------


def unit_code_of(obj):
    """Which unit a row belongs to: None for shared rows (programmes, groups...)."""
    if isinstance(obj, AdministrativeUnit):
        return obj.code
    names = {field.name for field in obj._meta.concrete_fields}
    if "unit" in names and obj._meta.get_field("unit").related_model is AdministrativeUnit:
        return obj.unit.code if obj.unit_id else None
    if "centre" in names and obj._meta.get_field("centre").related_model is TrainingCentre:
        return obj.centre.unit.code if obj.centre_id and obj.centre.unit_id else None
    return None


def is_unit_scoped(model):
    return model is AdministrativeUnit or any(
        isinstance(field, models.ForeignKey)
        and field.name in ("unit", "centre")
        and field.related_model in (AdministrativeUnit, TrainingCentre)
        for field in model._meta.concrete_fields
    )


def build_generic(model, unit_code):
    """A row of any model: marks in its text fields, the unit and its centre in
    its foreign keys, the first row of anything else (made if missing)."""
    mark = MARKS[unit_code]
    unit = AdministrativeUnit.objects.get(code=unit_code) if unit_code else None
    values = {}
    for field in model._meta.concrete_fields:
        if (
            field.primary_key
            or field.auto_created
            or getattr(field, "auto_now", False)
            or getattr(field, "auto_now_add", False)
        ):
            continue
        if isinstance(field, models.ForeignKey):
            related = field.related_model
            if related is AdministrativeUnit and unit is not None:
                values[field.name] = unit
            elif related is TrainingCentre and unit is not None:
                values[field.name] = TrainingCentre.objects.get(code=f"TTCT-{unit_code}")
            elif not field.null:
                values[field.name] = related._default_manager.first() or build_generic(related, None)
            continue
        if field.choices:
            if not field.has_default():
                values[field.name] = field.choices[0][0]
        elif isinstance(field, (models.CharField, models.TextField)):
            if field.editable and not isinstance(field, (models.EmailField, models.URLField, models.SlugField)):
                values[field.name] = f"{mark} {model._meta.model_name} {field.name}"[: field.max_length or 200]
        elif field.has_default() or field.null:
            continue
        elif isinstance(field, (models.DateTimeField,)):
            values[field.name] = timezone.now()
        elif isinstance(field, models.DateField):
            values[field.name] = datetime.date(GENERIC_YEAR, 3, 6)
        elif isinstance(field, models.IntegerField):
            values[field.name] = GENERIC_YEAR if "year" in field.name else 1
        elif isinstance(field, (models.DecimalField, models.FloatField)):
            values[field.name] = decimal.Decimal("1")
        elif isinstance(field, models.BooleanField):
            values[field.name] = False
    return model._default_manager.create(**values)


@pytest.fixture
def commune_user(db):
    """Unit staff of a commune formed on 1/7/2025: none of the sample rows is theirs."""
    return services.user_save(
        username="dv18406", role="district", unit=AdministrativeUnit.objects.get(code="18406"), password=PASSWORD
    )


@pytest.fixture
def centre_user(db):
    """The provincial school's staff: none of the sample classes is their centre's."""
    return services.user_save(
        username="truongtinh", role="centre", centre=TrainingCentre.objects.get(code="TCT-HT"), password=PASSWORD
    )


@pytest.fixture
def world(district_user, other_district_user, commune_user, centre_user, province_user, admin_role_user):
    """rows[model] = {unit code or None: row}; the classes and commendations
    carry the marks, every other registered model gets generated rows."""
    users = {
        "district": district_user,
        "other_district": other_district_user,
        "commune": commune_user,
        "centre": centre_user,
        "province": province_user,
        "admin": admin_role_user,
    }
    rows = {
        AdministrativeUnit: {code: AdministrativeUnit.objects.get(code=code) for code in (OWN, OTHER)},
        TrainingCentre: {code: TrainingCentre.objects.get(code=f"TTCT-{code}") for code in (OWN, OTHER)},
        User: {OWN: district_user, OTHER: other_district_user},
        Programme: {None: Programme.objects.get(code="NTD")},
        TrainingClass: {},
        Commendation: {},
        YearLock: {},
    }
    for code, prefix in ((OWN, "CL"), (OTHER, "DT")):
        learners, completed = LEARNERS[code]
        training_class = make_class(
            f"{prefix}-MATRIX-01",
            code,
            name=f"Lớp {MARKS[code]}",
            start=datetime.date(SAMPLE_YEAR, 3, 6),
            learners=learners,
            completed=completed,
        )
        training_class.notes = f"Ghi chú {MARKS[code]}"
        services.class_save(user=province_user, training_class=training_class)  # a second version for the history pages
        rows[TrainingClass][code] = training_class
        rows[Commendation][code] = services.commendation_save(
            user=province_user,
            commendation=Commendation(
                year=SAMPLE_YEAR,
                recipient=f"Tập thể {MARKS[code]}",
                unit=rows[AdministrativeUnit][code],
                decision_number=f"{prefix}-125-QĐ/BTGTU",
                decision_date=datetime.date(SAMPLE_YEAR, 11, 28),
            ),
        )
        # An old year, so the locks do not stop the writes this module tries.
        rows[YearLock][code] = services.year_lock(
            user=province_user, year=2015, unit=rows[AdministrativeUnit][code], reason=f"Công bố {MARKS[code]}"
        )
    for model, _model_admin in registered_admins():
        if model in rows:
            continue
        if is_unit_scoped(model):
            rows[model] = {code: build_generic(model, code) for code in (OWN, OTHER)}
        else:
            existing = model._default_manager.first()
            rows[model] = {None: existing or build_generic(model, None)}
    return {"rows": rows, "users": users}


def forbidden_strings(user):
    """What a district user must never receive: any other unit's name, the
    other sample unit's mark, the other district account."""
    if user is not None and user.role == "centre":
        # A centre sees every unit's name, but none of the sample classes (another centre ran them).
        return list(MARKS.values())[:2] + [
            text for figure in (*LEARNERS[OWN], *LEARNERS[OTHER]) for text in (str(figure), grouped(figure))
        ]
    if user is None or user.role != "district":
        return []
    # Its own unit and the area it is compared under (a commune's former district) are its own to read.
    own = [user.unit_id, *([user.unit.compare_under_id] if user.unit.compare_under_id else [])]
    names = list(AdministrativeUnit.objects.exclude(pk__in=own).values_list("name", flat=True))
    other = OTHER if user.unit.code == OWN else OWN
    figures = [*LEARNERS[other], LEARNERS[OWN][0] + LEARNERS[OTHER][0], LEARNERS[OWN][1] + LEARNERS[OTHER][1]]
    return (
        names
        + [MARKS[other], "ductho" if other == OTHER else "canloc"]
        + [text for figure in figures for text in (str(figure), grouped(figure))]
    )


def response_text(response):
    """The readable text of any answer: HTML, JSON (decoded, so escapes cannot
    hide a name), .xlsx/.docx (their XML without tags), CSV."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    content_type = response.get("Content-Type", "")
    if "json" in content_type:
        try:
            return json.dumps(json.loads(content), ensure_ascii=False)
        except ValueError:
            pass
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = [
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist() if name.endswith(".xml")
            ]
        return html.unescape(re.sub(r"<[^>]+>", "", " ".join(parts)))
    for encoding in ("utf-8", "utf-16"):
        try:
            return html.unescape(content.decode(encoding))
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")


def assert_no_leak(user, response, where):
    # Random tokens (CSRF, hashes) could hold a figure's digits by chance: drop them.
    text = re.sub(r"[A-Za-z0-9_-]{20,}", " ", response_text(response))
    leaked = [
        value
        for value in forbidden_strings(user)
        if (re.search(rf"(?<![\d.]){re.escape(value)}(?![\d]|\.\d)", text) if value[0].isdigit() else value in text)
    ]
    assert not leaked, f"{where}: {user.username} received {leaked}"


def assert_no_server_error(response, where):
    assert response.status_code < 500, f"{where}: {response.status_code}"


# --- the admin URLs -------------------------------------------------------------------------


def perms_of(role, model):
    return set(PERMISSIONS.get(ROLE_NAMES.get(role, ""), {}).get((model._meta.app_label, model._meta.model_name), ()))


def request_for(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def admin_urls(model, model_admin, rows):
    """(kind, row or None, url) for every named URL of this model admin."""
    prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
    found = []
    for pattern in model_admin.get_urls():
        if not isinstance(pattern, URLPattern) or not pattern.name:
            continue
        kind = pattern.name.removeprefix(prefix) if pattern.name.startswith(prefix) else pattern.name
        route = pattern.pattern
        converters = getattr(route, "converters", {})
        groups = route.regex.groups
        if not converters and not groups:
            found.append((kind, None, reverse(f"admin:{pattern.name}")))
            continue
        for row in rows.values():
            if converters:
                url = reverse(f"admin:{pattern.name}", kwargs=dict.fromkeys(converters, row.pk))
            elif groups == 2 and hasattr(model, "history"):
                version = model.history.filter(**{model._meta.pk.attname: row.pk}).latest()
                url = reverse(f"admin:{pattern.name}", args=[row.pk, version.history_id])
            elif groups == 1:
                url = reverse(f"admin:{pattern.name}", args=[row.pk])
            else:
                continue
            found.append((kind, row, url))
    return found


def is_foreign_to_centre(user, model, row):
    """Centre staff see every unit, their own centre and its classes; no other unit-scoped row."""
    if model is AdministrativeUnit or not is_unit_scoped(model):
        return False
    if model is TrainingCentre:
        return row.pk != user.centre_id
    return getattr(row, "centre_id", None) != user.centre_id


def expected_status(role, user, model, model_admin, kind, row):
    """The allowed answers, from the intended permission table."""
    perms = perms_of(role, model)
    can_see = perms & {"view", "change"}
    foreign = (
        row is not None and user.role == "district" and is_unit_scoped(model) and unit_code_of(row) != user.unit.code
    ) or (row is not None and user.role == "centre" and is_foreign_to_centre(user, model, row))
    if foreign:
        return {403, 404}
    if kind == "changelist" or kind == "export":
        return {200} if can_see else {403}
    if kind in ("change", "history", "simple_history"):
        return {200} if can_see else {403}
    if kind == "add":
        if "add" not in perms:
            return {403}
        return {200} if model_admin.has_add_permission(request_for(user)) else {403}
    if kind == "delete":
        if "delete" not in perms:
            return {403}
        # Allowed by the table; a locked row answers its reason (a redirect) instead.
        return {200} if model_admin.has_delete_permission(request_for(user), row) else {302, 403}
    if kind in ("import", "process_import", "import_template"):
        # process_import takes only POST: its GET is refused before any permission check.
        return ({403, 405} if kind == "process_import" else {403}) if "add" not in perms else {200, 302, 405}
    # A page this matrix does not know yet: no access without any permission on the model.
    return {403, 404} if not perms else {200, 302, 400, 403, 404, 405}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", [model for model, _ in registered_admins()], ids=lambda model: model._meta.label)
def test_every_admin_url_of_every_model_answers_each_role_as_the_permission_table_says(client, world, model, role):
    model_admin = admin.site._registry[model]
    user = world["users"].get(role)
    if user is not None:
        client.force_login(user)
    for kind, row, url in admin_urls(model, model_admin, world["rows"][model]):
        response = client.get(url)
        where = f"{role} GET {url} ({kind})"
        assert_no_server_error(response, where)
        if user is None:
            assert response.status_code == 302 and "/login/" in response["Location"], where
            continue
        assert response.status_code in expected_status(role, user, model, model_admin, kind, row), (
            f"{where}: {response.status_code}"
        )
        assert_no_leak(user, response, where)
        if kind == "export" and response.status_code == 200:
            # The file itself, in every format offered: the same scope as the list.
            for index in range(len(model_admin.get_export_formats())):
                exported = client.post(url, {"format": str(index), "resource": "0"})
                assert exported.status_code == 200 and exported.get("Content-Disposition", "").startswith(
                    "attachment"
                ), f"{where}: export format {index} answered {exported.status_code}"
                assert_no_leak(user, exported, f"{where} format {index}")
                if user.role == "district" and is_unit_scoped(model) and user.unit.code in MARKS:
                    text = response_text(exported)  # the own row: its mark, or at least its unit's code
                    assert MARKS[user.unit.code] in text or user.unit.code in text, (
                        f"{where} format {index}: own rows missing"
                    )
        if kind in ("import", "process_import") and "add" not in perms_of(role, model):
            # An import posted by someone who may not add: refused before reading anything.
            assert client.post(url, {}).status_code == 403, f"{role} POST {url}"
        if response.status_code == 200 and kind == "change" and user.role == "district" and is_unit_scoped(model):
            text = response_text(response)
            assert MARKS[user.unit.code] in text or user.unit.name in text, f"{where}: own row shows nothing of its own"


@pytest.mark.parametrize("role", ["district", "other_district"])
def test_the_admin_index_and_app_pages_show_no_other_unit(client, world, role):
    user = world["users"][role]
    client.force_login(user)
    urls = [reverse("admin:index")] + sorted(
        {reverse("admin:app_list", args=[model._meta.app_label]) for model, _ in registered_admins()}
    )
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 403, 404), url
        assert_no_leak(user, response, url)


@pytest.mark.parametrize("role", ROLES)
def test_autocomplete_of_every_foreign_key_stays_in_scope(client, world, role):
    user = world["users"].get(role)
    if user is not None:
        client.force_login(user)
    checked = 0
    for model, _model_admin in registered_admins():
        for field in model._meta.get_fields():
            if not (field.is_relation and field.concrete and field.related_model in admin.site._registry):
                continue
            url = reverse("admin:autocomplete")
            query = {
                "app_label": model._meta.app_label,
                "model_name": model._meta.model_name,
                "field_name": field.name,
                "term": "",
            }
            response = client.get(url, query)
            where = f"{role} autocomplete {model._meta.label}.{field.name}"
            checked += 1
            assert_no_server_error(response, where)
            if user is None:
                assert response.status_code == 302, where
                continue
            assert_no_leak(user, response, where)
            if response.status_code == 200 and user.role == "district" and field.related_model is AdministrativeUnit:
                assert [item["text"] for item in response.json()["results"]] == [user.unit.name], where
    assert checked >= 5


@pytest.mark.parametrize("role", ["district", "other_district"])
def test_every_unit_and_centre_choice_in_every_form_is_the_users_own(client, world, role):
    user = world["users"][role]
    client.force_login(user)
    for model, _model_admin in registered_admins():
        rows = world["rows"][model]
        own = [row for code, row in rows.items() if code == user.unit.code]
        urls = [reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")]
        urls += [
            reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[row.pk]) for row in own
        ]
        for url in urls:
            response = client.get(url)
            if response.status_code != 200 or "adminform" not in (response.context or {}):
                continue
            forms = [response.context["adminform"].form]
            forms += [
                form for inline in response.context.get("inline_admin_formsets", []) for form in inline.formset.forms
            ]
            for form in forms:
                for name, field in form.fields.items():
                    queryset = getattr(field, "queryset", None)
                    if queryset is None or queryset.model not in (AdministrativeUnit, TrainingCentre):
                        continue
                    owners = {unit_code_of(choice) for choice in queryset}
                    assert owners <= {user.unit.code}, f"{url} field {name} offers {owners}"


# --- report and JSON URLs -------------------------------------------------------------------


def walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = (
                f"{namespace}:{pattern.namespace}"
                if namespace and pattern.namespace
                else (pattern.namespace or namespace)
            )
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            yield prefix + str(pattern.pattern), namespace, pattern


# Other units' progress is the board's page: every other role is refused it.
BOARD_ONLY_REPORTS = {"reports:completeness", "reports:completeness_pick"}


def report_urls():
    """Every URL of the reports namespace and every /api/ URL, found by walking the resolver."""
    values = {"int": str(SAMPLE_YEAR), "str": "x", "slug": "x", "path": "x"}
    found = set()
    for route, namespace, _pattern in walk(get_resolver().url_patterns):
        if "reports" not in namespace.split(":") and not route.startswith("api/"):
            continue
        if route.startswith("^"):
            continue  # no regex routes there today; a new one would need a value table
        url = "/" + re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: values.get(m.group(1) or "str", "x"), route)
        found.add(url)
    return sorted(found)


def test_the_report_urls_are_found_by_walking_the_resolver():
    urls = report_urls()
    # Whatever the reports app registers is walked; today at least these.
    for expected in ("/reports/", f"/reports/yearly/{SAMPLE_YEAR}/", f"/api/reports/yearly/{SAMPLE_YEAR}/"):
        assert expected in urls, urls


@pytest.mark.parametrize("role", ROLES)
def test_every_report_and_json_url_answers_each_role_without_another_units_data(client, world, role):
    user = world["users"].get(role)
    if user is not None:
        client.force_login(user)
    for url in report_urls():
        response = client.get(url, follow=user is not None)
        where = f"{role} GET {url}"
        assert_no_server_error(response, where)
        if user is None:
            assert response.status_code in (302, 401, 403), where
            if response.status_code == 302:
                assert "/login/" in response["Location"], where
            continue
        if resolve(url).view_name in BOARD_ONLY_REPORTS and user.role != "province":
            assert response.status_code == 403, f"{where}: {response.status_code}"
            continue
        assert response.status_code == 200, f"{where}: {response.status_code}"
        assert_no_leak(user, response, where)
        content_type = response.get("Content-Type", "")
        if user.role == "district" and ("html" in content_type or "json" in content_type):
            assert user.unit.name in response_text(response), f"{where}: the user's own unit is not named"


# --- attacks ----------------------------------------------------------------------------------


def snapshot(row):
    return model_to_dict(type(row)._default_manager.get(pk=row.pk))


def scoped_writable_models():
    return [
        model
        for model, _ in registered_admins()
        if is_unit_scoped(model) and perms_of("district", model) & {"change", "delete"}
    ]


@pytest.mark.parametrize("model", scoped_writable_models(), ids=lambda model: model._meta.label)
def test_another_units_row_named_in_a_post_changes_nothing(client, world, model):
    user = world["users"]["district"]
    client.force_login(user)
    foreign = world["rows"][model][OTHER]
    before = snapshot(foreign)
    opts = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    form = {key: ("" if value is None else value) for key, value in before.items()}
    form["unit"] = user.unit_id
    refused = {403, 404}
    attempts = [
        (reverse(f"{opts}_change", args=[foreign.pk]), form, refused),
        (reverse(f"{opts}_delete", args=[foreign.pk]), {"post": "yes"}, refused),
        # The list's queryset is scoped: the foreign id selects nothing, the list comes back.
        (
            reverse(f"{opts}_changelist"),
            {"action": "delete_selected", "_selected_action": [foreign.pk], "post": "yes"},
            {200, 302},
        ),
    ]
    url_names = {pattern.name for pattern in admin.site._registry[model].get_urls()}
    if f"{model._meta.app_label}_{model._meta.model_name}_simple_history" in url_names:
        version = model.history.filter(**{model._meta.pk.attname: foreign.pk}).latest()
        attempts.append((reverse(f"{opts}_simple_history", args=[foreign.pk, version.history_id]), form, refused))
    for url, data, expected in attempts:
        response = client.post(url, data)
        assert response.status_code in expected, f"POST {url}: {response.status_code}"
        assert_no_leak(user, response, f"POST {url}")
        assert snapshot(foreign) == before, f"POST {url} changed another unit's row"


def test_a_hidden_id_of_another_units_class_in_a_list_edit_changes_nothing_and_says_why(client, world):
    user = world["users"]["district"]
    client.force_login(user)
    own, foreign = world["rows"][TrainingClass][OWN], world["rows"][TrainingClass][OTHER]
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": own.pk,
        "form-0-learners": "6200",
        "form-0-completed": "6001",
        "form-1-id": foreign.pk,
        "form-1-learners": "1",
        "form-1-completed": "1",
        "_save": "Lưu",
    }
    response = client.post(reverse("admin:classes_trainingclass_changelist"), data)
    assert response.status_code == 302
    message = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert f"Không lưu gì: lớp số {foreign.pk} không thuộc phạm vi đơn vị của bạn." in message
    own.refresh_from_db()
    foreign.refresh_from_db()
    assert (own.learners, foreign.learners) == (LEARNERS[OWN][0], LEARNERS[OTHER][0])


def test_another_unit_put_into_the_unit_and_centre_fields_is_refused_with_the_reason(client, world):
    user = world["users"]["district"]
    client.force_login(user)
    own = world["rows"][TrainingClass][OWN]
    other_unit = world["rows"][AdministrativeUnit][OTHER]
    data = {
        "code": own.code,
        "name": own.name,
        "programme": own.programme_id,
        "unit": other_unit.pk,
        "centre": TrainingCentre.objects.get(code=f"TTCT-{OTHER}").pk,
        "venue": own.venue,
        "status": own.status,
        "start_date": own.start_date.strftime("%d/%m/%Y"),
        "end_date": "",
        "learners": "6143",
        "completed": "6001",
        "excellent": "0",
        "good": "0",
        "fair": "0",
        "average": "0",
        "failed": "0",
        "notes": "",
        # Fields the form does not have: ignored, never written.
        "created_by": world["users"]["other_district"].pk,
        "is_demo": "on",
        "version": "99",
        "year": "1999",
    }
    before = snapshot(own)
    response = client.post(reverse("admin:classes_trainingclass_change", args=[own.pk]), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Bạn chỉ được chọn đơn vị và trung tâm thuộc đơn vị mình (Huyện Can Lộc)." in errors["unit"][0]
    assert "centre" in errors
    assert snapshot(own) == before
    add = client.post(reverse("admin:classes_trainingclass_add"), {**data, "code": "CL-MOI"})
    assert add.status_code == 200 and not TrainingClass.objects.filter(code="CL-MOI").exists()


@pytest.fixture(params=["unit", "province"])
def locked(request, world):
    """The sample classes' year locked for the district's unit, or for the whole province."""
    province_user = world["users"]["province"]
    unit = world["rows"][AdministrativeUnit][OWN] if request.param == "unit" else None
    lock = services.year_lock(user=province_user, year=SAMPLE_YEAR, unit=unit)
    return lock


def test_every_write_path_refuses_a_locked_year(client, world, locked):
    user = world["users"]["district"]
    client.force_login(user)
    own = world["rows"][TrainingClass][OWN]
    reason = access.year_lock_message(locked)
    version = own.history.earliest()
    form = {
        "code": own.code,
        "name": "Đã sửa",
        "programme": own.programme_id,
        "unit": own.unit_id,
        "centre": own.centre_id,
        "venue": own.venue,
        "status": own.status,
        "start_date": own.start_date.strftime("%d/%m/%Y"),
        "end_date": "",
        "learners": "70",
        "completed": "60",
        "excellent": "0",
        "good": "0",
        "fair": "0",
        "average": "0",
        "failed": "0",
        "notes": "",
    }
    listing = reverse("admin:classes_trainingclass_changelist")
    attempts = {
        "add": (reverse("admin:classes_trainingclass_add"), {**form, "code": "CL-MOI-2023"}),
        "change": (reverse("admin:classes_trainingclass_change", args=[own.pk]), form),
        "delete": (reverse("admin:classes_trainingclass_delete", args=[own.pk]), {"post": "yes"}),
        "bulk delete": (listing, {"action": "delete_selected", "_selected_action": [own.pk], "post": "yes"}),
        "list edit": (
            listing,
            {
                "form-TOTAL_FORMS": "1",
                "form-INITIAL_FORMS": "1",
                "form-MIN_NUM_FORMS": "0",
                "form-MAX_NUM_FORMS": "1000",
                "form-0-id": own.pk,
                "form-0-learners": "70",
                "form-0-completed": "60",
                "_save": "Lưu",
            },
        ),
        "history revert": (
            reverse("admin:classes_trainingclass_simple_history", args=[own.pk, version.history_id]),
            form,
        ),
    }
    before = snapshot(own)
    for path, (url, data) in attempts.items():
        response = client.post(url, data)
        said = response_text(response) + " ".join(str(m) for m in get_messages(response.wsgi_request))
        assert response.status_code in (200, 302), f"{path}: {response.status_code}"
        assert reason in said, f"{path}: the lock's reason is not given"
        assert snapshot(own) == before, f"{path} wrote into a locked year"
    assert not TrainingClass.objects.filter(code="CL-MOI-2023").exists()


def test_refusals_are_vietnamese_pages_without_any_of_the_rows_data(client, world):
    user = world["users"]["district"]
    client.force_login(user)
    foreign = world["rows"][TrainingClass][OTHER]
    missing = client.get(reverse("admin:classes_trainingclass_change", args=[foreign.pk]))
    assert missing.status_code == 404
    page = missing.content.decode()
    assert "Không có trang hoặc mục này, hoặc mục này không thuộc phạm vi đơn vị của bạn." in page
    assert foreign.code not in page and "Not Found" not in page and "Http404" not in page
    unknown = client.get("/admin/khong-co-trang-nay/")
    assert unknown.status_code == 404 and "Resolver404" not in unknown.content.decode()
    refused = client.get(reverse("admin:classes_commendation_add"))
    assert refused.status_code == 403
    assert "Tài khoản của bạn không được xem hoặc thay đổi mục này." in refused.content.decode()


# --- the rights of each role, pinned by hand -----------------------------------------------------
# Written out here, not read from classes/roles.py: a change to the table must change this too.
V, VA, VAC, ALL = "view", "view add", "view add change", "view add change delete"
PINNED = {
    "district": {
        "trainingclass": ALL,
        "commendation": V,
        "administrativeunit": V,
        "trainingcentre": V,
        "programme": V,
        "yearlock": V,
        "annualplan": ALL,
        "learningneedssurvey": ALL,
        "standardcriterion": V,
        "reportingperiod": V,
        "centreassessment": V,
        "centreassessmentscore": V,
        "unitreport": VA,
    },
    "province": {
        "trainingclass": ALL,
        "commendation": ALL,
        "administrativeunit": V,
        "trainingcentre": V,
        "programme": V,
        "yearlock": ALL,
        "annualplan": ALL,
        "learningneedssurvey": ALL,
        "standardcriterion": ALL,
        "reportingperiod": VAC,
        "centreassessment": ALL,
        "centreassessmentscore": ALL,
        "unitreport": VAC,
        "user": ALL,
        "boardname": ALL,
    },
    "admin": {
        "trainingclass": V,
        "commendation": V,
        "administrativeunit": ALL,
        "trainingcentre": ALL,
        "programme": ALL,
        "yearlock": V,
        "user": ALL,
        "annualplan": V,
        "learningneedssurvey": V,
        "standardcriterion": V,
        "reportingperiod": V,
        "centreassessment": V,
        "unitreport": V,
        "group": V,
        "boardname": V,
    },
    "centre": {
        "trainingclass": ALL,
        "administrativeunit": V,
        "trainingcentre": V,
        "programme": V,
        "yearlock": V,
    },
}


@pytest.mark.parametrize("role", sorted(PINNED))
def test_each_roles_group_carries_exactly_the_rights_pinned_by_hand(world, role):
    user = {"district": "district", "province": "province", "admin": "admin", "centre": "centre"}[role]
    account = world["users"][user]
    granted = {}
    for codename in account.get_all_permissions():
        action, model = codename.split(".", 1)[1].split("_", 1)
        granted.setdefault(model, set()).add(action)
    assert granted == {model: set(actions.split()) for model, actions in PINNED[role].items()}
    table = {model: set(actions) for (_app, model), actions in PERMISSIONS[role].items()}
    assert table == {model: set(actions.split()) for model, actions in PINNED[role].items()}
