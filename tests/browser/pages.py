"""Headless Debian Chromium driven by Playwright, with no browser download."""

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium (Debian package `chromium`) is missing; .ci/run installs it.")
        pytest.skip("Chromium is not installed: apt-get install chromium")
    return path


@contextlib.contextmanager
def vietnamese_page():
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    # Playwright's sync API runs an event loop in this thread; the Django calls
    # the live server makes happen in its own thread, so this is safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with tempfile.TemporaryDirectory() as profile, sync_playwright() as playwright:
            browser = playwright.chromium.launch_persistent_context(
                profile,
                executable_path=executable,
                headless=True,
                args=CHROMIUM_ARGS,
                locale="vi-VN",
                viewport={"width": 1366, "height": 900},
            )
            try:
                yield browser.new_page()
            finally:
                browser.close()
    finally:
        # Left set, it would fail the deployment check that later tests run.
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def admin_login(page, base_url, username, password):
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
