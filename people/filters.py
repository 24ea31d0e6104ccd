from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import HR_GROUP, Department, Language, Skill, User


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), label=_("Department"), empty_label=_("Any")
    )
    location = django_filters.CharFilter(lookup_expr="iexact", label=_("Location"))
    skills = django_filters.ModelChoiceFilter(
        queryset=Skill.objects.all(), label=_("Skill"), empty_label=_("Any")
    )
    languages = django_filters.ModelChoiceFilter(
        queryset=Language.objects.all(), label=_("Language"), empty_label=_("Any")
    )
    status = django_filters.ChoiceFilter(
        method="by_status",
        label=_("Status"),
        choices=[("active", _("Active")), ("inactive", _("Inactive"))],
        empty_label=_("Everyone"),
    )
    role = django_filters.ChoiceFilter(
        method="by_role",
        label=_("Role"),
        choices=[("hr", _("HR admins")), ("manager", _("Managers"))],
        empty_label=_("Any role"),
    )

    class Meta:
        model = User
        fields = ["q", "department", "location", "skills", "languages", "status", "role"]

    def search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(job_title__icontains=word)
            )
        return queryset

    def by_status(self, queryset, name, value):
        return queryset.filter(is_active=value == "active")

    def by_role(self, queryset, name, value):
        if value == "hr":
            return queryset.filter(groups__name=HR_GROUP)
        return queryset.filter(pk__in=User.objects.filter(manager__isnull=False).values("manager"))

    @property
    def qs(self):
        return super().qs.distinct()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["q"].widget = forms.TextInput(
            attrs={"placeholder": _("Name, email or job title"), "type": "search"}
        )
