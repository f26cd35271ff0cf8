"""Writes that span models or need the caller's rights. Views, admin classes
and import resources call these and nothing else to change data."""

import math

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import selectors, versioning
from .models import AdministrativeUnit, AnnualPlan, Commendation, ReportingPeriod, TrainingClass, UnitReport, YearLock


def year_lock_message(lock: YearLock) -> str:
    scope = lock.unit.name if lock.unit_id else _("toàn tỉnh")
    who = (lock.locked_by.get_full_name() or lock.locked_by.get_username()) if lock.locked_by_id else _("không rõ")
    return _("Số liệu năm %(year)s của %(scope)s đã khóa bởi %(who)s từ %(when)s.") % {
        "year": lock.year,
        "scope": scope,
        "who": who,
        "when": date_format(timezone.localtime(lock.locked_at), "SHORT_DATETIME_FORMAT"),
    }


def unit_year_check_writable(*, user, unit_id: int | None, year: int | None) -> None:
    """Raise unless this user may write rows of this unit and year.

    District staff write only their own unit, and not in a locked year; the
    board's corrections to a locked year are allowed (and kept in history).
    """
    unit_ids = selectors.visible_unit_ids(user)
    if unit_ids is not None and unit_id not in unit_ids:
        raise PermissionDenied(_("Bạn chỉ được nhập số liệu của đơn vị mình."))
    if year is None or selectors.user_is_board(user):
        return
    lock = selectors.year_lock_for(unit_id=unit_id, year=year)
    if lock is not None:
        raise ValidationError(year_lock_message(lock))


def unit_year_write_checker(*, user):
    """unit_year_check_writable for a whole file at once (imports): the locks are
    read in one query and each (unit, year) is answered from memory by the same
    rules; returns check(unit_id, year) -> the refusal message or None."""
    unit_ids = selectors.visible_unit_ids(user)
    sees_all = selectors.user_is_board(user)
    locks = {} if sees_all else selectors.year_locks_by_unit_and_year()
    answers = {}

    def check(unit_id, year):
        if (unit_id, year) not in answers:
            answer = None
            if unit_ids is not None and unit_id not in unit_ids:
                answer = _("Bạn chỉ được nhập số liệu của đơn vị mình.")
            elif year is not None and not sees_all:
                # As year_lock_for: the earliest of the province-wide lock and the unit's own.
                covering = [lock for lock in (locks.get((None, year)), locks.get((unit_id, year))) if lock]
                if covering:
                    answer = year_lock_message(min(covering, key=lambda lock: lock.locked_at))
            answers[(unit_id, year)] = answer
        return answers[(unit_id, year)]

    return check


def class_check_writable(*, user, training_class: TrainingClass, original: TrainingClass | None = None) -> None:
    """Checks both where the class was (when changing it) and where it goes."""
    if original is not None:
        unit_year_check_writable(user=user, unit_id=original.unit_id, year=original.year)
    year = training_class.start_date.year if training_class.start_date else None
    unit_year_check_writable(user=user, unit_id=training_class.unit_id, year=year)


def _fill_defaults(training_class: TrainingClass) -> None:
    if not training_class.centre_id and training_class.unit_id:
        centre = selectors.default_centre_for(training_class.unit_id, training_class.start_date)
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
            original = (
                TrainingClass.objects.select_for_update().filter(pk=training_class.pk).first()
            )
            if original is None or not selectors.classes_visible_to(user).filter(pk=original.pk).exists():
                raise PermissionDenied(_("Không tìm thấy lớp này trong phạm vi đơn vị của bạn."))
            versioning.check_version(original, expected_version)
        _fill_defaults(training_class)
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
        if not selectors.classes_visible_to(user).filter(pk=training_class.pk).exists():
            raise PermissionDenied(_("Không tìm thấy lớp này trong phạm vi đơn vị của bạn."))
        unit_year_check_writable(user=user, unit_id=training_class.unit_id, year=training_class.year)
        _mark_history(training_class, user, [training_class], _("Xóa lớp của năm %(year)s đã khóa"))
        training_class.delete()


