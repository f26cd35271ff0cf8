"""An account created with a one-time password goes to the password change page until it has set its own."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


class PasswordChangeRequiredMiddleware:
    ALLOWED = ("admin:password_change", "admin:password_change_done", "admin:logout", "admin:login", "admin:jsi18n")

    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed = None

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            if self._allowed is None:
                self._allowed = {reverse(name) for name in self.ALLOWED}
            if request.path not in self._allowed and not request.path.startswith(("/static/", "/healthz")):
                messages.warning(
                    request,
                    _("Tài khoản đang dùng mật khẩu một lần: hãy đặt mật khẩu của riêng bạn trước khi làm việc."),
                )
                return redirect("admin:password_change")
        return self.get_response(request)
