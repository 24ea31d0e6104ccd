"""Writes to the organisation directory."""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import replace
from datetime import timedelta
from importlib import import_module

from allauth.account.models import EmailAddress
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import Action, audit_record
from core.emails import render_email, send_rendered

from .hooks import hr_role_granted, person_deactivated
from .models import (
    HR_GROUP,
    Department,
    EmailChange,
    EmployeeImport,
    Language,
    Skill,
    User,
    normalize_email,
)

logger = logging.getLogger(__name__)


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


# Fields of HR's person form compared to tell what an edit changed (for the audit log).
AUDITED_FIELDS = (
    "first_name",
    "last_name",
    "job_title",
    "department_id",
    "manager_id",
    "location",
    "hired_on",
    "language",
    "is_active",
)


@transaction.atomic
def person_save(
    *,
    person: User,
    skills: list[Skill] | models.QuerySet | None = None,
    languages: list[Language] | models.QuerySet | None = None,
    by: User | None = None,
    request=None,
) -> User:
    """Create or update a person from HR's form.

    A new email for an existing person is not saved here: it becomes a pending
    `EmailChange` (see `email_change_request`), and the person keeps the old address
    until the new one confirms.
    """
    person.email = normalize_email(person.email)
    clash = User.objects.filter(email__iexact=person.email).exclude(pk=person.pk)
    if clash.exists():
        raise ValidationError({"email": _("Someone in the directory already uses this email.")})
    if person.manager_id and person.pk and manager_chain_has(person, person.manager):
        raise ValidationError(
            {"manager": _("This would make a loop in the manager line: choose someone else.")}
        )
    creating = person.pk is None
    stored = None if creating else User.objects.select_for_update().get(pk=person.pk)
    new_email = person.email
    if stored is not None and new_email != stored.email:
        person.email = stored.email
    if creating:
        person.set_unusable_password()
    person.save()
    changed: list[str] = []
    if stored is not None:
        changed = [
            name for name in AUDITED_FIELDS if getattr(stored, name) != getattr(person, name)
        ]
        for name, given in (("skills", skills), ("languages", languages)):
            if given is not None:
                before = set(getattr(stored, name).values_list("pk", flat=True))
                if before != {item.pk for item in given}:
                    changed.append(name)
    if skills is not None:
        person.skills.set(skills)
    if languages is not None:
        person.languages.set(languages)
    email_address_sync(person)
    if creating:
        audit_record(actor=by, action=Action.PERSON_CREATED, target=person, request=request)
    elif "is_active" in changed:
        action = Action.PERSON_REACTIVATED if person.is_active else Action.PERSON_DEACTIVATED
        audit_record(
            actor=by, action=action, target=person, details={"fields": changed}, request=request
        )
        if not person.is_active:
            sessions_end(person=person, by=by, request=request, reason="deactivated")
            for listener in person_deactivated:
                listener(person=person, by=by)
    elif changed:
        audit_record(
            actor=by,
            action=Action.PERSON_EDITED,
            target=person,
            details={"fields": changed},
            request=request,
        )
    if stored is not None and new_email != stored.email:
        email_change_request(person=person, new_email=new_email, by=by, request=request)
    return person


# --- sessions ----------------------------------------------------------------------


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def sessions_end(*, person: User, by: User | None, request=None, reason: str) -> int:
    """Delete `person`'s sessions from the session store, except the one making the request.

    Called when their email, their role or their access changes, so whoever was signed
    in as them elsewhere has to sign in again. Works with the database-backed engines
    (`db`, `cached_db`); returns how many sessions were ended.
    """
    store = _session_store()
    get_model = getattr(store, "get_model_class", None)
    if get_model is None:  # a cache-only or cookie engine cannot be searched by user
        return 0
    keep = (
        request.session.session_key if request is not None and hasattr(request, "session") else None
    )
    ended = []
    for key, data in (
        get_model()
        .objects.filter(expire_date__gt=timezone.now())
        .exclude(session_key=keep or "")
        .values_list("session_key", "session_data")
        .iterator(chunk_size=1000)
    ):
        if str(store().decode(data).get(SESSION_KEY)) == str(person.pk):
            ended.append(key)
    for key in ended:
        store(session_key=key).delete()
    if ended:
        audit_record(
            actor=by,
            action=Action.SESSIONS_ENDED,
            target=person,
            details={"sessions": len(ended), "reason": reason},
            request=request,
        )
    return len(ended)


# --- email changes -----------------------------------------------------------------

EMAIL_CHANGE_SALT = "people.email_change"
EMAIL_CHANGE_MAX_AGE = timedelta(days=3)


