"""HTTP Basic for the API, counted by the login throttle like the login forms.

DRF hands ``authenticate`` its own request wrapper; django-axes flags a locked-out attempt on
the request it is given. Passing Django's request keeps the flag where we can read it, and
a locked-out client gets the API's JSON answer (429) instead of the login page's.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from rest_framework import authentication, exceptions, status


class LockedOut(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"

    def __init__(self) -> None:
        super().__init__(
            f"Too many failed logins for this username from this address "
            f"({settings.AXES_FAILURE_LIMIT}): locked out for {settings.AXES_COOLOFF_TIME} hour(s). "
            "An operator can lift it with `manage.py axes_reset`."
        )


class BasicAuthentication(authentication.BasicAuthentication):
    www_authenticate_realm = "mineban"

    def authenticate_credentials(self, userid: str, password: str, request: Any = None) -> Any:
        django_request = getattr(request, "_request", request)
        user = authenticate(request=django_request, username=userid, password=password)
        if getattr(django_request, "axes_locked_out", False):
            # Answered here, in JSON; the lockout middleware would answer with the HTML page.
            django_request.axes_locked_out = False
            raise LockedOut()
        if user is None:
            raise exceptions.AuthenticationFailed("Invalid username/password.")
        if not user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        return (user, None)
