"""The URLs of the dashboard tests (`pytest.mark.urls`)."""

from __future__ import annotations

from django.urls import include, path


def _urlpatterns():
    """The project's URLs, with the metrics app mounted if the project does not mount it yet."""
    from mentoring import urls as root

    if any(getattr(p, "namespace", None) == "metrics" for p in root.urlpatterns):
        return list(root.urlpatterns)
    return [path("metrics/", include("metrics.urls")), *root.urlpatterns]


urlpatterns = _urlpatterns()