def classes_check_deletable(*, user, queryset) -> None:
    """Raise, naming the classes and the reason, unless every class in the
    selection may be deleted by this user. One query per (unit, year) pair."""
    selected = queryset.order_by().values("pk")
    visible = selectors.classes_visible_to(user).filter(pk__in=selected)
    if visible.count() != queryset.order_by().count():
        raise PermissionDenied(_("Không xóa lớp nào: có lớp không thuộc phạm vi đơn vị của bạn."))
    refusals = []
    for unit_id, year in visible.order_by().values_list("unit_id", "year").distinct():
        try:
            unit_year_check_writable(user=user, unit_id=unit_id, year=year)
        except (PermissionDenied, ValidationError) as error:
            group = visible.filter(unit_id=unit_id, year=year).order_by("code")
            codes = list(group.values_list("code", flat=True)[:5])
            more = group.count() - len(codes)
            listed = ", ".join(codes) + (_(" và %(more)s lớp khác") % {"more": more} if more > 0 else "")
            refusals.append(_("lớp %(codes)s: %(reason)s") % {"codes": listed, "reason": " ".join(_messages(error))})
    if refusals:
        raise ValidationError(_("Không xóa lớp nào. %(refusals)s") % {"refusals": " ".join(sorted(refusals))})


def classes_delete(*, user, queryset) -> int:
    """Delete the whole selection or nothing."""
    with transaction.atomic():
        rows = list(selectors.classes_visible_to(user).filter(pk__in=queryset.order_by().values("pk")).select_for_update())
        classes_check_deletable(user=user, queryset=queryset)
        for training_class in rows:  # one by one so each deletion keeps its history row and author
            _mark_history(training_class, user, [training_class], _("Xóa lớp của năm %(year)s đã khóa"))
            training_class.delete()
    return len(rows)


def _messages(error) -> list[str]:
    return error.messages if isinstance(error, ValidationError) else [str(error)]


def _mark_history(instance, user, versions, locked_reason) -> None:
    """Name the author in the history row, and say so when the board corrects a locked year."""
    instance._history_user = user
    if not selectors.user_is_board(user):
        return
    for version in versions:
        year = getattr(version, "start_date", None) and version.start_date.year
        if version is not None and year and selectors.year_lock_for(unit_id=version.unit_id, year=year):
            instance._change_reason = locked_reason % {"year": year}
            return


def commendation_check_writable(*, user) -> None:
    if not selectors.user_is_board(user):
        raise PermissionDenied(_("Chỉ Ban Tuyên giáo Tỉnh ủy được nhập khen thưởng."))


def commendation_save(*, user, commendation: Commendation, expected_version: int | None = None) -> Commendation:
    """expected_version as in class_save."""
    commendation_check_writable(user=user)
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
    if not selectors.user_is_board(user):
        raise PermissionDenied(_("Chỉ Ban Tuyên giáo Tỉnh ủy được xóa khen thưởng."))
    with transaction.atomic():
        commendation._history_user = user
        commendation.delete()


def year_lock(*, user, year: int, unit: AdministrativeUnit | None = None, reason: str = "") -> YearLock:
    if not selectors.user_is_board(user):
        raise PermissionDenied(_("Chỉ Ban Tuyên giáo Tỉnh ủy được khóa số liệu."))
    with transaction.atomic():
        lock, _created = YearLock.objects.get_or_create(
            year=year, unit=unit, defaults={"locked_by": user, "reason": reason}
        )
    return lock


def year_unlock(*, user, lock: YearLock) -> None:
    if not selectors.user_is_board(user):
        raise PermissionDenied(_("Chỉ Ban Tuyên giáo Tỉnh ủy được mở khóa số liệu."))
    lock.delete()


