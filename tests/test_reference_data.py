from django.contrib.auth.models import Group

from classes.models import AdministrativeUnit, Programme, TrainingCentre

DISTRICT_CODES = ["436", "437", "439", "440", "441", "442", "443", "444", "445", "446", "447", "448", "449"]


def test_migrations_load_the_thirteen_units_with_their_gso_codes(db):
    assert list(AdministrativeUnit.objects.order_by("code").values_list("code", flat=True)) == DISTRICT_CODES
    assert AdministrativeUnit.objects.get(code="443").name == "Huyện Can Lộc"
    assert AdministrativeUnit.objects.get(code="449").kind == AdministrativeUnit.Kind.TOWN


def test_district_units_end_with_the_two_tier_reform(db):
    import datetime

    can_loc = AdministrativeUnit.objects.get(code="443")
    assert can_loc.is_valid_on(datetime.date(2025, 6, 30))
    assert not can_loc.is_valid_on(datetime.date(2025, 7, 1))


def test_migrations_load_one_centre_per_unit_and_the_provincial_school(db):
    assert TrainingCentre.objects.count() == 14
    can_loc = TrainingCentre.objects.get(code="TTCT-443")
    assert can_loc.name == "Trung tâm Chính trị huyện Can Lộc"
    assert can_loc.unit.code == "443"
    assert TrainingCentre.objects.get(code="TTCT-437").name == "Trung tâm Chính trị thị xã Hồng Lĩnh"
    school = TrainingCentre.objects.get(code="TCT-HT")
    assert school.name == "Trường Chính trị Trần Phú" and school.unit is None


def test_migrations_load_the_programme_catalogue(db):
    assert set(Programme.objects.values_list("code", flat=True)) == {
        "NTD", "DVM", "SC", "TC", "NV", "CNKT", "NQ", "QPAN", "KHAC"
    }
    assert Programme.objects.get(code="SC").level == Programme.Level.BASIC


def test_migrations_create_the_three_role_groups(db):
    district = Group.objects.get(name="Cán bộ huyện")
    codenames = set(district.permissions.values_list("codename", flat=True))
    assert {"add_trainingclass", "change_trainingclass", "view_commendation"} <= codenames
    assert "add_commendation" not in codenames and "add_yearlock" not in codenames
    assert Group.objects.filter(name__in=["Ban Tuyên giáo Tỉnh ủy", "Quản trị hệ thống"]).count() == 2
