"""Random text, numbers, dates and encodings thrown at every admin form and at the
class import: the answer is a form with reasons or a save, never a server error,
and a refused submission writes nothing."""

import codecs
import io
from xml.sax.saxutils import escape

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from import_export.results import RowResult
from openpyxl.utils.exceptions import IllegalCharacterError

from classes.models import TrainingClass
from classes.spreadsheets import files as importing
from tests.classes.spreadsheets.helpers import HEADERS, class_row, csv_text, xlsx_bytes
from tests.classes.spreadsheets.lying_files import (
    handmade_xlsx,
    inline_row,
    lie_about_sizes,
)
from tests.factories import make_class

FUZZ = settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    # No shrinking or explaining: a failure is reported as found, not traced for minutes.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text of every script, control characters and NUL included (not lone surrogates,
# which no browser can send).
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=80)
numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["1.234", "1.234,5", "1,234.5", "١٢٣", "0x1F", "1e9", "-0", "２０"]),
)
dates = st.one_of(
    st.dates().flatmap(
        lambda day: st.sampled_from(
            [
                day.strftime("%d/%m/%Y"),
                day.strftime("%Y-%m-%d"),
                day.strftime("%m/%d/%y"),
                day.isoformat() + "T25:61",
            ]
        )
    ),
    st.sampled_from(["31/02/2024", "00/00/0000", "29/02/2023", "32/13/2024", "99999-01-01"]),
)
junk = st.one_of(text, numbers, dates, st.just(""))

ADMINS = {model._meta.label: model_admin for model, model_admin in admin.site._registry.items()}
FORM_MODELS = sorted(label for label in ADMINS if label.startswith("classes."))


def writer_for(model_admin, fixtures):
    """The first role allowed to add rows of this model (users are made only as needed:
    each costs a password hash)."""
    request = RequestFactory().get("/")
    for name in ("district_user", "province_user", "admin_role_user"):
        request.user = fixtures.getfixturevalue(name)
        if model_admin.has_add_permission(request):
            return request.user, request
    pytest.fail(f"no role may add {model_admin.model._meta.label}")


def form_values(draw, form):
    values = {}
    for name, field in form.fields.items():
        choices = [str(value) for value, _label in getattr(field, "choices", []) if value not in ("", None)]
        strategy = st.one_of(st.sampled_from(choices), junk) if choices else junk
        values[name] = draw(strategy)
    return values


def counts(model):
    history = getattr(model, "history", None)
    return model.objects.count(), history.count() if history is not None else 0


def assert_answered(response, model, before):
    assert response.status_code in (200, 302, 403), response.status_code
    page = response.content.decode(errors="replace")
    assert "Traceback" not in page
    if response.status_code != 302:
        assert counts(model) == before  # a refused form writes nothing


@pytest.mark.parametrize("label", FORM_MODELS)
@FUZZ
@given(data=st.data())
def test_random_input_on_every_admin_add_form_gets_an_answer_not_a_server_error(label, data, request, db):
    model_admin = ADMINS[label]
    user, request = writer_for(model_admin, request)
    form = model_admin.get_form(request)()
    client = Client()
    client.force_login(user)
    before = counts(model_admin.model)
    url = reverse(f"admin:{model_admin.model._meta.app_label}_{model_admin.model._meta.model_name}_add")
    response = client.post(url, form_values(data.draw, form))
    assert_answered(response, model_admin.model, before)
    if response.status_code == 302:
        # Whatever got through is a valid row.
        model_admin.model.objects.order_by("-pk").first().full_clean()


@FUZZ
@given(data=st.data())
def test_random_input_on_the_class_change_form_and_list_gets_an_answer(data, province_user):
    training_class = TrainingClass.objects.filter(code="FUZZ-1").first() or make_class("FUZZ-1", "443")
    model_admin = ADMINS["classes.TrainingClass"]
    client = Client()
    client.force_login(province_user)
    request = RequestFactory().get("/")
    request.user = province_user
    form = model_admin.get_form(request, training_class, change=True)(instance=training_class)
    values = form_values(data.draw, form)
    values["expected_version"] = data.draw(st.one_of(st.just(str(training_class.version)), junk))
    before = counts(TrainingClass)
    response = client.post(reverse("admin:classes_trainingclass_change", args=[training_class.pk]), values)
    assert_answered(response, TrainingClass, before)
    response = client.post(
        reverse("admin:classes_trainingclass_changelist"),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-id": data.draw(st.one_of(st.just(str(training_class.pk)), junk)),
            "form-0-expected_version": data.draw(junk),
            "form-0-learners": data.draw(numbers),
            "form-0-completed": data.draw(numbers),
            "_save": "Lưu",
        },
    )
    assert_answered(response, TrainingClass, counts(TrainingClass))


