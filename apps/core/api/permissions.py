from rest_framework import permissions


class ModelPermissions(permissions.DjangoModelPermissions):
    """Django model permissions, reads included: a role without ``view_<model>`` sees nothing."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }


class HasPerm(permissions.BasePermission):
    """For action endpoints: ``permission_classes=[HasPerm.of("devices.change_device")]``."""

    required = ()

    @classmethod
    def of(cls, *perms):
        return type(f"HasPerm_{'_'.join(p.replace('.', '_') for p in perms)}", (cls,), {"required": perms})

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.has_perms(self.required))