def user_admin_save(*, actor, user) -> None:
    """Save an account edited in the admin screens if `actor` may make that change
    (roles.user_may_manage); the one group and admin access follow the role."""
    from django.contrib.auth.models import Group

    from .models import User
    from .roles import GROUP_NAMES, SELF_LOCKED_FIELDS, user_may_manage

    with transaction.atomic():
        original = User.objects.select_for_update().filter(pk=user.pk).first() if user.pk else None
        allowed = user_may_manage(actor, original, user.role)
        if allowed and original is not None and original.pk == actor.pk:
            allowed = all(getattr(original, name) == getattr(user, name) for name in (*SELF_LOCKED_FIELDS, "unit_id"))
        if not allowed:
            raise PermissionDenied(_("Bạn không có quyền tạo, sửa hay đổi vai trò tài khoản này."))
        user.is_staff = bool(user.role) or user.is_superuser
        user.save()
        user.groups.set(Group.objects.filter(name=GROUP_NAMES.get(user.role, "")))


def user_save(*, username: str, role: str, unit: AdministrativeUnit | None = None, password: str | None = None,
              centre=None, **fields):
    """Create or update a user with one role, its group and, for unit staff, a unit; for centre staff, a centre."""
    from django.contrib.auth.models import Group

    from .models import User
    from .roles import GROUP_NAMES

    if role not in GROUP_NAMES:
        raise ValidationError(_("Vai trò không hợp lệ: %(role)s. Chọn district, province, admin hoặc centre.") % {"role": role})
    if role == User.Role.DISTRICT and unit is None:
        raise ValidationError(_("Cán bộ huyện phải gắn với một đơn vị (--unit MÃ)."))
    if role == User.Role.CENTRE and centre is None:
        raise ValidationError(_("Cán bộ trung tâm phải gắn với một trung tâm (--centre MÃ)."))
    with transaction.atomic():
        user = User.objects.filter(username=username).first() or User(username=username)
        user.role = role
        user.unit = unit
        user.centre = centre
        user.is_staff = True  # every role works in the admin screens
        user.is_superuser = False
        for name, value in fields.items():
            setattr(user, name, value)
        if password is not None:
            user.set_password(password)
        user.full_clean(exclude=["password"] if password is None and user.pk else None)
        user.save()
        user.groups.set([Group.objects.get(name=GROUP_NAMES[role])])
    return user


# --- Planning: plans, surveys, centre standards, the reporting cycle ---


def _require_board(user, message: str) -> None:
    if not selectors.user_is_board(user):
        raise PermissionDenied(message)


def _scoped_original(queryset, instance, message: str):
    """The stored row being changed, if it is in the user's scope; refuses otherwise."""
    if not instance.pk:
        return None
    original = queryset.model.objects.select_for_update().filter(pk=instance.pk).first()
    if original is None or not queryset.filter(pk=instance.pk).exists():
        raise PermissionDenied(message)
    return original


def _unit_year_row_save(*, user, instance, visible, expected_version=None):
    """Plans and surveys: the unit must be the user's, and its year open (old and new place).
    expected_version as in class_save, for rows that have a version."""
    with transaction.atomic():
        original = _scoped_original(visible, instance, _("Không tìm thấy dòng này trong phạm vi đơn vị của bạn."))
        if original is not None:
            unit_year_check_writable(user=user, unit_id=original.unit_id, year=original.year)
        unit_year_check_writable(user=user, unit_id=instance.unit_id, year=instance.year)
        if original is not None and hasattr(original, "version"):
            versioning.check_version(original, expected_version)
        instance.full_clean()
        if original is not None and hasattr(original, "version"):
            instance.version = versioning.claim_version(original)
        instance.updated_by = user
        instance.save()
    return instance


def _unit_year_row_delete(*, user, instance, visible):
    with transaction.atomic():
        if not visible.filter(pk=instance.pk).exists():
            raise PermissionDenied(_("Không tìm thấy dòng này trong phạm vi đơn vị của bạn."))
        unit_year_check_writable(user=user, unit_id=instance.unit_id, year=instance.year)
        instance.delete()


def plan_save(*, user, plan, expected_version: int | None = None):
    plan.is_draft = False  # adjusted by a person from now on
    return _unit_year_row_save(
        user=user, instance=plan, visible=selectors.plans_visible_to(user), expected_version=expected_version,
    )


def plan_delete(*, user, plan) -> None:
    _unit_year_row_delete(user=user, instance=plan, visible=selectors.plans_visible_to(user))


def survey_save(*, user, survey):
    return _unit_year_row_save(user=user, instance=survey, visible=selectors.surveys_visible_to(user))