# --- the class import -----------------------------------------------------------------------

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1258", "latin-1", "cp1252", "shift_jis"]


@st.composite
def import_files(draw):
    rows = []
    for index in range(draw(st.integers(min_value=1, max_value=4))):
        row = class_row(code=f"FZ-{index}")
        for column in draw(st.lists(st.sampled_from(HEADERS), max_size=4)):
            row[column] = draw(junk)
        rows.append(row)
    headers = draw(
        st.one_of(st.just(HEADERS), st.permutations(HEADERS), st.lists(st.sampled_from(HEADERS + ["???"]), max_size=8))
    )
    kind = draw(st.sampled_from(["csv", "xlsx", "bytes"]))
    if kind == "csv":
        encoding = draw(st.sampled_from(ENCODINGS))
        content = codecs.encode(
            csv_text(rows, headers=headers, delimiter=draw(st.sampled_from([",", ";", "\t"]))), encoding, "replace"
        )
        return f"lop.{draw(st.sampled_from(['csv', 'xlsx', 'xls']))}", content, rows
    if kind == "xlsx":
        cleaned = [
            {key: value.replace("\x00", "") if isinstance(value, str) else value for key, value in row.items()}
            for row in rows
        ]
        try:
            return "lop.xlsx", xlsx_bytes(cleaned, headers=headers), rows
        except (ValueError, IllegalCharacterError):  # openpyxl refuses control characters: send them as CSV
            return "lop.csv", csv_text(rows, headers=headers).encode("utf-8", "replace"), rows
    return draw(st.sampled_from(["lop.xlsx", "lop.xls", "lop.csv"])), draw(st.binary(max_size=400)), rows


@settings(FUZZ, max_examples=20)
@given(upload=import_files())
def test_random_import_files_get_reasons_or_are_written_whole(upload, district_user):
    name, content, _rows = upload
    client = Client()
    client.force_login(district_user)
    before = counts(TrainingClass)
    preview = client.post(
        reverse("admin:classes_trainingclass_import"), {"import_file": SimpleUploadedFile(name, content)}
    )
    assert_answered(preview, TrainingClass, before)
    assert counts(TrainingClass) == before  # the preview writes nothing
    confirm_form = (preview.context or {}).get("confirm_form")
    if confirm_form is None:
        return
    fields = ("import_file_name", "original_file_name", "format", "resource")
    done = client.post(
        reverse("admin:classes_trainingclass_process_import"),
        {key: confirm_form.initial.get(key, "") for key in fields},
    )
    assert done.status_code in (200, 302)
    # All or nothing: a confirmed file adds exactly the rows its preview called new.
    new_rows = sum(1 for row in preview.context["result"].rows if row.import_type == RowResult.IMPORT_TYPE_NEW)
    if done.status_code == 302:
        assert TrainingClass.objects.count() == before[0] + new_rows
    else:
        assert counts(TrainingClass) == before


# --- every file format, with sizes and positions that lie ---------------------------------------

PER_FORMAT = settings(FUZZ, max_examples=25)
# Positions anywhere on (and past) Excel's grid, and coordinates that are not coordinates.
rows_at = st.one_of(st.integers(min_value=1, max_value=1_048_576), st.integers(min_value=-5, max_value=2**40))
columns_at = st.one_of(st.integers(min_value=1, max_value=16_384), st.integers(min_value=1, max_value=60))
dimensions = st.one_of(
    st.builds(lambda c, r: f"A1:{importing._column_name(c)}{r}", columns_at, rows_at),
    text.map(escape),
)


