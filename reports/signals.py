"""`classes` says which years' figures changed (classes/signals.py); a new stamp for each
of them makes every cached report of those years stale in every server process."""

from classes.signals import figures_changed
from reports import stamps


def _figures_changed(sender, years=(), every_year=False, **kwargs):
    # The reference stamp is in every cache key: bumping it renews every year.
    stamps.years_changed({*years, stamps.REFERENCE} if every_year else years)


def connect():
    figures_changed.connect(_figures_changed, dispatch_uid="reports-figures-changed")
