"""Which Django permissions each role's group carries.

The groups are created and kept in step with this table by `role_groups_sync`, which runs
after every `migrate` (post_migrate, see classes/apps.py): migrations never call this module,
so editing the table never changes what an old migration does. A user's role field says
which one group they belong to.
"""

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext_lazy as _

GROUP_NAMES = {
    "district": "Cán bộ huyện",
    "province": "Ban Tuyên giáo Tỉnh ủy",
    "admin": "Quản trị hệ thống",
    "centre": "Cán bộ trung tâm",
}

# (app_label, model) -> actions, per role.
PERMISSIONS = {
    "district": {
        ("classes", "trainingclass"): ("view", "add", "change", "delete"),
        ("classes", "commendation"): ("view",),
        ("classes", "administrativeunit"): ("view",),
        ("classes", "trainingcentre"): ("view",),
        ("classes", "programme"): ("view",),
        ("classes", "yearlock"): ("view",),
        ("classes", "annualplan"): ("view", "add", "change", "delete"),
        ("classes", "learningneedssurvey"): ("view", "add", "change", "delete"),
        ("classes", "standardcriterion"): ("view",),
        ("classes", "reportingperiod"): ("view",),
        ("classes", "centreassessment"): ("view",),
        ("classes", "centreassessmentscore"): ("view",),
        ("classes", "unitreport"): ("view", "add"),
    },
    "province": {
        ("classes", "trainingclass"): ("view", "add", "change", "delete"),
        ("classes", "commendation"): ("view", "add", "change", "delete"),
        ("classes", "administrativeunit"): ("view",),
        ("classes", "trainingcentre"): ("view",),
        ("classes", "programme"): ("view",),
        ("classes", "yearlock"): ("view", "add", "change", "delete"),
        ("classes", "annualplan"): ("view", "add", "change", "delete"),
        ("classes", "learningneedssurvey"): ("view", "add", "change", "delete"),
        ("classes", "standardcriterion"): ("view", "add", "change", "delete"),
        ("classes", "reportingperiod"): ("view", "add", "change"),
        ("classes", "centreassessment"): ("view", "add", "change", "delete"),
        ("classes", "centreassessmentscore"): ("view", "add", "change", "delete"),
        ("classes", "unitreport"): ("view", "add", "change"),
        ("classes", "boardname"): ("view", "add", "change", "delete"),
        # Board accounts are managed only by the board (see user_may_manage).
        ("classes", "user"): ("view", "add", "change", "delete"),
    },
    "admin": {
        ("classes", "trainingclass"): ("view",),
        ("classes", "commendation"): ("view",),
        ("classes", "administrativeunit"): ("view", "add", "change", "delete"),
        ("classes", "trainingcentre"): ("view", "add", "change", "delete"),
        ("classes", "programme"): ("view", "add", "change", "delete"),
        ("classes", "yearlock"): ("view",),
        ("classes", "user"): ("view", "add", "change", "delete"),
        ("classes", "annualplan"): ("view",),
        ("classes", "learningneedssurvey"): ("view",),
        ("classes", "standardcriterion"): ("view",),
        ("classes", "reportingperiod"): ("view",),
        ("classes", "centreassessment"): ("view",),
        ("classes", "unitreport"): ("view",),
        ("classes", "boardname"): ("view",),
        ("auth", "group"): ("view",),
    },
    # Which classes a centre's staff see is decided by the selectors (the centre scope).
    "centre": {
        ("classes", "trainingclass"): ("view", "add", "change", "delete"),
        ("classes", "administrativeunit"): ("view",),
        ("classes", "trainingcentre"): ("view",),
        ("classes", "programme"): ("view",),
        ("classes", "yearlock"): ("view",),
    },
}

ROLE_HELP = _("Cán bộ huyện chỉ thấy đơn vị mình; Ban Tuyên giáo Tỉnh ủy và quản trị thấy toàn tỉnh.")


def _model_exists(apps, app_label, model):
    try:
        apps.get_model(app_label, model)
    except LookupError:
        return False
    return True


def role_groups_sync(*, apps=None, using=DEFAULT_DB_ALIAS):
    """Create the groups and give them exactly the permissions of PERMISSIONS."""
    from django.contrib.auth.management import create_permissions

    apps = apps or global_apps
    # The permissions are created on post_migrate too, perhaps after this handler: make sure.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, apps=apps, verbosity=0, using=using)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, name in GROUP_NAMES.items():
        group, _created = Group.objects.using(using).get_or_create(name=name)
        wanted = [
            Permission.objects.using(using).get(content_type__app_label=app_label, codename=f"{action}_{model}")
            for (app_label, model), actions in PERMISSIONS[role].items()
            if _model_exists(apps, app_label, model)  # not after migrating back before its model
            for action in actions
        ]
        group.permissions.set(wanted)


def role_groups_sync_after_migrate(sender, *, apps=None, using=DEFAULT_DB_ALIAS, **kwargs):
    role_groups_sync(apps=apps, using=using)


# --- who may manage which account ---
#
# The board's role and superusers outrank the administrator: an administrator who
# could create, promote, reset or edit them would become the board.

BOARD_ROLE = "province"
# What nobody sets on their own account: it would let them widen their own rights.
SELF_LOCKED_FIELDS = ("role", "unit", "is_active", "is_staff", "is_superuser")


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _outranks_admin(user) -> bool:
    return bool(user.is_superuser or user.role == BOARD_ROLE)


def user_may_manage(actor, target=None, new_role=None, *, deleting=False) -> bool:
    """Whether `actor` may create (target None), edit, reset the password of or delete
    (`deleting`) the account `target`, leaving it with `new_role` (None: its role unchanged).

    Superusers are managed only by superusers; board accounts by the board or a superuser;
    the administrator role manages the rest. Nobody changes their own role or deletes
    themselves (the other self-locked fields are read-only on one's own account).
    """
    if not _active(actor):
        return False
    if actor.is_superuser:
        rank_ok = True
    elif actor.role == BOARD_ROLE:
        rank_ok = target is None or not target.is_superuser
    elif actor.role == "admin":
        rank_ok = (target is None or not _outranks_admin(target)) and new_role != BOARD_ROLE
    else:
        return False
    if not rank_ok:
        return False
    if target is not None and target.pk == actor.pk:
        return not deleting and (new_role is None or new_role == target.role)
    return True


def users_manageable_by(actor, queryset):
    """The accounts of `queryset` that `actor` may manage (the same rule as user_may_manage)."""
    if not _active(actor):
        return queryset.none()
    if actor.is_superuser:
        return queryset
    if actor.role == BOARD_ROLE:
        return queryset.exclude(is_superuser=True)
    if actor.role == "admin":
        return queryset.exclude(is_superuser=True).exclude(role=BOARD_ROLE)
    return queryset.none()


def roles_assignable_by(actor) -> list[str]:
    """The roles `actor` may give an account it manages."""
    return [role for role in GROUP_NAMES if user_may_manage(actor, None, role)]
