"""Login throttling (django-axes) and the upload size cap."""

import logging
import time

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.formats import number_format
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class AxesLoginBackend(AxesStandaloneBackend):
    """Axes' lock-out check for every login that comes with a request.

    The login page always passes the request. Calls without one (the test
    client's login(), scripts) cannot be throttled by address, so they go
    straight to the password check instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class UploadSizeLimitMiddleware:
    """Refuse a request body above UPLOAD_MAX_FILE_SIZE before Django reads it.

    DATA_UPLOAD_MAX_MEMORY_SIZE leaves files out; this caps them too, with a
    message instead of a dropped connection. nginx's client_max_body_size
    should say the same (README, Deployment).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.UPLOAD_MAX_FILE_SIZE
        if length > limit:
            logger.warning("upload refused: %s bytes, limit %s", length, limit)
            message = _(
                "Tệp tải lên quá lớn (%(size)s MB); giới hạn là %(limit)s MB. Hãy chia tệp thành nhiều phần."
            ) % {
                "size": number_format(length / 1048576, 1),
                "limit": number_format(limit / 1048576, 0),
            }
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class PrivateCacheMiddleware:
    """What a logged-in user receives is theirs alone: no shared proxy may keep it.

    Every such response is `Cache-Control: private`; files (exports, which carry a
    Content-Disposition) and admin pages also `no-store`, so no copy stays on disk
    either. Anonymous answers (the login page, /healthz) keep their own headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True)
            if response.has_header("Content-Disposition") or request.path.startswith(reverse("admin:index")):
                patch_cache_control(response, no_store=True)
        return response


SESSION_SEEN_KEY = "_seen"
# Renew the session's expiry at most once a minute: a write per request would cost
# a query on every page for nothing.
SESSION_RENEW_SECONDS = 60
# ...and at least ten times per idle timeout, so a short timeout still renews in time.
SESSION_RENEW_FRACTION = 10


def session_renew_interval() -> int:
    return min(SESSION_RENEW_SECONDS, settings.SESSION_COOKIE_AGE // SESSION_RENEW_FRACTION)


class SessionIdleTimeoutMiddleware:
    """Sessions end SESSION_COOKIE_AGE seconds after the last request.

    The database row's expiry moves forward whenever the session is saved; this
    saves it while the user is active, at most once a minute and at least ten
    times per timeout. A request is then never more than a tenth of the timeout
    after the last renewal, so an active user keeps at least nine tenths of the
    timeout ahead of them and an idle session ends on time.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            now = int(time.time())
            if now - session.get(SESSION_SEEN_KEY, 0) >= session_renew_interval():
                session[SESSION_SEEN_KEY] = now
        return self.get_response(request)


@receiver(user_logged_in)
def _stamp_new_session(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_SEEN_KEY] = int(time.time())
