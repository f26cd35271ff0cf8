"""Every report page says who is logged in and leads to logout, change password and data entry."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/reports/yearly/2023/", "/reports/completeness/2023/"])
def test_a_report_page_shows_the_user_logout_change_password_and_data_entry(small_dataset, client, province_user, url):
    client.force_login(province_user)
    page = client.get(url).content.decode()
    assert '<span class="user" id="logged-in">Ban Tuyên giáo</span>' in page
    assert '<form method="post" action="/admin/logout/" class="logout">' in page
    assert 'href="/admin/password_change/" id="change-password"' in page
    assert 'href="/admin/"' in page


def test_the_admin_links_to_the_reports(client, province_user):
    client.force_login(province_user)
    assert '<a href="/reports/" id="reports-link">Xem báo cáo</a>' in client.get("/admin/").content.decode()


def test_the_reports_tables_scroll_inside_their_own_box(small_dataset, client, province_user):
    client.force_login(province_user)
    page = client.get("/reports/yearly/2023/").content.decode()
    assert page.count('<div class="table-scroll"><table class="figures') == page.count('<table class="figures')
