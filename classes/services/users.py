"""Creating accounts and keeping their role group in step."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from classes import selectors
from classes.models import AdministrativeUnit


def user_admin_save(*, actor, user) -> None:
    """Save an account edited in the admin screens if `actor` may make that change
    (roles.user_may_manage); the one group and admin access follow the role."""
    from django.contrib.auth.models import Group

    from classes.models import User
    from classes.roles import GROUP_NAMES, SELF_LOCKED_FIELDS, user_may_manage

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


def user_save(
    *,
    username: str,
    role: str,
    unit: AdministrativeUnit | None = None,
    password: str | None = None,
    centre=None,
    **fields,
):
    """Create or update a user with one role, its group and, for unit staff, a unit; for centre staff, a centre."""
    from django.contrib.auth.models import Group

    from classes.models import User
    from classes.roles import GROUP_NAMES

    if role not in GROUP_NAMES:
        raise ValidationError(
            _("Vai trò không hợp lệ: %(role)s. Chọn district, province, admin hoặc centre.") % {"role": role}
        )
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

    from classes.models import User

    units = selectors.in_force_on(
        AdministrativeUnit.objects.exclude(kind=AdministrativeUnit.Kind.PROVINCE), day
    ).order_by("code")
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
            user = user_save(
                username=username, role=User.Role.DISTRICT, unit=unit, password=password, first_name=unit.name
            )
            user.must_change_password = True
            user.save(update_fields=["must_change_password"])
            created.append((user, unit, password))
        if on_created is not None and created:
            on_created(created)
    return {"created": created, "existing": existing, "name_taken": name_taken}
