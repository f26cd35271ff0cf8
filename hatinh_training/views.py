from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from reports.selectors import report_scope


@login_required
def home(request):
    """A logged-in user's start page: the yearly report, or data entry for a user without a role."""
    if report_scope(request.user) is None:
        return redirect("admin:index")
    return redirect("reports:home")
