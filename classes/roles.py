"""Which Django permissions each role's group carries.

The groups are created by a migration (0002) and kept in step by `role_groups_sync`;
a user's role field says which one group they belong to.
"""

from django.utils.translation import gettext_lazy as _

GROUP_NAMES = {
    "district": "Cán bộ huyện",
    "province": "Ban Tuyên giáo Tỉnh ủy",
    "admin": "Quản trị hệ thống",
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
    },
    "province": {
        ("classes", "trainingclass"): ("view", "add", "change", "delete"),
        ("classes", "commendation"): ("view", "add", "change", "delete"),
        ("classes", "administrativeunit"): ("view",),
        ("classes", "trainingcentre"): ("view",),
        ("classes", "programme"): ("view",),
        ("classes", "yearlock"): ("view", "add", "change", "delete"),
    },
    "admin": {
        ("classes", "trainingclass"): ("view",),
        ("classes", "commendation"): ("view",),
        ("classes", "administrativeunit"): ("view", "add", "change", "delete"),
        ("classes", "trainingcentre"): ("view", "add", "change", "delete"),
        ("classes", "programme"): ("view", "add", "change", "delete"),
        ("classes", "yearlock"): ("view",),
        ("classes", "user"): ("view", "add", "change", "delete"),
        ("auth", "group"): ("view",),
    },
}

ROLE_HELP = _("Cán bộ huyện chỉ thấy đơn vị mình; Ban Tuyên giáo Tỉnh ủy và quản trị thấy toàn tỉnh.")


def role_groups_sync(apps):
    """Create the groups and give them exactly their permissions (used by migrations)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, name in GROUP_NAMES.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = []
        for (app_label, model), actions in PERMISSIONS[role].items():
            for action in actions:
                wanted.append(
                    Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")
                )
        group.permissions.set(wanted)
