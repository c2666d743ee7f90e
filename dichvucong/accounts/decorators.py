"""View guards of the back office: every page of an official goes through `official_required`."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .selectors import agencies_for_official, membership_get_active


def official_required(*roles: str):
    """Let through a signed-in official who passed two-factor authentication and holds, in their active
    agency, one of `roles` (any role when none is given); sets `request.active_membership`.

    Anonymous users go to sign-in, unverified officials to the two-factor page, officials of several
    agencies who have not chosen one to the chooser; everyone else gets 403 and no data.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = membership_get_active(request)
            if membership is None and not agencies_for_official(user).exists():
                raise PermissionDenied  # not an official
            here = urlencode({"next": request.get_full_path()} if request.method == "GET" else {})
            if not user.is_verified():
                # The middleware normally sends officials there first; this guards a role granted
                # during the session of someone who signed in as a citizen.
                return redirect(f"{reverse('accounts:two_factor_verify')}?{here}")
            if membership is None:
                return redirect(f"{reverse('accounts:agency_choose')}?{here}")
            if roles and not membership.has_role(*roles):
                raise PermissionDenied
            request.active_membership = membership
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
