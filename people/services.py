"""Writes to the organisation directory."""

from __future__ import annotations

import unicodedata

from allauth.account.models import EmailAddress
from django.conf.locale import LANG_INFO
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from .hooks import hr_role_granted
from .models import HR_GROUP, Department, Language, Skill, User, normalize_email


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a label, for matching names typed by people."""
    text = unicodedata.normalize("NFKD", text.strip().casefold())
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


# --- departments -------------------------------------------------------------------


def department_get_or_create(name: str) -> Department:
    name = " ".join(name.split())
    found = Department.objects.filter(name__iexact=name).first()
    return found or Department.objects.create(name=name)


def department_save(*, department: Department, name: str, parent: Department | None) -> Department:
    name = " ".join(name.split())
    clash = Department.objects.filter(name__iexact=name).exclude(pk=department.pk)
    if clash.exists():
        raise ValidationError({"name": _("Another department is already called “%s”.") % name})
    node = parent
    while node is not None:
        if department.pk and node.pk == department.pk:
            raise ValidationError(
                {
                    "parent": _(
                        "A department cannot sit inside itself or one of its sub-departments."
                    )
                }
            )
        node = node.parent
    department.name = name
    department.parent = parent
    department.save()
    return department


@transaction.atomic
def department_delete(*, department: Department) -> None:
    if department.members.exists():
        raise ValidationError(
            _("“%s” still has people. Move them to another department first.") % department
        )
    if department.children.exists():
        raise ValidationError(
            _("“%s” still has sub-departments. Move or delete them first.") % department
        )
    department.delete()


# --- skills and languages ----------------------------------------------------------


def skill_get_or_create(name: str) -> Skill:
    name = " ".join(name.split())
    found = Skill.objects.filter(name__iexact=name).first()
    return found or Skill.objects.create(name=name)


def skill_rename(*, skill: Skill, name: str) -> Skill:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Enter a name.")})
    if Skill.objects.filter(name__iexact=name).exclude(pk=skill.pk).exists():
        raise ValidationError(
            {"name": _("“%s” already exists. Merge the two skills instead.") % name}
        )
    skill.name = name
    skill.save(update_fields=["name", "updated_at"])
    return skill


@transaction.atomic
def skill_merge(*, source: Skill, into: Skill) -> Skill:
    """Move every use of `source` to `into`, then delete `source`.

    Walks all relations that point at Skill, so skills used by later stages
    (questionnaires, goals) follow the merge without this function knowing them.
    """
    if source.pk == into.pk:
        raise ValidationError(_("Choose two different skills to merge."))
    for relation in Skill._meta.related_objects:
        if relation.many_to_many:
            through = relation.through
            source_field = next(
                f.name for f in through._meta.fields if f.is_relation and f.related_model is Skill
            )
            other_field = next(
                f.name
                for f in through._meta.fields
                if f.is_relation and f.related_model is not Skill
            )
            already = through.objects.filter(**{source_field: into}).values(other_field)
            through.objects.filter(
                **{source_field: source}, **{f"{other_field}__in": already}
            ).delete()
            through.objects.filter(**{source_field: source}).update(**{source_field: into})
        elif relation.one_to_many:
            relation.related_model._base_manager.filter(**{relation.field.name: source}).update(
                **{relation.field.name: into}
            )
    source.delete()
    return into


def _language_names() -> dict[str, str]:
    """Every way a spreadsheet may name a language: code, English, native, Spanish."""
    names: dict[str, str] = {}
    for code, info in LANG_INFO.items():
        if "name" not in info or "-" in code:
            continue
        names[fold(code)] = code
        names[fold(info["name"])] = code
        names[fold(info["name_local"])] = code
        with translation.override("es"):
            names[fold(translation.gettext(info["name"]))] = code
    return names


_LANGUAGE_NAMES: dict[str, str] = {}


def language_code_for(text: str) -> str | None:
    """`es`, `Spanish`, `Español` or `español` all give `es`; None when unknown."""
    global _LANGUAGE_NAMES
    if not _LANGUAGE_NAMES:
        _LANGUAGE_NAMES = _language_names()
    return _LANGUAGE_NAMES.get(fold(text))


def language_get_or_create(code: str) -> Language:
    return Language.objects.get_or_create(code=code)[0]


# --- people ------------------------------------------------------------------------


def email_address_sync(user: User) -> None:
    """HR vouches for the addresses it enters, so they count as verified for sign-in."""
    email = normalize_email(user.email)
    EmailAddress.objects.filter(user=user).exclude(email__iexact=email).delete()
    address, _created = EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    if not (address.verified and address.primary):
        address.verified = True
        address.primary = True
        address.save(update_fields=["verified", "primary"])


def manager_chain_has(person: User, candidate: User | None) -> bool:
    """True when `person` appears in the manager line above `candidate` (or is it)."""
    seen: set[int] = set()
    node = candidate
    while node is not None and node.pk not in seen:
        if node.pk == person.pk:
            return True
        seen.add(node.pk)
        node = node.manager
    return False


@transaction.atomic
def person_save(
    *,
    person: User,
    skills: list[Skill] | models.QuerySet | None = None,
    languages: list[Language] | models.QuerySet | None = None,
) -> User:
    """Create or update a person from HR's form."""
    person.email = normalize_email(person.email)
    clash = User.objects.filter(email__iexact=person.email).exclude(pk=person.pk)
    if clash.exists():
        raise ValidationError({"email": _("Someone in the directory already uses this email.")})
    if person.manager_id and person.pk and manager_chain_has(person, person.manager):
        raise ValidationError(
            {"manager": _("This would make a loop in the manager line: choose someone else.")}
        )
    if not person.pk:
        person.set_unusable_password()
    person.save()
    if skills is not None:
        person.skills.set(skills)
    if languages is not None:
        person.languages.set(languages)
    email_address_sync(person)
    return person


def hr_group() -> Group:
    return Group.objects.get_or_create(name=HR_GROUP)[0]


@transaction.atomic
def hr_role_grant(*, person: User, by: User) -> bool:
    """Give `person` the HR admin role. False when they already had it."""
    if not person.is_active:
        raise ValidationError(_("Inactive people cannot be HR admins."))
    group = hr_group()
    if person.groups.filter(pk=group.pk).exists():
        return False
    person.groups.add(group)
    membership = person.groups.through.objects.get(user=person, group=group)
    for listener in hr_role_granted:
        listener(person=person, by=by, grant_id=membership.pk)
    return True


@transaction.atomic
def hr_role_revoke(*, person: User, by: User) -> bool:
    """Take the HR admin role away. The last active HR admin cannot be removed."""
    group = hr_group()
    if not person.groups.filter(pk=group.pk).exists():
        return False
    # Lock the HR members so two admins revoking each other at once cannot leave none.
    holders = list(
        User.objects.select_for_update()
        .filter(groups=group, is_active=True)
        .values_list("pk", flat=True)
    )
    if holders == [person.pk]:
        raise ValidationError(
            _("%s is the last HR admin. Grant the role to someone else first.") % person
        )
    person.groups.remove(group)
    return True
