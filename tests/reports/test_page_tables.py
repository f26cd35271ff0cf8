from unittest import mock

from django.core.cache import cache
from django.template.defaulttags import ForNode

from classes import services


def _tables(page):
    return page[page.index('<section class="breakdown"') : page.index('<section id="commendations"')]


def _loops_rendered(client, url):
    with mock.patch.object(ForNode, "render", autospec=True, side_effect=ForNode.render) as render:
        page = client.get(url).content.decode()
    return render.call_count, page


def test_the_report_pages_tables_are_rendered_once_and_then_served_from_the_cache(client, province_user, small_dataset):
    cache.clear()
    client.force_login(province_user)
    first_loops, first = _loops_rendered(client, "/reports/yearly/2023/")
    again_loops, again = _loops_rendered(client, "/reports/yearly/2023/")

    assert _tables(again) == _tables(first)
    assert "Xã" in _tables(first) or "Huyện" in _tables(first)
    assert again_loops < first_loops / 2


def test_a_corrected_class_shows_at_once_in_the_cached_tables(client, province_user, district_user, small_dataset):
    cache.clear()
    client.force_login(province_user)
    before = client.get("/reports/yearly/2023/").content.decode()
    corrected = next(item for item in small_dataset if item.code == "DT-2023-02")
    corrected.learners, corrected.completed = 1234, 1200
    services.class_save(user=province_user, training_class=corrected)

    after = client.get("/reports/yearly/2023/").content.decode()

    assert "1.234" not in before
    assert "1.234" in after


def test_the_english_interface_writes_its_tables_figures_the_english_way(client, province_user, small_dataset):
    client.force_login(province_user)
    vietnamese = _tables(client.get("/reports/yearly/2023/").content.decode())
    english = _tables(client.get("/reports/yearly/2023/", HTTP_ACCEPT_LANGUAGE="en").content.decode())

    # 2023 against 2022: 5 classes against 3.
    assert "+66,7%" in vietnamese and "+66.7%" not in vietnamese
    assert "+66.7%" in english and "+66,7%" not in english
