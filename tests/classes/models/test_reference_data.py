import datetime

from django.contrib.auth.models import Group

from classes.models import AdministrativeUnit, Programme, TrainingCentre

DISTRICT_CODES = ["436", "437", "439", "440", "441", "442", "443", "444", "445", "446", "447", "448", "449"]


def test_migrations_load_the_thirteen_districts_and_the_69_communes_and_wards(db):
    codes = list(AdministrativeUnit.objects.order_by("code").values_list("code", flat=True))
    assert [code for code in codes if len(code) == 3] == DISTRICT_CODES
    communes = AdministrativeUnit.objects.filter(valid_from=datetime.date(2025, 7, 1), valid_to__isnull=True)
    assert communes.count() == 69 == len(codes) - 13
    assert communes.filter(kind="xa").count() == 60 and communes.filter(kind="phuong").count() == 9
    assert AdministrativeUnit.objects.get(code="443").name == "Huyện Can Lộc"
    assert AdministrativeUnit.objects.get(code="449").kind == AdministrativeUnit.Kind.TOWN


def test_district_units_end_with_the_two_tier_reform(db):
    can_loc = AdministrativeUnit.objects.get(code="443")
    assert can_loc.is_valid_on(datetime.date(2025, 6, 30))
    assert not can_loc.is_valid_on(datetime.date(2025, 7, 1))


def test_loc_ha_ends_with_2024_under_thach_ha_and_the_others_are_their_own_areas(db):
    loc_ha = AdministrativeUnit.objects.get(code="448")
    assert (loc_ha.valid_to, loc_ha.compare_under.code) == (datetime.date(2024, 12, 31), "445")
    assert not AdministrativeUnit.objects.filter(
        code__in=set(DISTRICT_CODES) - {"448"}, compare_under__isnull=False
    ).exists()
    assert AdministrativeUnit.objects.filter(code__in=DISTRICT_CODES, valid_to=datetime.date(2025, 6, 30)).count() == 12


def test_a_commune_records_its_area_and_the_districts_it_came_from(db):
    song_tri = AdministrativeUnit.objects.get(code="18754")
    assert song_tri.compare_under.code == "449"
    assert set(song_tri.former_districts.values_list("code", flat=True)) == {"447", "449"}
    can_loc = AdministrativeUnit.objects.get(code="443")
    assert list(can_loc.successors.values_list("code", flat=True)) == [
        "18406",
        "18418",
        "18436",
        "18466",
        "18481",
        "18484",
    ]


def test_district_centres_end_with_their_district_and_each_commune_has_its_party_committee(db):
    assert TrainingCentre.objects.get(code="TTCT-443").valid_to == datetime.date(2025, 6, 30)
    assert TrainingCentre.objects.get(code="TTCT-448").valid_to == datetime.date(2024, 12, 31)
    committee = TrainingCentre.objects.get(code="DU-18406")
    assert (committee.name, committee.kind, committee.unit.code, committee.valid_from) == (
        "Đảng ủy Xã Can Lộc",
        "dang_uy",
        "18406",
        datetime.date(2025, 7, 1),
    )
    assert TrainingCentre.objects.filter(kind="dang_uy").count() == 69
    school = TrainingCentre.objects.get(code="TCT-HT")
    assert (school.valid_from, school.valid_to) == (None, None)


def test_migrations_load_one_centre_per_unit_and_the_provincial_school(db):
    assert TrainingCentre.objects.filter(kind__in=["ttct", "truong_tinh"]).count() == 14
    can_loc = TrainingCentre.objects.get(code="TTCT-443")
    assert can_loc.name == "Trung tâm Chính trị huyện Can Lộc"
    assert can_loc.unit.code == "443"
    assert TrainingCentre.objects.get(code="TTCT-437").name == "Trung tâm Chính trị thị xã Hồng Lĩnh"
    school = TrainingCentre.objects.get(code="TCT-HT")
    assert school.name == "Trường Chính trị Trần Phú" and school.unit is None


def test_migrations_load_the_programme_catalogue(db):
    assert set(Programme.objects.values_list("code", flat=True)) == {
        "NTD",
        "DVM",
        "SC",
        "TC",
        "NV",
        "CNKT",
        "NQ",
        "QPAN",
        "KHAC",
    }
    assert Programme.objects.get(code="SC").level == Programme.Level.BASIC


def test_migrations_create_the_three_role_groups(db):
    district = Group.objects.get(name="Cán bộ huyện")
    codenames = set(district.permissions.values_list("codename", flat=True))
    assert {"add_trainingclass", "change_trainingclass", "view_commendation"} <= codenames
    assert "add_commendation" not in codenames and "add_yearlock" not in codenames
    assert (
        Group.objects.filter(name__in=["Ban Tuyên giáo Tỉnh ủy", "Quản trị hệ thống", "Cán bộ trung tâm"]).count() == 3
    )
