import datetime

import pytest
from django.utils import translation

from classes import services
from classes.models import AdministrativeUnit, TrainingClass
from tests.factories import PASSWORD, make_class


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # Every fixture user would otherwise cost a full PBKDF2 hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def unit_can_loc(db):
    return AdministrativeUnit.objects.get(code="443")


@pytest.fixture
def unit_duc_tho(db):
    return AdministrativeUnit.objects.get(code="440")


@pytest.fixture
def province_user(db):
    return services.user_save(username="tinh", role="province", password=PASSWORD, first_name="Ban Tuyên giáo")


@pytest.fixture
def admin_role_user(db):
    return services.user_save(username="quantri", role="admin", password=PASSWORD)


@pytest.fixture
def district_user(unit_can_loc):
    return services.user_save(username="canloc", role="district", unit=unit_can_loc, password=PASSWORD)


@pytest.fixture
def other_district_user(unit_duc_tho):
    return services.user_save(username="ductho", role="district", unit=unit_duc_tho, password=PASSWORD)


@pytest.fixture
def small_dataset(db):
    """Known sums. 2023: Can Lộc 3 classes / 180 learners, Đức Thọ 2 / 90.
    2022: Can Lộc 1 / 50, Đức Thọ 2 / 100. One cancelled 2023 class in Can Lộc (20 learners)."""
    rows = [
        ("CL-2023-01", "443", "NTD", datetime.date(2023, 2, 1), 60, 60, "tai_trung_tam"),
        ("CL-2023-02", "443", "DVM", datetime.date(2023, 5, 10), 70, 65, "tai_co_so"),
        ("CL-2023-03", "443", "NTD", datetime.date(2023, 11, 20), 50, 50, "truc_tuyen"),
        ("DT-2023-01", "440", "NTD", datetime.date(2023, 4, 3), 40, 40, "tai_trung_tam"),
        ("DT-2023-02", "440", "SC", datetime.date(2023, 9, 4), 50, 48, "tai_trung_tam"),
        ("CL-2022-01", "443", "NTD", datetime.date(2022, 6, 1), 50, 50, "tai_trung_tam"),
        ("DT-2022-01", "440", "NTD", datetime.date(2022, 3, 1), 45, 45, "tai_trung_tam"),
        ("DT-2022-02", "440", "DVM", datetime.date(2022, 10, 1), 55, 55, "tai_co_so"),
    ]
    created = [
        make_class(code, unit, programme, start, learners, completed, venue=venue)
        for code, unit, programme, start, learners, completed, venue in rows
    ]
    created.append(
        make_class("CL-2023-HUY", "443", "NQ", datetime.date(2023, 7, 1), 20, 0, status=TrainingClass.Status.CANCELLED)
    )
    return created


@pytest.fixture
def commune_user(db):
    """Staff of xã Can Lộc (18406), a commune since 1/7/2025."""
    unit = AdministrativeUnit.objects.get(code="18406")
    return services.user_save(username="dv18406", role="district", unit=unit, password=PASSWORD)


def pytest_collection_modifyitems(config, items):
    """Tests that need PostgreSQL (row locks; the two-server test, which also needs
    redis-server) are deselected on SQLite, not skipped: the PostgreSQL leg of make test runs
    them. A missing redis-server deselects the two-server test too, except under CI=true, where
    that is a failure."""
    import os
    import shutil

    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    with_redis = bool(shutil.which("redis-server")) or os.environ.get("CI") == "true"

    def runs_here(item):
        if item.get_closest_marker("two_servers"):
            return on_postgres and with_redis
        return on_postgres or not item.get_closest_marker("postgresql")

    deselected = [item for item in items if not runs_here(item)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if runs_here(item)]