def survey_delete(*, user, survey) -> None:
    _unit_year_row_delete(user=user, instance=survey, visible=selectors.surveys_visible_to(user))


def plan_draft_generate(*, user, unit: AdministrativeUnit, year: int) -> dict:
    """Draft plan rows for `year` from the unit's latest survey per programme minus the
    learners trained since that survey. Rows the unit already has are left as they are.

    Returns {"created": n, "kept": n}.
    """
    unit_year_check_writable(user=user, unit_id=unit.pk, year=year)
    if problem := unit.validity_error_in(year):
        raise ValidationError(problem)
    period = selectors.reporting_period_for(year) or selectors.reporting_period_for(year - 1)
    class_size = period.draft_class_size if period else ReportingPeriod._meta.get_field("draft_class_size").default
    rows = selectors.plan_draft_figures(user=user, unit_id=unit.pk, year=year)
    created = kept = 0
    with transaction.atomic():
        existing = set(
            AnnualPlan.objects.filter(unit=unit, year=year).values_list("programme_id", flat=True)
        )
        new_plans = []
        for row in rows:
            if row["programme_id"] in existing:
                kept += 1
                continue
            learners = max(row["people_needing"] - row["trained"], 0)
            new_plans.append(AnnualPlan(
                year=year, unit=unit, programme_id=row["programme_id"], is_draft=True, updated_by=user,
                planned_learners=learners, planned_classes=math.ceil(learners / class_size),
                note=_("Dự thảo từ khảo sát ngày %(date)s: %(need)s người có nhu cầu, đã học %(trained)s.") % {
                    "date": date_format(row["survey_date"], "SHORT_DATE_FORMAT"),
                    "need": row["people_needing"], "trained": row["trained"],
                },
            ))
        # One save per programme (a few dozen at most): history and report stamps follow.
        for new_plan in new_plans:
            new_plan.save()
        created = len(new_plans)
    return {"created": created, "kept": kept}


def reporting_period_save(*, user, period):
    _require_board(user, _("Chỉ Ban Tuyên giáo Tỉnh ủy được đặt hạn báo cáo và điểm đạt chuẩn."))
    with transaction.atomic():
        period.full_clean()
        period.save()
    return period


def criterion_save(*, user, criterion):
    _require_board(user, _("Chỉ Ban Tuyên giáo Tỉnh ủy được sửa tiêu chí đạt chuẩn."))
    with transaction.atomic():
        criterion.full_clean()
        criterion.save()
    return criterion


def assessment_save(*, user, assessment, scores=()):
    """Save an assessment and its scores together; every score checked against its maximum."""
    _require_board(user, _("Chỉ Ban Tuyên giáo Tỉnh ủy được đánh giá đạt chuẩn trung tâm."))
    with transaction.atomic():
        assessment.assessed_by = user
        assessment.full_clean()
        assessment.save()
        for score in scores:
            score.assessment = assessment
            score.full_clean()
            score.save()
    return assessment


def _report_refusal(report, action: str) -> ValidationError:
    return ValidationError(_("Không thể %(action)s: báo cáo năm %(year)s của %(unit)s đang ở trạng thái “%(status)s”.") % {
        "action": action, "year": report.year, "unit": report.unit.name, "status": report.get_status_display(),
    })


def unit_report_submit(*, user, unit: AdministrativeUnit, year: int):
    """The unit sends its year's figures (đã gửi). Allowed when nothing was sent yet or it was returned."""
    with transaction.atomic():
        unit_year_check_writable(user=user, unit_id=unit.pk, year=year)
        report = UnitReport.objects.select_for_update().filter(unit=unit, year=year).first()
        if report is None:
            report = UnitReport(unit=unit, year=year)
        elif report.status != UnitReport.Status.RETURNED:
            raise _report_refusal(report, _("gửi lại"))
        report.status = UnitReport.Status.SUBMITTED
        report.submitted_by, report.submitted_at = user, timezone.now()
        report.full_clean()
        report.save()
    return report


def _published_period(year):
    period = selectors.reporting_period_for(year)
    return period if period is not None and period.published_at else None


