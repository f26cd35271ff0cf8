"""Invalidation of cached reports: a new stamp for every year whose figures changed."""

import uuid

from django.db import IntegrityError, transaction

from reports.models import ReportStamp

REFERENCE = 0  # the stamp of names every report shows (units, programmes, centres)


def years_changed(years) -> None:
    """Model signals call this; call it yourself after bulk_create or QuerySet.update."""
    for year in sorted({int(year) for year in years if year is not None}):
        token = uuid.uuid4().hex
        if ReportStamp.objects.filter(year=year).update(token=token):
            continue
        try:
            with transaction.atomic():
                ReportStamp.objects.create(year=year, token=token)
        except IntegrityError:  # created meanwhile by a concurrent writer
            ReportStamp.objects.filter(year=year).update(token=token)