def email_change_token(change: EmailChange) -> str:
    return signing.dumps({"c": str(change.code), "e": change.new_email}, salt=EMAIL_CHANGE_SALT)


def email_change_from_token(token: str) -> EmailChange | None:
    """The open change a confirmation link is for; None when forged, expired or closed."""
    try:
        data = signing.loads(
            token, salt=EMAIL_CHANGE_SALT, max_age=EMAIL_CHANGE_MAX_AGE.total_seconds()
        )
    except signing.BadSignature:
        return None
    return (
        EmailChange.objects.select_related("person")
        .filter(
            code=data.get("c"),
            new_email=data.get("e"),
            status=EmailChange.Status.AWAITING_CONFIRMATION,
        )
        .first()
    )


def _send_identity_email(name: str, *, to: str, person: User, context: dict) -> None:
    """An account-security email to one exact address, sent once the transaction commits.

    Like allauth's own account emails these go to a given address rather than to the
    person's current one (the new address before it is confirmed, the old one after), so
    they do not go through `notifications`, which always writes to the person's email.
    """
    email = render_email(
        f"people.{name}", {"recipient": person, **context}, language=person.language
    )
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + email.subject

    def send() -> None:
        try:
            send_rendered(replace(email, subject=subject), to=to)
        except Exception as exc:  # noqa: BLE001 - any failure of the mail server
            # HR sees the change pending and can send the link again.
            logger.warning("Identity email %s to %s failed: %s", name, to, exc)

    transaction.on_commit(send)


def _send_confirmation_link(change: EmailChange) -> None:
    url = reverse("people:email_change_confirm", args=[email_change_token(change)])
    _send_identity_email(
        "email_change_confirm",
        to=change.new_email,
        person=change.person,
        context={"change": change, "url": url, "days": EMAIL_CHANGE_MAX_AGE.days},
    )
    EmailChange.objects.filter(pk=change.pk).update(link_sent_at=timezone.now())


# How long someone who lost the HR admin role is still treated as one for email changes.
HR_ROLE_AFTERGLOW = timedelta(days=30)


def _email_guarded_like_hr(person: User) -> bool:
    """Whether a change of `person`'s email needs a second HR admin's approval.

    HR admins (active or deactivated: reactivating gives the role back), and anyone whose
    HR role was removed in the last 30 days. Without the second rule one HR admin could
    remove another's role, change their email without anyone's approval, reset the
    password and sign in as them.
    """
    if person.groups.filter(name=HR_GROUP).exists():
        return True
    from audit.models import Entry

    return Entry.objects.filter(
        action=Action.HR_ROLE_REVOKED,
        person=person,
        created_at__gte=timezone.now() - HR_ROLE_AFTERGLOW,
    ).exists()


def _open_change_clash(new_email: str, person: User) -> bool:
    return (
        EmailChange.objects.filter(status__in=EmailChange.OPEN, new_email__iexact=new_email)
        .exclude(person=person)
        .exists()
    )


@transaction.atomic
def email_change_request(
    *, person: User, new_email: str, by: User | None, request=None
) -> EmailChange:
    """Ask to change `person`'s sign-in email; nothing changes until it is confirmed.

    The old address is told at once. When `person` is an HR admin (or was one in the last
    30 days) and someone else asks, a second HR admin must approve before the link goes
    to the new address; otherwise the link goes at once. A newer request replaces an open one.
    """
    new_email = normalize_email(new_email)
    person = User.objects.select_for_update().get(pk=person.pk)
    if new_email == person.email:
        raise ValidationError({"email": _("This is already the person's email.")})
    if User.objects.filter(email__iexact=new_email).exclude(pk=person.pk).exists():
        raise ValidationError({"email": _("Someone in the directory already uses this email.")})
    if _open_change_clash(new_email, person):
        raise ValidationError(
            {"email": _("This email is already waiting to be confirmed for someone else.")}
        )
    for previous in EmailChange.objects.filter(person=person, status__in=EmailChange.OPEN):
        _close(previous, EmailChange.Status.CANCELLED, by=by, request=request)
    needs_approval = _email_guarded_like_hr(person) and (by is None or by.pk != person.pk)
    change = EmailChange.objects.create(
        person=person,
        old_email=person.email,
        new_email=new_email,
        requested_by=by,
        status=(
            EmailChange.Status.AWAITING_APPROVAL
            if needs_approval
            else EmailChange.Status.AWAITING_CONFIRMATION
        ),
    )
    audit_record(
        actor=by,
        action=Action.EMAIL_CHANGE_REQUESTED,
        target=person,
        details={"from": change.old_email, "to": new_email, "needs_approval": needs_approval},
        request=request,
    )
    _send_identity_email(
        "email_change_requested",
        to=change.old_email,
        person=person,
        context={"change": change, "by": by, "needs_approval": needs_approval},
    )
    if needs_approval:
        approvers = User.objects.hr_admins().exclude(pk__in=[by.pk] if by else [])
        for approver in approvers:
            _send_identity_email(
                "email_change_approval",
                to=approver.email,
                person=approver,
                context={"change": change, "by": by, "url": person.get_absolute_url()},
            )
    else:
        _send_confirmation_link(change)
    return change