def unit_report_accept(*, user, report):
    """The board accepts a sent report (đã duyệt): the unit's year is locked."""
    _require_board(user, _("Chỉ Ban Tuyên giáo Tỉnh ủy được duyệt báo cáo."))
    with transaction.atomic():
        report = UnitReport.objects.select_for_update().select_related("unit").get(pk=report.pk)
        if report.status != UnitReport.Status.SUBMITTED:
            raise _report_refusal(report, _("duyệt"))
        report.status = UnitReport.Status.ACCEPTED
        report.reviewed_by, report.reviewed_at = user, timezone.now()
        report.return_reason = ""
        report.save()
        year_lock(user=user, year=report.year, unit=report.unit, reason=_("Đã duyệt báo cáo năm."))
    return report


def unit_report_return(*, user, report, reason: str):
    """The board sends a report back with a reason (trả lại): the unit's year opens again."""
    _require_board(user, _("Chỉ Ban Tuyên giáo Tỉnh ủy được trả lại báo cáo."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"return_reason": _("Trả lại báo cáo phải ghi lý do.")})
    with transaction.atomic():
        report = UnitReport.objects.select_for_update().select_related("unit").get(pk=report.pk)
        if report.status == UnitReport.Status.RETURNED:
            raise _report_refusal(report, _("trả lại"))
        if _published_period(report.year):
            raise ValidationError(_("Năm %(year)s đã công bố số liệu: không trả lại báo cáo được nữa; Ban sửa trực tiếp nếu cần.") % {
                "year": report.year,
            })
        report.status = UnitReport.Status.RETURNED
        report.reviewed_by, report.reviewed_at = user, timezone.now()
        report.return_reason = reason
        report.save()
        for lock in YearLock.objects.filter(year=report.year, unit=report.unit):
            year_unlock(user=user, lock=lock)
    return report


def reporting_period_publish(*, user, year: int):
    """The board publishes a year: its figures are frozen as published and the year is
    locked province-wide. Publishing again replaces the frozen figures."""
    _require_board(user, _("Chỉ Ban Tuyên giáo Tỉnh ủy được công bố số liệu."))
    with transaction.atomic():
        period, _created = ReportingPeriod.objects.select_for_update().get_or_create(year=year)
        period.published_figures = selectors.published_figures_compute(user=user, year=year)
        period.published_at, period.published_by = timezone.now(), user
        period.save()
        year_lock(user=user, year=year, unit=None, reason=_("Đã công bố số liệu năm."))
    return period


# --- Accounts for the units in force (create_unit_accounts) ---

# No 0/O, 1/l/I: the board reads these out or prints them.
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def unit_account_username(unit: AdministrativeUnit) -> str:
    return f"dv{unit.code}"


def unit_accounts_create(*, day, on_created=None) -> dict:
    """One unit-staff account, with a one-time password it must change at first login, for every
    unit in force on `day` that has none. `on_created(accounts)` runs inside the transaction (to
    write the passwords out): if it fails, no account is created, so no password is lost.

    Returns {"created": [(user, unit, password)], "existing": n, "name_taken": [unit]}.
    """
    import secrets

    from .models import User

    units = selectors.in_force_on(AdministrativeUnit.objects.exclude(kind=AdministrativeUnit.Kind.PROVINCE), day).order_by("code")
    created, existing, name_taken = [], 0, []
    with transaction.atomic():
        staffed = set(User.objects.filter(role=User.Role.DISTRICT, unit__in=units).values_list("unit_id", flat=True))
        for unit in units:
            if unit.pk in staffed:
                existing += 1
                continue
            username = unit_account_username(unit)
            if User.objects.filter(username=username).exists():
                name_taken.append(unit)  # a person's own account: never taken over
                continue
            password = "".join(secrets.choice(_PASSWORD_ALPHABET) for _i in range(12))
            user = user_save(username=username, role=User.Role.DISTRICT, unit=unit, password=password, first_name=unit.name)
            user.must_change_password = True
            user.save(update_fields=["must_change_password"])
            created.append((user, unit, password))
        if on_created is not None and created:
            on_created(created)
    return {"created": created, "existing": existing, "name_taken": name_taken}
