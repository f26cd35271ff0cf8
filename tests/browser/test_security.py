"""The Content-Security-Policy blocks nothing the app's own pages need (in Chromium)."""

import pytest

from tests.browser.pages import admin_login, vietnamese_page
from tests.factories import PASSWORD, make_class

# serialized_rollback: a transactional test flushes the reference data the migrations loaded.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PAGES = [
    "/admin/",
    "/admin/classes/trainingclass/",
    "/admin/classes/trainingclass/add/",
    "/admin/classes/trainingclass/{class_id}/change/",
    "/admin/classes/trainingclass/{class_id}/history/",
    "/admin/classes/trainingclass/import/",
    "/admin/classes/commendation/add/",
    "/reports/yearly/2023/",
]


def test_the_app_pages_run_under_the_content_security_policy(live_server, province_user):
    training_class = make_class("CL-2023-CSP", "443")
    violations = []
    with vietnamese_page() as page:
        page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text and violations.append((page.url, message.text[:200]))
            ),
        )
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation',"
            " e => console.error('Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI))"
        )
        admin_login(page, live_server.url, "tinh", PASSWORD)
        for path in PAGES:
            response = page.goto(live_server.url + path.format(class_id=training_class.pk))
            assert response.status == 200, path
            assert "'unsafe-inline'" not in response.headers["content-security-policy"], path
            page.wait_for_load_state("load")
        # The admin's own scripts ran: the calendar shortcuts are drawn by JavaScript.
        page.goto(f"{live_server.url}/admin/classes/trainingclass/add/")
        page.wait_for_selector(".datetimeshortcuts")
    assert violations == []