def _locked_open(change: EmailChange, *statuses) -> EmailChange:
    change = EmailChange.objects.select_for_update().select_related("person").get(pk=change.pk)
    if change.status not in (statuses or EmailChange.OPEN):
        raise ValidationError(_("This email change was already decided. Reload the page."))
    return change


def _close(change: EmailChange, status: str, *, by: User | None, request=None) -> None:
    change.status = status
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "decided_at", "updated_at"])
    action = {
        EmailChange.Status.REJECTED: Action.EMAIL_CHANGE_REJECTED,
        EmailChange.Status.CANCELLED: Action.EMAIL_CHANGE_CANCELLED,
    }[status]
    audit_record(
        actor=by,
        action=action,
        target=change.person,
        details={"from": change.old_email, "to": change.new_email},
        request=request,
    )


@transaction.atomic
def email_change_approve(*, change: EmailChange, by: User, request=None) -> EmailChange:
    """A second HR admin approves a change of an HR admin's email; the link goes out."""
    change = _locked_open(change, EmailChange.Status.AWAITING_APPROVAL)
    if not by.is_hr:
        raise ValidationError(_("Only an HR admin can approve an email change."))
    if change.requested_by_id == by.pk:
        raise ValidationError(_("You asked for this change: another HR admin has to approve it."))
    change.status = EmailChange.Status.AWAITING_CONFIRMATION
    change.approved_by = by
    change.save(update_fields=["status", "approved_by", "updated_at"])
    audit_record(
        actor=by,
        action=Action.EMAIL_CHANGE_APPROVED,
        target=change.person,
        details={"from": change.old_email, "to": change.new_email},
        request=request,
    )
    _send_confirmation_link(change)
    return change


@transaction.atomic
def email_change_reject(*, change: EmailChange, by: User, request=None) -> EmailChange:
    """A second HR admin turns down a change of an HR admin's email."""
    change = _locked_open(change, EmailChange.Status.AWAITING_APPROVAL)
    if change.requested_by_id == by.pk:
        raise ValidationError(_("You asked for this change: cancel it instead."))
    _close(change, EmailChange.Status.REJECTED, by=by, request=request)
    _send_identity_email(
        "email_change_closed",
        to=change.old_email,
        person=change.person,
        context={"change": change, "by": by},
    )
    return change


@transaction.atomic
def email_change_cancel(*, change: EmailChange, by: User, request=None) -> EmailChange:
    """Withdraw an open change (any HR admin); the old address stays."""
    change = _locked_open(change)
    _close(change, EmailChange.Status.CANCELLED, by=by, request=request)
    _send_identity_email(
        "email_change_closed",
        to=change.old_email,
        person=change.person,
        context={"change": change, "by": by},
    )
    return change


@transaction.atomic
def email_change_resend(*, change: EmailChange, by: User, request=None) -> EmailChange:
    """Send the confirmation link to the new address again (a new link, fresh expiry)."""
    change = _locked_open(change, EmailChange.Status.AWAITING_CONFIRMATION)
    _send_confirmation_link(change)
    return change


@transaction.atomic
def email_change_confirm(*, change: EmailChange, request=None) -> User:
    """The new address confirmed: it becomes the sign-in email, the old one is told.

    Every other session of the person ends, so whoever was signed in as them has to sign
    in again with the new address.
    """
    change = _locked_open(change, EmailChange.Status.AWAITING_CONFIRMATION)
    person = User.objects.select_for_update().get(pk=change.person_id)
    if User.objects.filter(email__iexact=change.new_email).exclude(pk=person.pk).exists():
        raise ValidationError(
            _(
                "Someone in the directory uses this email now, so it cannot be yours. "
                "Ask HR to check the directory."
            )
        )
    old_email = person.email
    person.email = change.new_email
    person.save(update_fields=["email", "updated_at"])
    email_address_sync(person)
    change.status = EmailChange.Status.CONFIRMED
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "decided_at", "updated_at"])
    # The confirming browser may belong to anyone who can read the new mailbox: it is not
    # signed in by confirming, and keeps its own session only if it already was this person.
    audit_record(
        actor=request.user if request is not None and request.user.is_authenticated else None,
        action=Action.EMAIL_CHANGE_CONFIRMED,
        target=person,
        details={"from": old_email, "to": person.email},
        request=request,
        person=person,
    )
    keep_request = request if request is not None and request.user.pk == person.pk else None
    sessions_end(person=person, by=None, request=keep_request, reason="email changed")
    _send_identity_email(
        "email_change_done", to=old_email, person=person, context={"change": change}
    )
    return person


