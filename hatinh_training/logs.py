"""Log lines that say which request they belong to, and never hold a secret.

RequestContextMiddleware keeps the current request's id, user, method and path
in context variables; RequestContextFilter copies them onto every record, so a
failed import's log lines can be told apart from the others in the same worker.
RedactSecretsFilter masks passwords, session keys and tokens wherever a library
puts them into a message.
"""

import logging
import re
import uuid
from contextvars import ContextVar

from django.core.signals import request_finished
from django.dispatch import receiver

_context: ContextVar[dict | None] = ContextVar("request_log_context", default=None)
_EMPTY = {"request_id": "-", "user": "-", "method": "-", "path": "-"}


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A proxy's request id (nginx $request_id) ties our lines to its access log.
        request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex[:12]
        # Kept until the response is closed: Django logs 4xx and 5xx answers
        # after the middleware has returned.
        _context.set({"request_id": request_id, "user": "-", "method": request.method, "path": request.path})
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # By now AuthenticationMiddleware has run, and LoginRequiredMiddleware
        # loads the user anyway, so naming it costs no query.
        context = _context.get()
        user = getattr(request, "user", None)
        if context is not None and user is not None and user.is_authenticated:
            context["user"] = user.get_username()


@receiver(request_finished)
def _forget_request(**kwargs):
    _context.set(None)


class RequestContextFilter(logging.Filter):
    def filter(self, record):
        context = _context.get() or _EMPTY
        for key, value in context.items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True


# key=value, key: value, "key": "value" for the names a secret travels under.
_SECRET_NAMES = r"password\d?|passwd|pwd|secret(?:_key)?|sessionid|session_key|session|csrftoken|csrfmiddlewaretoken|token|authorization|cookie"
_SECRET = re.compile(
    rf"""(?P<key>["']?\b(?:{_SECRET_NAMES})\b["']?\s*[:=]\s*)(?P<quote>["']?)(?P<value>[^\s"',;&}}]+)""",
    re.IGNORECASE,
)


def redact(text: str) -> str:
    return _SECRET.sub(lambda m: f"{m['key']}{m['quote']}***", text)


class RedactSecretsFilter(logging.Filter):
    def filter(self, record):
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
