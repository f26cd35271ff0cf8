"""English is the second language: the committed catalogue is complete and the pages follow Accept-Language."""

import gettext
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"


def catalogue_entries(po: Path = CATALOGUE / "django.po") -> list[dict]:
    """Each entry of the .po as {flags, msgid, msgstr: [...]}, continuation lines joined."""
    entries = []
    for block in re.split(r"\n\s*\n", po.read_text(encoding="utf-8")):
        entry = {"flags": "", "msgctxt": None, "msgid": None, "msgstr": []}
        field = None
        for line in block.splitlines():
            if line.startswith("#~"):  # obsolete: not shown to anyone
                break
            if line.startswith("#,"):
                entry["flags"] += line
            elif match := re.match(r'(msgid|msgid_plural|msgstr(?:\[\d+\])?|msgctxt) "(.*)"$', line):
                field = match.group(1)
                if field.startswith("msgstr"):
                    entry["msgstr"].append(match.group(2))
                elif field == "msgid":
                    entry["msgid"] = match.group(2)
                elif field == "msgctxt":
                    entry["msgctxt"] = match.group(2)
            elif line.startswith('"') and field:
                if field.startswith("msgstr"):
                    entry["msgstr"][-1] += line[1:-1]
                elif field == "msgid":
                    entry["msgid"] += line[1:-1]
        if entry["msgid"] is not None:
            entries.append(entry)
    return entries


def test_the_english_catalogue_has_no_untranslated_or_fuzzy_entry():
    entries = catalogue_entries()
    messages = [entry for entry in entries if entry["msgid"]]  # the header has an empty msgid
    assert len(messages) > 400
    assert [e["msgid"] for e in entries if "fuzzy" in e["flags"]] == []
    assert [e["msgid"] for e in messages if not all(e["msgstr"])] == []


# The folders the README's makemessages command leaves out; the copy below leaves them out too.
NOT_SOURCE = (".venv", ".git", "bench", "tests", "test-artifacts", "staticfiles", "node_modules")


def test_the_committed_catalogue_holds_every_string_of_the_source(tmp_path, monkeypatch, settings):
    # Without xgettext nothing could be compared: fail rather than skip (.ci/run installs gettext).
    assert shutil.which("xgettext"), "xgettext is missing: install the gettext package"
    # makemessages writes next to the sources it scans, so it runs in a copy of the project.
    copy = tmp_path / "project"
    shutil.copytree(settings.BASE_DIR, copy, ignore=shutil.ignore_patterns(*NOT_SOURCE), symlinks=True)
    monkeypatch.chdir(copy)
    settings.LOCALE_PATHS = [copy / "locale"]
    call_command("makemessages", locale=["en"], no_obsolete=True, ignore_patterns=list(NOT_SOURCE), verbosity=0)
    committed = {entry["msgid"] for entry in catalogue_entries()}
    source = {entry["msgid"] for entry in catalogue_entries(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")}
    assert sorted(source - committed) == []


def test_every_translation_keeps_the_placeholders_of_its_source():
    placeholder = re.compile(r"%\(\w+\)s|%%|</?\w+[^>]*>")
    for entry in catalogue_entries():
        for msgstr in entry["msgstr"] if entry["msgid"] else []:
            assert sorted(placeholder.findall(msgstr)) == sorted(placeholder.findall(entry["msgid"])), entry["msgid"]


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def test_the_committed_mo_holds_every_translation_of_the_po():
    # The .mo is committed so a machine without gettext tools shows English too; a stale one fails here.
    with (CATALOGUE / "django.mo").open("rb") as compiled:
        mo = gettext.GNUTranslations(compiled)
    for entry in catalogue_entries():
        if entry["msgid"] and len(entry["msgstr"]) == 1:
            msgid = unescape(entry["msgid"])
            found = mo.pgettext(entry["msgctxt"], msgid) if entry["msgctxt"] else mo.gettext(msgid)
            assert found == unescape(entry["msgstr"][0]), entry["msgid"]


def test_the_admin_login_is_english_for_an_english_browser(client, db):
    page = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Propaganda and Mass Mobilisation Board of the Hà Tĩnh Provincial Party Committee" in page
    assert "Username" in page
    assert "Ban Tuyên giáo" not in page


def test_the_admin_login_stays_vietnamese_by_default(client, db):
    page = client.get("/admin/login/").content.decode()
    assert "Ban Tuyên giáo và Dân vận Tỉnh ủy Hà Tĩnh — Quản lý giáo dục lý luận chính trị" in page
    assert "Propaganda Board" not in page


@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        (
            "en",
            [
                "Summary",
                "Classes opened",
                "Learning results",
                "By unit",
                "In 2023, the whole province opened 5 classes",
            ],
            ["Tổng hợp", "Số lớp mở được"],
        ),
        (
            "vi",
            ["Tổng hợp", "Số lớp mở được", "Kết quả học tập", "Theo đơn vị", "Năm 2023, toàn tỉnh mở được 5 lớp"],
            ["Classes opened", "Learning results"],
        ),
    ],
)
def test_the_yearly_report_follows_the_browser_language(
    small_dataset, province_user, client, language, expected, absent
):
    client.force_login(province_user)
    response = client.get("/reports/yearly/2023/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    page = response.content.decode()
    for text in expected:
        assert text in page
    for text in absent:
        assert text not in page


def test_the_report_page_declares_the_language_it_is_written_in(client, province_user, small_dataset):
    client.force_login(province_user)
    assert '<html lang="vi">' in client.get("/reports/yearly/2023/").content.decode()
    english = client.get("/reports/yearly/2023/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in english


def test_the_models_are_named_in_the_plural_in_english_and_stay_as_they_were_in_vietnamese():
    from django.utils import translation

    from classes.models import AnnualPlan, TrainingClass

    with translation.override("en"):
        assert (str(AnnualPlan._meta.verbose_name), str(AnnualPlan._meta.verbose_name_plural)) == (
            "yearly plan",
            "yearly plans",
        )
        assert str(TrainingClass._meta.verbose_name_plural) == "classes"
    with translation.override("vi"):
        assert str(AnnualPlan._meta.verbose_name_plural) == "kế hoạch năm"
