from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# The staff roles of the admin, by group name: editors keep the records right, viewers read them.
# Both reach every record of the portal's own apps and nothing else (no users, no groups).
ROLE_APPS = ("projects", "evaluations")
ROLES = {
    "editor": ("view", "add", "change", "delete"),
    "viewer": ("view",),
}


def create_roles(using="default", **kwargs):
    """Create or update the "editor" and "viewer" groups with their permissions on every model
    of ROLE_APPS. Run after every migrate, so that a new model's permissions join the groups."""
    from django.contrib.auth.models import Group, Permission

    permissions = Permission.objects.using(using).filter(content_type__app_label__in=ROLE_APPS)
    for name, actions in ROLES.items():
        group, _created = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set([p for p in permissions if p.codename.split("_", 1)[0] in actions])


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects")

    def ready(self):
        # Sent once per app after migrate: the last one sees every app's permissions.
        post_migrate.connect(create_roles, dispatch_uid="projects.create_roles")
