"""Who issues the year-end report, as a Party document names it (Hướng dẫn 36-HD/VPTW):
the body above, the issuing body, the document symbol, the place, the signer's block and
the default recipients. Every text is Vietnamese: the document is filed as it is."""

from dataclasses import dataclass

from django.conf import settings

from classes.models import AdministrativeUnit

# The Propaganda and Mass Mobilisation boards merged in 2025 (docs/domain.md).
MERGED_BOARDS_FROM = 2025
PROVINCE = "TỈNH HÀ TĨNH"


@dataclass(frozen=True)
class IssuingBody:
    upper: str  # the body directly above, "ĐẢNG BỘ TỈNH HÀ TĨNH"
    name: str  # the issuing body, bold
    symbol: str  # "BC/BTGDVTU": the number before it is left blank to fill
    place: str  # "Hà Tĩnh, ngày … tháng … năm …"
    authority: str  # "T/M ĐẢNG ỦY"; empty where the head signs in their own name
    title: str  # the signer's title; the name is left for the signer
    recipients: list[str]


def board_name(year: int) -> str:
    """The provincial board's name in force in a year. The one place that decides it:
    swap for the board's own setting once it exists."""
    if year < MERGED_BOARDS_FROM:
        return "Ban Tuyên giáo Tỉnh ủy"
    return "Ban Tuyên giáo và Dân vận Tỉnh ủy"


def _central_board(year: int) -> str:
    return "Ban Tuyên giáo Trung ương" if year < MERGED_BOARDS_FROM else "Ban Tuyên giáo và Dân vận Trung ương"


def _plain_name(name: str) -> str:
    """ "Huyện Can Lộc" -> "Can Lộc": the place without its kind of unit."""
    for kind in ("Tỉnh ", "Thành phố ", "Thị xã ", "Thị trấn ", "Huyện ", "Phường ", "Xã "):
        if name.startswith(kind):
            return name[len(kind) :]
    return name


def _place(name: str) -> str:
    return f"{name}, ngày … tháng … năm …"


def issuing_body(scope: dict, year: int) -> IssuingBody:
    """The issuing body of a report on `scope` (the report's "scope": the province, a
    unit, or a centre such as the provincial school) for `year`."""
    province_place = _plain_name(settings.PROVINCE_NAME)
    if scope["level"] == "province":
        board = board_name(year)
        return IssuingBody(
            upper=f"ĐẢNG BỘ {PROVINCE}",
            name=board.upper(),
            symbol="BC/BTGTU" if year < MERGED_BOARDS_FROM else "BC/BTGDVTU",
            place=_place(province_place),
            authority="",
            title="TRƯỞNG BAN",
            recipients=[
                f"{_central_board(year)} (để báo cáo),",
                "Thường trực Tỉnh ủy (để báo cáo),",
                "Trường Chính trị Trần Phú,",
                "Các đảng ủy xã, phường (để biết),"
                if year >= MERGED_BOARDS_FROM
                else "Các huyện ủy, thị ủy, thành ủy (để biết),",
                "Lưu Văn phòng Ban.",
            ],
        )
    to_board = f"{board_name(year)} (để báo cáo),"
    if scope["level"] == "centre":
        return IssuingBody(
            upper=f"ĐẢNG BỘ {PROVINCE}",
            name=scope["name"].upper(),
            symbol="BC/TCT",
            place=_place(province_place),
            authority="",
            title="HIỆU TRƯỞNG",
            recipients=[to_board, "Lưu Văn phòng Trường."],
        )
    kind = AdministrativeUnit.objects.filter(code=scope["code"]).values_list("kind", flat=True).first()
    plain = _plain_name(scope["name"])
    district_committees = {
        AdministrativeUnit.Kind.DISTRICT: ("HUYỆN", "HUYỆN ỦY", "BC/BTGHU"),
        AdministrativeUnit.Kind.TOWN: ("THỊ XÃ", "THỊ ỦY", "BC/BTGThU"),
        AdministrativeUnit.Kind.CITY: ("THÀNH PHỐ", "THÀNH ỦY", "BC/BTGThU"),
    }
    if kind in district_committees:
        area, committee, symbol = district_committees[kind]
        return IssuingBody(
            upper=f"ĐẢNG BỘ {area} {plain.upper()}",
            name=f"BAN TUYÊN GIÁO {committee}",
            symbol=symbol,
            place=_place(plain),
            authority="",
            title="TRƯỞNG BAN",
            recipients=[to_board, f"Thường trực {committee.capitalize()} (để báo cáo),", "Lưu Văn phòng Ban."],
        )
    # A commune, ward or townlet: its Party committee reports.
    return IssuingBody(
        upper=f"ĐẢNG BỘ {PROVINCE}",
        name=f"ĐẢNG ỦY {scope['name'].upper()}",
        symbol="BC/ĐU",
        place=_place(plain),
        authority="T/M ĐẢNG ỦY",
        title="BÍ THƯ",
        recipients=[to_board, "Trường Chính trị Trần Phú,", "Lưu Văn phòng Đảng ủy."],
    )
