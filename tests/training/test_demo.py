"""The demo: library seeded, the running program's people with some modules done, one overdue."""

from __future__ import annotations

from matching.demo import seed_matching
from people.demo import DEMO_ACCOUNTS, seed_directory
from people.models import User
from programs.demo import seed_programs, seed_recruitment
from programs.models import Program
from training.demo import seed_training
from training.library import library_modules
from training.models import Completion, Module, Requirement, Workshop
from training.requirements.selectors import checklists_for, program_progress


def test_the_demo_seeds_training_and_can_run_again(db):
    seed_directory()
    seed_programs()
    seed_recruitment()
    seed_matching(DEMO_ACCOUNTS)
    first = seed_training(DEMO_ACCOUNTS)
    assert first["modules"] == len(library_modules())
    assert first["requirements"] > 0 and first["completions"] > 0 and first["workshops"] == 2
    counts = (Module.objects.count(), Requirement.objects.count(), Completion.objects.count())
    again = seed_training(DEMO_ACCOUNTS)
    assert again == {"modules": 0, "requirements": 0, "completions": 0, "workshops": 0}
    assert counts == (
        Module.objects.count(),
        Requirement.objects.count(),
        Completion.objects.count(),
    )
    assert Workshop.objects.count() == 2

    mentor = User.objects.get(email=DEMO_ACCOUNTS["mentor"])
    running = next(c for c in checklists_for(mentor) if c.program.slug == "mandos-que-inspiran")
    assert 0 < running.done_count < len(running.items)
    assert running.overdue_count == 1
    mentee = User.objects.get(email=DEMO_ACCOUNTS["mentee"])
    checklist = next(c for c in checklists_for(mentee) if c.program.slug == "mandos-que-inspiran")
    assert checklist.done_count >= 2 and checklist.overdue_count == 0

    progress = program_progress(Program.objects.get(slug="mandos-que-inspiran"))
    assert any(row.behind for row in progress.rows)
    assert any(row.complete for row in progress.rows)