def hr_group() -> Group:
    return Group.objects.get_or_create(name=HR_GROUP)[0]


@transaction.atomic
def hr_role_grant(*, person: User, by: User | None, request=None) -> bool:
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
    audit_record(actor=by, action=Action.HR_ROLE_GRANTED, target=person, request=request)
    sessions_end(person=person, by=by, request=request, reason="HR role granted")
    return True


@transaction.atomic
def hr_role_revoke(*, person: User, by: User | None, request=None) -> bool:
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
    audit_record(actor=by, action=Action.HR_ROLE_REVOKED, target=person, request=request)
    sessions_end(person=person, by=by, request=request, reason="HR role removed")
    return True


# --- data subject rights -------------------------------------------------------------

ERASED_EMAIL_DOMAIN = "erased.invalid"


def is_erased(person: User) -> bool:
    return person.email.endswith("@" + ERASED_EMAIL_DOMAIN)


def personal_data_export(*, person: User, by: User, request=None) -> bytes:
    """The zip with everything held about `person`; recorded in the audit log."""
    from .personal_data import personal_data_zip

    content = personal_data_zip(person)
    audit_record(actor=by, action=Action.PERSONAL_DATA_EXPORTED, target=person, request=request)
    return content


@transaction.atomic
def person_erase(*, person: User, by: User, confirm_email: str, request=None) -> User:
    """Anonymise `person` for good: their right to erasure.

    The person's row stays (so their pairs, registrations and survey answers keep
    counting in every indicator) but it no longer says who they were: name, email, job,
    place, skills and languages are replaced or emptied, the password is unusable, the
    account inactive and its sessions ended. Every app replaces the free texts they wrote
    (`people.hooks.personal_data_erase`). Survey answers are kept: no page links them to a
    person, and deleting them would shift the batches in which results are shown.
    """
    person = User.objects.select_for_update().get(pk=person.pk)
    if is_erased(person):
        raise ValidationError(_("%s has already been erased.") % person)
    if person.pk == by.pk:
        raise ValidationError(_("You cannot erase yourself. Ask another HR admin."))
    if person.groups.filter(name=HR_GROUP).exists():
        raise ValidationError(
            _("%s is an HR admin. Revoke the HR role first, then erase them.") % person
        )
    if normalize_email(confirm_email) != normalize_email(person.email):
        raise ValidationError(
            {
                "confirm_email": _(
                    "This is not %(name)s's email. Type %(email)s exactly to confirm."
                )
                % {"name": person, "email": person.email}
            }
        )
    from .hooks import personal_data_erase

    for erase in personal_data_erase:
        erase(person=person)
    with translation.override(settings.LANGUAGE_CODE):
        person.first_name = _("Erased person")
    person.last_name = ""
    person.email = f"erased-{person.code}@{ERASED_EMAIL_DOMAIN}"
    person.job_title = ""
    person.location = ""
    person.hired_on = None
    person.manager = None
    person.is_active = False
    person.is_staff = False
    person.is_superuser = False
    person.set_unusable_password()
    person.save()
    person.skills.clear()
    person.languages.clear()
    person.groups.clear()
    person.user_permissions.clear()
    EmailAddress.objects.filter(user=person).delete()
    EmailChange.objects.filter(person=person).delete()
    sessions_end(person=person, by=by, request=request, reason="erased")
    audit_record(actor=by, action=Action.PERSON_ERASED, target=person, request=request)
    return person


# --- retention -----------------------------------------------------------------------

IMPORT_FILES_KEPT = timedelta(days=7)


def employee_imports_purge(*, now) -> int:
    """Delete the uploaded employee files never applied, a week after their upload.

    Returns how many were deleted. Run daily by the periodic job (registered by
    `notifications`, which owns it) and recorded in the audit log.
    """
    deleted, _by_model = EmployeeImport.objects.filter(
        applied_at__isnull=True, created_at__lt=now - IMPORT_FILES_KEPT
    ).delete()
    return deleted
