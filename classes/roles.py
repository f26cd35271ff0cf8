"""Which Django permissions each role's group carries.

The groups are created by a migration (0002) and kept in step by `role_groups_sync`;
a user's role field says which one group they belong to.
"""

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
            if not _model_exists(apps, app_label, model):
                continue  # created by a later migration, which syncs the groups again
            for action in actions:
                wanted.append(
                    Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")
                )
        group.permissions.set(wanted)
