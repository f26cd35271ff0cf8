from unittest import mock

from django.core.cache import cache
from django.utils import translation
from matplotlib.figure import Figure

from reports.presentation import charts


def _chart(values):
    return charts.Chart("classes_by_year", "Số lớp theo năm", "column", ["2022", "2023"], [("Số lớp", values, "#000")])


def _drawing_count(draw):
    with mock.patch.object(Figure, "savefig", autospec=True, side_effect=Figure.savefig) as savefig:
        draw()
    return savefig.call_count


def test_a_chart_is_drawn_once_and_then_served_from_the_cache():
    cache.clear()
    first = charts.svg(_chart([709, 775]))

    assert _drawing_count(lambda: charts.svg(_chart([709, 775]))) == 0
    assert charts.svg(_chart([709, 775])) == first
    assert 'class="chart"' in first


def test_changed_figures_or_another_language_draw_the_chart_again():
    cache.clear()
    charts.svg(_chart([709, 775]))

    assert _drawing_count(lambda: charts.svg(_chart([709, 776]))) == 1
    with translation.override("en"):
        assert _drawing_count(lambda: charts.svg(_chart([709, 775]))) == 1


def test_the_png_for_the_word_report_is_kept_apart_from_the_svg():
    cache.clear()
    charts.svg(_chart([709, 775]))

    assert _drawing_count(lambda: charts.png(_chart([709, 775]))) == 1
    assert charts.png(_chart([709, 775])).startswith(b"\x89PNG")
