"""Saving and deleting classes and commendations."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from classes import access, selectors, versioning
from classes.access import class_check_writable, commendation_check_writable
from classes.models import Commendation, TrainingClass


def _fill_defaults(user, training_class: TrainingClass) -> None:
    if not training_class.centre_id and training_class.unit_id:
        centre = access.centre_written_by(user) or selectors.default_centre_for(
            training_class.unit_id, training_class.start_date
        )
        if centre is not None:
            training_class.centre = centre


def class_save(*, user, training_class: TrainingClass, expected_version: int | None = None) -> TrainingClass:
    """Create or change a class after checking the user's rights and every rule.

    expected_version: the version the user's form was loaded at; the save is
    refused (versioning.EditConflict) when someone else saved the class since.
    """
    with transaction.atomic():
        original = None
        if training_class.pk:
            original = TrainingClass.objects.select_for_update().filter(pk=training_class.pk).first()
            if original is None or not access.classes_visible_to(user).filter(pk=original.pk).exists():
                raise PermissionDenied(_("Không tìm thấy lớp này trong phạm vi đơn vị của bạn."))
            versioning.check_version(original, expected_version)
        _fill_defaults(user, training_class)
        class_check_writable(user=user, training_class=training_class, original=original)
        training_class.full_clean()
        if original is None:
            training_class.created_by = user
        else:
            training_class.version = versioning.claim_version(original)
        training_class.updated_by = user
        _mark_history(training_class, user, [original, training_class], _("Sửa số liệu năm %(year)s đã khóa"))
        training_class.save()
    return training_class


def class_create(*, user, **fields) -> TrainingClass:
    return class_save(user=user, training_class=TrainingClass(**fields))


def class_delete(*, user, training_class: TrainingClass) -> None:
    with transaction.atomic():
        if not access.classes_visible_to(user).filter(pk=training_class.pk).exists():
            raise PermissionDenied(_("Không tìm thấy lớp này trong phạm vi đơn vị của bạn."))
        access.write_check(user, training_class.unit_id, training_class.year, centre=training_class.centre_id)
        _mark_history(training_class, user, [training_class], _("Xóa lớp của năm %(year)s đã khóa"))
        training_class.delete()


def classes_check_deletable(*, user, queryset) -> None:
    """Raise, naming the classes and the reason, unless every class in the
    selection may be deleted by this user. One query per (unit, year) pair."""
    selected = queryset.order_by().values("pk")
    visible = access.classes_visible_to(user).filter(pk__in=selected)
    if visible.count() != queryset.order_by().count():
        raise PermissionDenied(_("Không xóa lớp nào: có lớp không thuộc phạm vi đơn vị của bạn."))
    places = list(visible.order_by().values_list("unit_id", "year", "centre_id").distinct())
    answers = access.write_refusals(user, places)
    refused = {}  # (unit, year) -> the reason, as each group of classes is named
    for unit_id, year, centre_id in places:
        if refusal := answers[(unit_id, year, centre_id)]:
            refused.setdefault((unit_id, year), str(refusal))
    refusals = []
    for (unit_id, year), reason in refused.items():
        group = visible.filter(unit_id=unit_id, year=year).order_by("code")
        codes = list(group.values_list("code", flat=True)[:5])
        more = group.count() - len(codes)
        listed = ", ".join(codes) + (_(" và %(more)s lớp khác") % {"more": more} if more > 0 else "")
        refusals.append(_("lớp %(codes)s: %(reason)s") % {"codes": listed, "reason": reason})
    if refusals:
        raise ValidationError(_("Không xóa lớp nào. %(refusals)s") % {"refusals": " ".join(sorted(refusals))})


def classes_delete(*, user, queryset) -> int:
    """Delete the whole selection or nothing."""
    with transaction.atomic():
        rows = list(access.classes_visible_to(user).filter(pk__in=queryset.order_by().values("pk")).select_for_update())
        classes_check_deletable(user=user, queryset=queryset)
        for training_class in rows:  # one by one so each deletion keeps its history row and author
            _mark_history(training_class, user, [training_class], _("Xóa lớp của năm %(year)s đã khóa"))
            training_class.delete()
    return len(rows)


def _mark_history(instance, user, versions, locked_reason) -> None:
    """Name the author in the history row, and say so when the board corrects a locked year."""
    instance._history_user = user
    if not access.user_is_board(user):
        return
    for version in versions:
        year = getattr(version, "start_date", None) and version.start_date.year
        if version is not None and year and access.year_lock_for(unit_id=version.unit_id, year=year):
            instance._change_reason = locked_reason % {"year": year}
            return


def commendation_save(*, user, commendation: Commendation, expected_version: int | None = None) -> Commendation:
    """expected_version as in class_save."""
    commendation_check_writable(user=user, commendation=commendation)
    with transaction.atomic():
        commendation.full_clean()
        if commendation.pk:
            original = Commendation.objects.select_for_update().get(pk=commendation.pk)
            versioning.check_version(original, expected_version)
            commendation.version = versioning.claim_version(original)
        commendation._history_user = user
        commendation.save()
    return commendation


def commendation_delete(*, user, commendation: Commendation) -> None:
    if not access.user_is_board(user):
        raise PermissionDenied(_("Chỉ Ban Tuyên giáo Tỉnh ủy được xóa khen thưởng."))
    commendation_check_writable(user=user, commendation=commendation)
    with transaction.atomic():
        commendation._history_user = user
        commendation.delete()
