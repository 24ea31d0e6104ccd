from __future__ import annotations

import pytest

from tests.factories import ProgramFactory


@pytest.fixture
def program(db):
    return ProgramFactory(focus="career")
