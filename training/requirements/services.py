"""Writes of required training: HR requires modules of a program's mentors or mentees."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from programs.models import Program, Role

from ..models import Module, Requirement, audiences_for
from ..modules.services import lock_module, refuse_if_closed, role_plural


@transaction.atomic
def requirement_add(*, program: Program, role: str, module: Module, due_days: int, by):
    """Require `module` of the program's mentors or mentees, due `due_days` after the start."""
    refuse_if_closed(program)
    # Adding requirements to one program queues on its row: no family is required twice.
    Program.objects.select_for_update().filter(pk=program.pk).first()
    module = lock_module(module)
    if role not in Role.values:
        raise ValidationError({"role": _("Choose mentors or mentees.")})
    if module.program_id not in (None, program.pk):
        raise ValidationError({"module": _("Choose a library module or one of this program's.")})
    if module.status != Module.Status.PUBLISHED:
        raise ValidationError({"module": _("Publish the module before requiring it.")})
    if not module.sections.exists():
        raise ValidationError({"module": _("A module without sections cannot be required.")})
    if module.audience not in audiences_for(role):
        raise ValidationError(
            {
                "module": _("“%(module)s” is not meant for %(role)s.")
                % {"module": module.title, "role": role_plural(role)}
            }
        )
    if Requirement.objects.filter(
        program=program, role=role, module__family=module.family
    ).exists():
        raise ValidationError(
            {
                "module": _("“%(module)s” is already required of %(role)s.")
                % {"module": module.title, "role": role_plural(role)}
            }
        )
    return Requirement.objects.create(program=program, role=role, module=module, due_days=due_days)


@transaction.atomic
def requirement_update(*, requirement: Requirement, due_days: int, by) -> Requirement:
    refuse_if_closed(requirement.program)
    requirement.due_days = due_days
    requirement.save(update_fields=["due_days", "updated_at"])
    return requirement


@transaction.atomic
def requirement_remove(*, requirement: Requirement, by) -> None:
    refuse_if_closed(requirement.program)
    requirement.delete()
