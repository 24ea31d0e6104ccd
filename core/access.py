"""Access helpers shared by every app's views."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required

# HR-only screens: anonymous visitors go to sign-in, signed-in non-HR get 403.
hr_required = permission_required("people.manage_directory", raise_exception=True)