@st.composite
def lying_cells(draw, line):
    column = draw(columns_at)
    where = draw(
        st.one_of(
            st.just(f"{importing._column_name(column)}{line}"),
            st.just(f"{importing._column_name(column)}{draw(rows_at)}"),
            text.map(escape),
        )
    )
    kind = draw(st.sampled_from(["number", "inline", "shared", "formula", "blank", "raw"]))
    value = draw(junk)
    if kind == "number":
        return f'<c r="{where}"><v>{escape(value)}</v></c>'
    if kind == "inline":
        return f'<c r="{where}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
    if kind == "shared":  # an index into a table the file does not have
        return f'<c r="{where}" t="s"><v>{draw(st.integers(-3, 10**6))}</v></c>'
    if kind == "formula":
        return f'<c r="{where}"><f>{escape(value)}</f></c>'
    if kind == "blank":
        return f'<c r="{where}" s="{draw(st.integers(0, 70_000))}"/>'
    return f"<c>{value}</c>"  # unescaped: may not be XML at all


@st.composite
def lying_xlsx(draw):
    rows = []
    for _ in range(draw(st.integers(min_value=0, max_value=5))):
        line = draw(rows_at)
        rows.append(f'<row r="{line}">' + "".join(draw(st.lists(lying_cells(line), max_size=5))) + "</row>")
    if draw(st.booleans()):
        rows.append(inline_row(3, [class_row("FZ-1")[name] for name in HEADERS]))
    data = handmade_xlsx(rows, dimension=draw(dimensions))
    if draw(st.booleans()):
        data = lie_about_sizes(
            data, draw(st.lists(st.integers(min_value=0, max_value=2**32 - 1), min_size=1, max_size=12))
        )
    return data


@st.composite
def lying_xls(draw):
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Lop", cell_overwrite_ok=True)
    for column, name in enumerate(HEADERS):
        sheet.write(0, column, name)
        sheet.write(1, column, class_row("FZ-1")[name])
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        value = draw(st.one_of(junk, st.integers(-(2**53), 2**53), st.floats(allow_nan=False, allow_infinity=False)))
        if isinstance(value, str):
            value = value[:200]
        sheet.write(draw(st.integers(1, 65_535)), draw(st.integers(0, 255)), value)
    buffer = io.BytesIO()
    book.save(buffer)
    data = bytearray(buffer.getvalue())
    # Bytes changed anywhere, the BIFF record lengths and dimensions included.
    for position, byte in draw(st.lists(st.tuples(st.integers(0, len(data) - 1), st.integers(0, 255)), max_size=6)):
        data[position] = byte
    return bytes(data)


@st.composite
def lying_csv(draw):
    rows = [class_row("FZ-1")]
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        row = class_row(f"FZ-{len(rows) + 1}")
        for column in draw(st.lists(st.sampled_from(HEADERS), max_size=4)):
            row[column] = draw(junk)
        rows.append(row)
    content = csv_text(rows, delimiter=draw(st.sampled_from([",", ";", "\t"])))
    content += draw(
        st.one_of(
            st.just(""), st.builds(lambda n, s: s * n, st.integers(0, 3000), st.sampled_from([",", '"', "\n", "a"]))
        )
    )
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1258"]))
    return codecs.encode(content, encoding, "replace")


def assert_preview_answers(user, name, content):
    client = Client()
    client.force_login(user)
    before = counts(TrainingClass)
    preview = client.post(
        reverse("admin:classes_trainingclass_import"),
        {"import_file": SimpleUploadedFile(name, content), "resource": "0"},
    )
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Traceback" not in page
    # A message about the file, or a preview of its rows.
    assert 'class="errorlist' in page or preview.context.get("result") is not None
    assert counts(TrainingClass) == before  # nothing is written before the confirm


@pytest.mark.parametrize(
    ("name", "files"),
    [
        ("lop.xlsx", lying_xlsx()),
        ("lop.xls", lying_xls()),
        ("lop.csv", lying_csv()),
        ("lop.xlsx", st.binary(max_size=600)),
        ("lop.xls", st.binary(max_size=600)),
        ("lop.csv", st.binary(max_size=600)),
    ],
    ids=["xlsx", "xls", "csv", "xlsx-bytes", "xls-bytes", "csv-bytes"],
)
def test_every_import_format_with_lying_sizes_or_random_bytes_gets_a_message_or_a_preview(name, files, district_user):
    @PER_FORMAT
    @given(content=files)
    def check(content):
        assert_preview_answers(district_user, name, content)

    check()
