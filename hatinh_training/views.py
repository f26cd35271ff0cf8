from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect


@login_required
def home(request):
    """A logged-in user's start page."""
    return redirect("admin:index")
